using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Deposits.Persistence;

public sealed class ScheduledRefundConfiguration : IEntityTypeConfiguration<ScheduledRefund>
{
    public void Configure(EntityTypeBuilder<ScheduledRefund> builder)
    {
        builder.ToTable("tr_deposit_scheduled_refunds");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(r => r.SectionId).HasColumnName("section_id");
        builder.Property(r => r.EntityId).HasColumnName("entity_id");
        builder.Property(r => r.Reason).HasColumnName("reason").HasMaxLength(64);
        builder.Property(r => r.SourceId).HasColumnName("source_id");
        builder.Property(r => r.CreatedAt).HasColumnName("created_at");
        builder.Property(r => r.CreatedBy).HasColumnName("created_by").HasMaxLength(256);
        builder.Property(r => r.RunAt).HasColumnName("run_at");
        builder.Property(r => r.DueAt).HasColumnName("due_at");
        builder.Property(r => r.State).HasColumnName("state").HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Attempts).HasColumnName("attempts");
        builder.Property(r => r.LastAttemptAt).HasColumnName("last_attempt_at");
        builder.Property(r => r.LastError).HasColumnName("last_error").HasMaxLength(ScheduledRefund.MaxErrorLength);
        builder.Property(r => r.InstructionId).HasColumnName("instruction_id");
        builder.Property(r => r.SettledAt).HasColumnName("settled_at");
        builder.Property(r => r.OverdueReported).HasColumnName("overdue_reported");
        builder.Property(r => r.Version).HasColumnName("version").IsConcurrencyToken();
        builder.Ignore(r => r.IsOpen);
        builder.HasIndex(r => new { r.State, r.RunAt });
        builder.HasIndex(r => new { r.SectionId, r.EntityId });
        builder.HasOne<DepositSection>().WithMany().HasForeignKey(r => r.SectionId);
    }
}

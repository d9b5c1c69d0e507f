using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Deposits.Persistence;

public sealed class BankInstructionConfiguration : IEntityTypeConfiguration<BankInstruction>
{
    public void Configure(EntityTypeBuilder<BankInstruction> builder)
    {
        builder.ToTable("tr_deposit_instructions");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(i => i.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.SectionId).HasColumnName("section_id");
        builder.Property(i => i.EntityId).HasColumnName("entity_id");
        builder.Property(i => i.Principal).HasColumnName("principal").HasPrecision(18, 2);
        builder.Property(i => i.Interest).HasColumnName("interest").HasPrecision(18, 2);
        builder.Property(i => i.ToAccount).HasColumnName("to_account").HasMaxLength(64);
        builder.Property(i => i.ToName).HasColumnName("to_name").HasMaxLength(200);
        builder.Property(i => i.ToBank).HasColumnName("to_bank").HasMaxLength(200);
        builder.Property(i => i.DecidedOn).HasColumnName("decided_on");
        builder.Property(i => i.DecidedAt).HasColumnName("decided_at");
        builder.Property(i => i.DecidedBy).HasColumnName("decided_by").HasMaxLength(256);
        builder.Property(i => i.State).HasColumnName("state").HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.Attempts).HasColumnName("attempts");
        builder.Property(i => i.LastAttemptAt).HasColumnName("last_attempt_at");
        builder.Property(i => i.LastError).HasColumnName("last_error").HasMaxLength(500);
        builder.Property(i => i.BankReference).HasColumnName("bank_reference").HasMaxLength(200);
        builder.Property(i => i.PaidAt).HasColumnName("paid_at");
        builder.Ignore(i => i.Total);
        builder.Ignore(i => i.IsOpen);
        builder.HasIndex(i => new { i.SectionId, i.EntityId });
        builder.HasIndex(i => i.State);
        builder.HasOne<DepositSection>().WithMany().HasForeignKey(i => i.SectionId);
    }
}

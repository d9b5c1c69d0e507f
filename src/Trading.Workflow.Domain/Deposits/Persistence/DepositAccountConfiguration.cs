using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Deposits.Persistence;

public sealed class DepositAccountConfiguration : IEntityTypeConfiguration<DepositAccount>
{
    public void Configure(EntityTypeBuilder<DepositAccount> builder)
    {
        builder.ToTable("tr_deposit_accounts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(a => a.SectionId).HasColumnName("section_id");
        builder.Property(a => a.EntityId).HasColumnName("entity_id");
        builder.Property(a => a.EntityName).HasColumnName("entity_name").HasMaxLength(200);
        builder.Property(a => a.Participant).HasColumnName("participant");
        builder.Property(a => a.Number).HasColumnName("number").HasMaxLength(SubAccountNumber.Length);
        builder.Property(a => a.OpenedAt).HasColumnName("opened_at");
        builder.Property(a => a.OpenedBy).HasColumnName("opened_by").HasMaxLength(256);
        builder.HasIndex(a => a.Number).IsUnique();
        builder.HasIndex(a => new { a.SectionId, a.EntityId }).IsUnique();
        builder.HasIndex(a => new { a.SectionId, a.Participant }).IsUnique();
        builder.HasIndex(a => a.EntityId);
        builder.HasOne<DepositSection>().WithMany().HasForeignKey(a => a.SectionId);
    }
}

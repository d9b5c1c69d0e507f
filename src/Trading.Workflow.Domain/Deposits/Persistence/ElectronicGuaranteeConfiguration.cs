using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Deposits.Persistence;

public sealed class ElectronicGuaranteeConfiguration : IEntityTypeConfiguration<ElectronicGuarantee>
{
    public void Configure(EntityTypeBuilder<ElectronicGuarantee> builder)
    {
        builder.ToTable("tr_deposit_guarantees");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(g => g.SectionId).HasColumnName("section_id");
        builder.Property(g => g.EntityId).HasColumnName("entity_id");
        builder.Property(g => g.Issuer).HasColumnName("issuer").HasMaxLength(ElectronicGuarantee.MaxTextLength);
        builder.Property(g => g.Number).HasColumnName("number").HasMaxLength(ElectronicGuarantee.MaxTextLength);
        builder.Property(g => g.Amount).HasColumnName("amount").HasPrecision(18, 2);
        builder.Property(g => g.ValidFrom).HasColumnName("valid_from");
        builder.Property(g => g.ValidUntil).HasColumnName("valid_until");
        builder.Property(g => g.Beneficiary).HasColumnName("beneficiary").HasMaxLength(ElectronicGuarantee.MaxTextLength);
        builder.Property(g => g.Accepted).HasColumnName("accepted");
        builder.Property(g => g.Problems).HasColumnName("problems").HasMaxLength(1000);
        builder.Property(g => g.RecordedAt).HasColumnName("recorded_at");
        builder.Property(g => g.RecordedBy).HasColumnName("recorded_by").HasMaxLength(256);
        builder.Ignore(g => g.ProblemCodes);
        builder.HasIndex(g => new { g.SectionId, g.EntityId });
        builder.HasIndex(g => new { g.Issuer, g.Number });
        builder.HasOne<DepositSection>().WithMany().HasForeignKey(g => g.SectionId);
    }
}

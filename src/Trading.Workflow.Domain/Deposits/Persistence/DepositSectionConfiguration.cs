using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Deposits.Persistence;

public sealed class DepositSectionConfiguration : IEntityTypeConfiguration<DepositSection>
{
    public void Configure(EntityTypeBuilder<DepositSection> builder)
    {
        builder.ToTable("tr_deposit_sections");
        builder.HasKey(s => s.SectionId);
        builder.Property(s => s.SectionId).HasColumnName("section_id").ValueGeneratedNever();
        builder.Property(s => s.Serial).HasColumnName("serial");
        builder.HasIndex(s => s.Serial).IsUnique();
        builder.Property(s => s.SectionCode).HasColumnName("section_code").HasMaxLength(DepositSection.MaxTextLength);
        builder.Property(s => s.SectionSubject).HasColumnName("section_subject").HasMaxLength(DepositSection.MaxTextLength);
        builder.Property(s => s.ProjectId).HasColumnName("project_id");
        builder.Property(s => s.ProjectCode).HasColumnName("project_code").HasMaxLength(DepositSection.MaxTextLength);
        builder.Property(s => s.ProjectName).HasColumnName("project_name").HasMaxLength(DepositSection.MaxTextLength);
        builder.Property(s => s.CentreId).HasColumnName("centre_id");
        builder.HasIndex(s => s.CentreId);
        builder.Property(s => s.TradeType).HasColumnName("trade_type").HasMaxLength(DepositSection.MaxTextLength);
        builder.Property(s => s.Amount).HasColumnName("amount").HasPrecision(18, 2);
        builder.Property(s => s.Forms).HasColumnName("forms");
        builder.Property(s => s.Beneficiary).HasColumnName("beneficiary").HasMaxLength(DepositSection.MaxTextLength);
        builder.Property(s => s.GuaranteeValidUntil).HasColumnName("guarantee_valid_until");
        builder.Property(s => s.InterestRate).HasColumnName("interest_rate").HasPrecision(9, 6);
        builder.Property(s => s.ConfiguredAt).HasColumnName("configured_at");
        builder.Property(s => s.ConfiguredBy).HasColumnName("configured_by").HasMaxLength(256);
    }
}

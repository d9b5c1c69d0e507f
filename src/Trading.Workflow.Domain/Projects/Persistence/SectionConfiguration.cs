using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Projects.Persistence;

/// <summary>tr_sections: the sections of a project, loaded with it.</summary>
public sealed class SectionConfiguration : IEntityTypeConfiguration<Section>
{
    public void Configure(EntityTypeBuilder<Section> builder)
    {
        builder.ToTable("tr_sections");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(s => s.ProjectId).HasColumnName("project_id");
        builder.Property(s => s.Number).HasColumnName("number");
        builder.Property(s => s.Code).HasColumnName("code").IsRequired();
        builder.Property(s => s.Subject).HasColumnName("subject").IsRequired();
        builder.Property(s => s.EstimatedPrice).HasColumnName("estimated_price").HasPrecision(18, 2);
        builder.Property(s => s.DepositAmount).HasColumnName("deposit_amount").HasPrecision(18, 2);
        builder.Property(s => s.DepositForms).HasColumnName("deposit_forms").HasConversion<int>();
        builder.HasIndex(s => new { s.ProjectId, s.Number });
    }
}

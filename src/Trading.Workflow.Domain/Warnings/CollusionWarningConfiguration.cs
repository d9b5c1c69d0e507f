using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Warnings;

internal sealed class CollusionWarningConfiguration : IEntityTypeConfiguration<CollusionWarning>
{
    public void Configure(EntityTypeBuilder<CollusionWarning> builder)
    {
        builder.ToTable("tr_collusion_warnings");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(w => w.ProjectId).HasColumnName("project_id");
        builder.Property(w => w.SectionId).HasColumnName("section_id");
        builder.Property(w => w.CentreId).HasColumnName("centre_id");
        builder.Property(w => w.ProjectCode).HasColumnName("project_code");
        builder.Property(w => w.ProjectName).HasColumnName("project_name");
        builder.Property(w => w.SectionCode).HasColumnName("section_code");
        builder.Property(w => w.Kind).HasColumnName("kind").HasConversion<string>();
        builder.Property(w => w.Identity).HasColumnName("identity");
        builder.Property(w => w.BiddersJson).HasColumnName("bidders");
        builder.Property(w => w.EvidenceJson).HasColumnName("evidence");
        builder.Property(w => w.FirstComputedAt).HasColumnName("first_computed_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(w => w.ComputedAt).HasColumnName("computed_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(w => w.State).HasColumnName("state").HasConversion<string>();
        builder.Property(w => w.ReviewedBy).HasColumnName("reviewed_by");
        builder.Property(w => w.ReviewedAt).HasColumnName("reviewed_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(w => w.ReviewNote).HasColumnName("review_note");
        builder.Property(w => w.Version).HasColumnName("version").IsConcurrencyToken();
        builder.Ignore(w => w.Bidders);
        builder.Ignore(w => w.Evidence);
        builder.HasIndex(w => new { w.SectionId, w.Identity }).IsUnique();
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Access.Persistence;

internal sealed class ProjectExpertConfiguration : IEntityTypeConfiguration<ProjectExpert>
{
    public void Configure(EntityTypeBuilder<ProjectExpert> builder)
    {
        builder.ToTable("tr_project_experts");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(p => p.ProjectId).HasColumnName("project_id");
        builder.Property(p => p.UserId).HasColumnName("user_id");
        builder.Property(p => p.SectionId).HasColumnName("section_id");
        builder.Property(p => p.DrawnAt).HasColumnName("drawn_at");
        builder.Property(p => p.DrawnBy).HasColumnName("drawn_by");
    }
}

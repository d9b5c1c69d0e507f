using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Trail;

internal sealed class AuditProjectConfiguration : IEntityTypeConfiguration<AuditProject>
{
    public void Configure(EntityTypeBuilder<AuditProject> builder)
    {
        builder.ToTable("tr_audit_projects");
        builder.HasKey(p => p.Sequence);
        builder.Property(p => p.Sequence).HasColumnName("sequence").ValueGeneratedNever();
        builder.Property(p => p.ProjectId).HasColumnName("project_id");
        builder.HasIndex(p => new { p.ProjectId, p.Sequence });
    }
}

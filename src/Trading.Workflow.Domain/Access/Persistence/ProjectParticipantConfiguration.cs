using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Access.Persistence;

internal sealed class ProjectParticipantConfiguration : IEntityTypeConfiguration<ProjectParticipant>
{
    public void Configure(EntityTypeBuilder<ProjectParticipant> builder)
    {
        builder.ToTable("tr_project_participants");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(p => p.ProjectId).HasColumnName("project_id");
        builder.Property(p => p.EntityId).HasColumnName("entity_id");
        builder.Property(p => p.SectionId).HasColumnName("section_id");
        builder.Property(p => p.AddedAt).HasColumnName("added_at");
        builder.Property(p => p.AddedBy).HasColumnName("added_by");
    }
}

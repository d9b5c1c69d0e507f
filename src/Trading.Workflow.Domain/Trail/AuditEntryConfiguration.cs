using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Trail;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("tr_audit_entries");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).HasColumnName("sequence").ValueGeneratedNever();
        builder.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        builder.Property(e => e.Actor).HasColumnName("actor");
        builder.Property(e => e.CentreId).HasColumnName("centre_id");
        builder.Property(e => e.SubjectType).HasColumnName("subject_type");
        builder.Property(e => e.SubjectId).HasColumnName("subject_id");
        builder.Property(e => e.Action).HasColumnName("action");
        builder.Property(e => e.Data).HasColumnName("data");
        builder.Property(e => e.PreviousHash).HasColumnName("previous_hash");
        builder.Property(e => e.Hash).HasColumnName("hash");
        builder.Property(e => e.KeyId).HasColumnName("key_id");
    }
}

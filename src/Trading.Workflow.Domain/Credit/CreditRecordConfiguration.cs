using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Credit;

internal sealed class CreditRecordConfiguration : IEntityTypeConfiguration<CreditRecord>
{
    public void Configure(EntityTypeBuilder<CreditRecord> builder)
    {
        builder.ToTable("tr_credit_records");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(r => r.SubjectKind).HasColumnName("subject_kind").HasConversion<string>();
        builder.Property(r => r.SubjectId).HasColumnName("subject_id");
        builder.Property(r => r.SubjectName).HasColumnName("subject_name");
        builder.Property(r => r.SubjectCode).HasColumnName("subject_code");
        builder.Property(r => r.Kind).HasColumnName("kind").HasConversion<string>();
        builder.Property(r => r.Category).HasColumnName("category").HasConversion<string>();
        builder.Property(r => r.LegalBasis).HasColumnName("legal_basis");
        builder.Property(r => r.DecisionNumber).HasColumnName("decision_number");
        builder.Property(r => r.Reason).HasColumnName("reason");
        builder.Property(r => r.DecidedOn).HasColumnName("decided_on");
        builder.Property(r => r.BarsParticipation).HasColumnName("bars_participation");
        builder.Property(r => r.BarFrom).HasColumnName("bar_from");
        builder.Property(r => r.BarUntil).HasColumnName("bar_until");
        builder.Property(r => r.WarningId).HasColumnName("warning_id");
        builder.Property(r => r.IssuedBy).HasColumnName("issued_by");
        builder.Property(r => r.CentreId).HasColumnName("centre_id");
        builder.Property(r => r.RecordedAt).HasColumnName("recorded_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(r => r.RevokedAt).HasColumnName("revoked_at").HasConversion(UtcTicksConverters.NullableTicks);
        builder.Property(r => r.RevokedBy).HasColumnName("revoked_by");
        builder.Property(r => r.RevocationReason).HasColumnName("revocation_reason");
        builder.Property(r => r.Version).HasColumnName("version").IsConcurrencyToken();
        builder.Ignore(r => r.IsRevoked);
        builder.HasIndex(r => new { r.SubjectKind, r.SubjectId });
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Printing;

/// <summary>
/// One issued official document (tr_printing_documents): the stored PDF's document id and SM3, what it is, who issued
/// it when, and who may read it. The verify page reads it by <see cref="Id"/>; nobody changes it afterwards.
/// </summary>
public sealed class OfficialDocumentRecord
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private OfficialDocumentRecord()
    {
    }

    public Guid Id { get; private set; }

    public Guid DocumentId { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid? SectionId { get; private set; }

    public Guid CentreId { get; private set; }

    public string Kind { get; private set; } = string.Empty;

    public string Title { get; private set; } = string.Empty;

    public string Issuer { get; private set; } = string.Empty;

    public string? Number { get; private set; }

    public string FileName { get; private set; } = string.Empty;

    public long Length { get; private set; }

    public string Sm3 { get; private set; } = string.Empty;

    public DateTimeOffset IssuedAt { get; private set; }

    public string IssuedBy { get; private set; } = string.Empty;

    public string AudienceJson { get; private set; } = "{}";

    public DocumentAudience Audience => JsonSerializer.Deserialize<DocumentAudience>(AudienceJson, Json) ?? DocumentAudience.StaffOnly;

    internal static OfficialDocumentRecord Create(Guid id, Document stored, OfficialDocumentSpec spec, Guid centreId, DateTimeOffset issuedAt) =>
        new()
        {
            Id = id,
            DocumentId = stored.Id,
            ProjectId = spec.ProjectId,
            SectionId = spec.SectionId,
            CentreId = centreId,
            Kind = spec.Kind,
            Title = spec.Title.Trim(),
            Issuer = spec.Issuer.Trim(),
            Number = string.IsNullOrWhiteSpace(spec.Number) ? null : spec.Number.Trim(),
            FileName = stored.Name,
            Length = stored.Length,
            Sm3 = stored.Sm3,
            IssuedAt = issuedAt,
            IssuedBy = spec.IssuedBy,
            AudienceJson = JsonSerializer.Serialize(spec.Audience, Json),
        };

    public IssuedDocument ToIssued() =>
        new(Id, DocumentId, ProjectId, SectionId, Kind, Title, Issuer, Number, FileName, Length, Sm3, IssuedAt, IssuedBy, OfficialDocuments.VerifyPathOf(Id));
}

internal sealed class OfficialDocumentRecordConfiguration : IEntityTypeConfiguration<OfficialDocumentRecord>
{
    public void Configure(EntityTypeBuilder<OfficialDocumentRecord> builder)
    {
        builder.ToTable("tr_printing_documents");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(d => d.DocumentId).HasColumnName("document_id");
        builder.Property(d => d.ProjectId).HasColumnName("project_id");
        builder.Property(d => d.SectionId).HasColumnName("section_id");
        builder.Property(d => d.CentreId).HasColumnName("centre_id");
        builder.Property(d => d.Kind).HasColumnName("kind");
        builder.Property(d => d.Title).HasColumnName("title");
        builder.Property(d => d.Issuer).HasColumnName("issuer");
        builder.Property(d => d.Number).HasColumnName("number");
        builder.Property(d => d.FileName).HasColumnName("file_name");
        builder.Property(d => d.Length).HasColumnName("length");
        builder.Property(d => d.Sm3).HasColumnName("sm3");
        builder.Property(d => d.IssuedAt).HasColumnName("issued_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(d => d.IssuedBy).HasColumnName("issued_by");
        builder.Property(d => d.AudienceJson).HasColumnName("audience");
        builder.Ignore(d => d.Audience);
    }
}

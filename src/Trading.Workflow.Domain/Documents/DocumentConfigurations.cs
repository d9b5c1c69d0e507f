using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Trading.Workflow.Domain.Documents;

internal sealed class DocumentConfiguration : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> builder)
    {
        builder.ToTable("tr_documents");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(d => d.Sha256).HasColumnName("sha256");
        builder.Property(d => d.Sm3).HasColumnName("sm3");
        builder.Property(d => d.Length).HasColumnName("length");
        builder.Property(d => d.Kind).HasColumnName("kind").HasConversion<string>();
        builder.Property(d => d.ContentType).HasColumnName("content_type");
        builder.Property(d => d.Name).HasColumnName("name");
        builder.Property(d => d.UploadedBy).HasColumnName("uploaded_by");
        builder.Property(d => d.UploadedAt).HasColumnName("uploaded_at").HasConversion(UtcTicks.Converter);
        builder.Property(d => d.CentreId).HasColumnName("centre_id");
        builder.Property(d => d.ProjectId).HasColumnName("project_id");
        builder.Property(d => d.SectionId).HasColumnName("section_id");
        builder.Property(d => d.DamagedAt).HasColumnName("damaged_at").HasConversion(UtcTicks.NullableConverter);
        builder.Property(d => d.DamagedSha256).HasColumnName("damaged_sha256");
        builder.Ignore(d => d.IsDamaged);
    }
}

internal sealed class DocumentDownloadConfiguration : IEntityTypeConfiguration<DocumentDownload>
{
    public void Configure(EntityTypeBuilder<DocumentDownload> builder)
    {
        builder.ToTable("tr_document_downloads");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(d => d.DocumentId).HasColumnName("document_id");
        builder.Property(d => d.UserName).HasColumnName("user_name");
        builder.Property(d => d.At).HasColumnName("at").HasConversion(UtcTicks.Converter);
        builder.Property(d => d.Refused).HasColumnName("refused");
    }
}

/// <summary>Times as UTC ticks (bigint on both databases), so they sort and compare in SQL on SQLite too.</summary>
internal static class UtcTicks
{
    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long> Converter =
        new(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset?, long?> NullableConverter =
        new(v => v.HasValue ? v.Value.UtcTicks : null, v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);
}

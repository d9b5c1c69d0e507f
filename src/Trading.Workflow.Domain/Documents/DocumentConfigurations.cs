using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Trading.Workflow.Domain.Persistence;

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
        builder.Property(d => d.UploadedAt).HasColumnName("uploaded_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(d => d.CentreId).HasColumnName("centre_id");
        builder.Property(d => d.ProjectId).HasColumnName("project_id");
        builder.Property(d => d.SectionId).HasColumnName("section_id");
        builder.Property(d => d.DamagedAt).HasColumnName("damaged_at").HasConversion(UtcTicksConverters.NullableTicks);
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
        builder.Property(d => d.At).HasColumnName("at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(d => d.Refused).HasColumnName("refused");
    }
}

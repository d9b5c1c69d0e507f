using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Archive;

/// <summary>
/// A project's archive (tr_archive_projects): when and by whom it was archived, the stored package (a zip in the
/// Documents registry) with its SM3, and the SM3 of the manifest inside it. Its existence makes the project read-only
/// (<see cref="ArchiveGuard"/>).
/// </summary>
public sealed class ProjectArchive
{
    private ProjectArchive()
    {
    }

    public Guid ProjectId { get; private set; }

    public Guid CentreId { get; private set; }

    public string ProjectCode { get; private set; } = string.Empty;

    public DateTimeOffset ArchivedAt { get; private set; }

    public string ArchivedBy { get; private set; } = string.Empty;

    /// <summary>The package (zip) in the Documents registry.</summary>
    public Guid PackageDocumentId { get; private set; }

    /// <summary>SM3 of the package file, lower-case hex.</summary>
    public string PackageSm3 { get; private set; } = string.Empty;

    /// <summary>SM3 of <c>manifest.json</c> inside the package, lower-case hex (also in <c>manifest.sm3</c>).</summary>
    public string ManifestSm3 { get; private set; } = string.Empty;

    /// <summary>How many files the manifest lists.</summary>
    public int Entries { get; private set; }

    /// <summary>The procedure instance whose end archived it, when a procedure did.</summary>
    public string? InstanceId { get; private set; }

    internal static ProjectArchive Create(
        Guid projectId, Guid centreId, string projectCode, DateTimeOffset at, string by, Document package, string manifestSm3, int entries, string? instanceId) =>
        new()
        {
            ProjectId = projectId,
            CentreId = centreId,
            ProjectCode = projectCode,
            ArchivedAt = at,
            ArchivedBy = by,
            PackageDocumentId = package.Id,
            PackageSm3 = package.Sm3,
            ManifestSm3 = manifestSm3,
            Entries = entries,
            InstanceId = instanceId,
        };
}

internal sealed class ProjectArchiveConfiguration : IEntityTypeConfiguration<ProjectArchive>
{
    public void Configure(EntityTypeBuilder<ProjectArchive> builder)
    {
        builder.ToTable("tr_archive_projects");
        builder.HasKey(a => a.ProjectId);
        builder.Property(a => a.ProjectId).HasColumnName("project_id").ValueGeneratedNever();
        builder.Property(a => a.CentreId).HasColumnName("centre_id");
        builder.Property(a => a.ProjectCode).HasColumnName("project_code");
        builder.Property(a => a.ArchivedAt).HasColumnName("archived_at").HasConversion(UtcTicksConverters.Ticks);
        builder.Property(a => a.ArchivedBy).HasColumnName("archived_by");
        builder.Property(a => a.PackageDocumentId).HasColumnName("package_document_id");
        builder.Property(a => a.PackageSm3).HasColumnName("package_sm3");
        builder.Property(a => a.ManifestSm3).HasColumnName("manifest_sm3");
        builder.Property(a => a.Entries).HasColumnName("entries");
        builder.Property(a => a.InstanceId).HasColumnName("instance_id");
    }
}

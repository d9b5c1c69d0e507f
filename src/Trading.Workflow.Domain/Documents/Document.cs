namespace Trading.Workflow.Domain.Documents;

/// <summary>
/// One uploaded document in the registry (tr_documents): which stored bytes (by SHA-256, with the SM3 digest), under
/// which name, who uploaded it and for which centre, project and section. The same bytes uploaded twice are two
/// documents over one stored file. A document whose bytes stopped matching their hash is flagged and never served.
/// </summary>
public sealed class Document
{
    public Document(
        Guid id, StoredFile file, string uploadedBy, DateTimeOffset uploadedAt, Guid? centreId, Guid? projectId, Guid? sectionId)
    {
        ArgumentNullException.ThrowIfNull(file);
        Id = id;
        Sha256 = file.Sha256;
        Sm3 = file.Sm3;
        Length = file.Length;
        Kind = file.Kind;
        ContentType = file.ContentType;
        Name = file.Name;
        UploadedBy = uploadedBy;
        UploadedAt = uploadedAt;
        CentreId = centreId;
        ProjectId = projectId;
        SectionId = sectionId;
    }

    private Document()
    {
        Sha256 = Sm3 = ContentType = Name = UploadedBy = string.Empty;
    }

    public Guid Id { get; private set; }

    public string Sha256 { get; private set; }

    public string Sm3 { get; private set; }

    public long Length { get; private set; }

    public FileKind Kind { get; private set; }

    public string ContentType { get; private set; }

    /// <summary>The name the uploader gave (cleaned: no path).</summary>
    public string Name { get; private set; }

    public string UploadedBy { get; private set; }

    public DateTimeOffset UploadedAt { get; private set; }

    public Guid? CentreId { get; private set; }

    public Guid? ProjectId { get; private set; }

    public Guid? SectionId { get; private set; }

    /// <summary>When the bytes were found not to match the hash; null while intact.</summary>
    public DateTimeOffset? DamagedAt { get; private set; }

    /// <summary>The SHA-256 the bytes had when found damaged (or "missing").</summary>
    public string? DamagedSha256 { get; private set; }

    public bool IsDamaged => DamagedAt is not null;

    internal void MarkDamaged(DateTimeOffset at, string actualSha256)
    {
        DamagedAt ??= at;
        DamagedSha256 = actualSha256;
    }
}

/// <summary>One download of a document (tr_document_downloads): who, when, and whether it was refused (damaged file).</summary>
public sealed class DocumentDownload
{
    public DocumentDownload(Guid id, Guid documentId, string userName, DateTimeOffset at, bool refused)
    {
        Id = id;
        DocumentId = documentId;
        UserName = userName;
        At = at;
        Refused = refused;
    }

    public Guid Id { get; private set; }

    public Guid DocumentId { get; private set; }

    public string UserName { get; private set; }

    public DateTimeOffset At { get; private set; }

    public bool Refused { get; private set; }
}

namespace Trading.Workflow.Domain.Documents;

/// <summary>What one upload field accepts: the kinds (by content) and the largest size in bytes.</summary>
public sealed record FilePolicy(IReadOnlyList<FileKind> Allowed, long MaxBytes)
{
    public const int MaxNameLength = 200;

    /// <summary>Documents of a trade: notices' attachments, tender documents, records, contracts.</summary>
    public static FilePolicy TradeDocuments { get; } = new([FileKind.Pdf, FileKind.Ofd, FileKind.Docx, FileKind.Xlsx, FileKind.Zip], 200L * 1024 * 1024);

    /// <summary>Scans of certificates and licences.</summary>
    public static FilePolicy Scans { get; } = new([FileKind.Pdf, FileKind.Ofd, FileKind.Png, FileKind.Jpeg], 20L * 1024 * 1024);

    /// <summary>A sealed bid's encrypted files (<c>*.sm4</c>, ciphertext only), up to <paramref name="maxBytes"/>.</summary>
    public static FilePolicy SealedBids(long maxBytes) => new([FileKind.SealedCiphertext], maxBytes);

    /// <summary>Checks a name a user gave a file: no path, no control characters, a sensible length.</summary>
    public static string CleanName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? string.Empty).Replace('\\', '/')).Trim();
        if (name.Length == 0 || name.Length > MaxNameLength || name.Any(char.IsControl) || name is "." or "..")
        {
            throw new DomainRuleException(DocumentRules.NameInvalid, $"A file name has 1 to {MaxNameLength} characters and no path.");
        }

        return name;
    }
}

/// <summary>A stored file: content-addressed by SHA-256, with its SM3 digest for GM/T signatures and records.</summary>
public sealed record StoredFile(string Sha256, string Sm3, long Length, FileKind Kind, string ContentType, string Name);

/// <summary>Bytes on disk no longer match their hash: never served, reported to supervisors.</summary>
public sealed class DocumentDamagedException(string sha256, string actualSha256)
    : Exception($"Stored file {sha256} no longer matches its hash (now {actualSha256}).")
{
    public string Sha256 { get; } = sha256;

    public string ActualSha256 { get; } = actualSha256;
}

/// <summary>Where a trade's files are kept. Implementations stream: no file is ever held in memory whole.</summary>
public interface IFileStore
{
    /// <summary>
    /// Streams <paramref name="content"/> to storage, refusing it once it passes the policy's size, then checks its
    /// kind from the bytes. The same bytes stored twice are kept once.
    /// </summary>
    Task<StoredFile> SaveAsync(Stream content, string fileName, FilePolicy policy, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a stored file for reading after checking its bytes still hash to <paramref name="sha256"/>; throws
    /// <see cref="DocumentDamagedException"/> if not, and a rule exception when there is no such file.
    /// </summary>
    Task<Stream> OpenVerifiedAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a stored file without reading it first, for a caller that verifies the hash while it streams the bytes
    /// (<see cref="DocumentDownloadHandle"/>); a rule exception when there is no such file.
    /// </summary>
    Task<Stream> OpenAsync(string sha256, CancellationToken cancellationToken = default);
}

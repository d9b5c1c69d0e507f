namespace Trading.Workflow.Domain.Documents;

/// <summary>Where trade documents are kept and what an upload may be (section <c>Documents</c>).</summary>
public sealed class DocumentOptions
{
    public const string SectionName = "Documents";

    public static readonly IReadOnlyList<FileKind> DefaultKinds =
        [FileKind.Pdf, FileKind.Ofd, FileKind.Docx, FileKind.Xlsx, FileKind.Zip, FileKind.Png, FileKind.Jpeg];

    /// <summary>The file store's folder; empty means <c>files</c> under the data folder (<c>Storage:DataFolder</c>).</summary>
    public string Folder { get; set; } = string.Empty;

    /// <summary>The kinds accepted, told from the content (Pdf, Ofd, Docx, Xlsx, Zip, Png, Jpeg, Text); empty means <see cref="DefaultKinds"/>.</summary>
    public List<FileKind> AllowedKinds { get; set; } = [];

    /// <summary>The largest file accepted, in bytes (default 200 MB).</summary>
    public long MaxBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Files larger than this go up in resumable chunks (default 8 MB).</summary>
    public long ChunkedAboveBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>The size of one chunk (default 4 MB; 64 KB to 64 MB).</summary>
    public int ChunkBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long an unfinished chunked upload can be resumed (default 24 hours).</summary>
    public TimeSpan UploadExpiry { get; set; } = TimeSpan.FromHours(24);

    public IReadOnlyList<FileKind> Kinds => AllowedKinds.Count > 0 ? AllowedKinds : DefaultKinds;

    public FilePolicy Policy => new(Kinds, MaxBytes);

    /// <summary>What is wrong with the settings, naming the setting; empty when they hold.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxBytes < 1)
        {
            yield return "Documents:MaxBytes must be at least 1.";
        }

        if (ChunkBytes is < 64 * 1024 or > 64 * 1024 * 1024)
        {
            yield return "Documents:ChunkBytes must be between 65536 and 67108864.";
        }

        if (ChunkedAboveBytes < 0)
        {
            yield return "Documents:ChunkedAboveBytes must not be negative.";
        }

        if (AllowedKinds.Contains(FileKind.Unknown))
        {
            yield return "Documents:AllowedKinds may not name Unknown.";
        }

        if (UploadExpiry <= TimeSpan.Zero)
        {
            yield return "Documents:UploadExpiry must be positive.";
        }
    }
}

using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Archive;

/// <summary>One file of an archive package: its path in the zip, size, SM3 (hex), and where it came from.</summary>
/// <param name="Source">e.g. <c>document:{id}</c>, <c>official-document:{id}</c>, <c>opening-record:{sessionId}</c>, <c>engine-history</c>, <c>trail</c>.</param>
/// <param name="RegisteredSm3">For a registry document: the SM3 recorded when it was uploaded (equal to <paramref name="Sm3"/> when intact).</param>
public sealed record ArchiveEntry(string Path, long Length, string Sm3, string Source, string? RegisteredSm3 = null);

/// <summary>
/// What a supplement (补充归档) adds to: its number, why it was made, and the original package and the supplement before
/// it by their SM3s, so a supplement cannot be detached from its archive, and one removed from the chain shows.
/// </summary>
public sealed record ArchiveSupplementLink(
    int Sequence, string Reason, Guid SubjectId, Guid OriginalPackageDocumentId, string OriginalPackageSm3, string OriginalManifestSm3, string? PreviousManifestSm3);

/// <summary>
/// The manifest (<c>manifest.json</c>) of an archive package: the project, when and by whom it was archived, and every
/// other file of the zip with its SM3. Its own SM3 is <c>manifest.sm3</c> in the zip and
/// <see cref="ProjectArchive.ManifestSm3"/> in the database, so the manifest cannot be edited to match altered files.
/// A supplement's package has the same form and names what it supplements (<see cref="Supplement"/>; absent, and so
/// not written, in an original package, whose bytes stay as they always were).
/// </summary>
public sealed record ArchiveManifest(
    string Format, Guid ProjectId, string ProjectCode, string ProjectName, string TradeType, DateTimeOffset ArchivedAt, string ArchivedBy,
    IReadOnlyList<ArchiveEntry> Files, ArchiveSupplementLink? Supplement = null)
{
    public const string FormatName = "trading-workflow-archive/1";
    public const string SupplementFormatName = "trading-workflow-archive-supplement/1";
    public const string ManifestPath = "manifest.json";
    public const string ManifestHashPath = "manifest.sm3";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, Json));

    public static string Sm3Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(Sm3.Hash(bytes));

    /// <summary>
    /// Checks a package: the manifest hashes to <c>manifest.sm3</c> (and to <paramref name="expectedManifestSm3"/> when
    /// given, the value the platform recorded), every listed file is there with its length and SM3, and no file is there
    /// that the manifest does not list.
    /// </summary>
    public static async Task<ArchiveVerification> VerifyAsync(Stream package, string? expectedManifestSm3 = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        using var zip = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true);
        var manifestEntry = zip.GetEntry(ManifestPath);
        var hashEntry = zip.GetEntry(ManifestHashPath);
        if (manifestEntry is null || hashEntry is null)
        {
            return new ArchiveVerification(null, false, false, [], [], [ManifestPath]);
        }

        byte[] manifestBytes;
        await using (var stream = await manifestEntry.OpenAsync(cancellationToken))
        using (var copy = new MemoryStream())
        {
            await stream.CopyToAsync(copy, cancellationToken);
            manifestBytes = copy.ToArray();
        }

        string recorded;
        await using (var stream = await hashEntry.OpenAsync(cancellationToken))
        using (var reader = new StreamReader(stream, Encoding.ASCII))
        {
            recorded = (await reader.ReadToEndAsync(cancellationToken)).Trim();
        }

        var manifestSm3 = Sm3Hex(manifestBytes);
        var manifestIntact = string.Equals(manifestSm3, recorded, StringComparison.OrdinalIgnoreCase)
                             && (expectedManifestSm3 is null || string.Equals(manifestSm3, expectedManifestSm3, StringComparison.OrdinalIgnoreCase));
        ArchiveManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ArchiveManifest>(manifestBytes, Json);
        }
        catch (JsonException)
        {
            manifest = null;
        }

        if (manifest is null)
        {
            return new ArchiveVerification(null, manifestIntact, false, [], [], [ManifestPath]);
        }

        var mismatched = new List<string>();
        var missing = new List<string>();
        foreach (var file in manifest.Files)
        {
            var entry = zip.GetEntry(file.Path);
            if (entry is null)
            {
                missing.Add(file.Path);
                continue;
            }

            // Hashed while streaming out of the zip (documents can be large).
            await using var stream = await entry.OpenAsync(cancellationToken);
            var sm3 = Convert.ToHexStringLower(await Sm3.HashAsync(stream, cancellationToken));
            if (!string.Equals(sm3, file.Sm3, StringComparison.OrdinalIgnoreCase) || entry.Length != file.Length)
            {
                mismatched.Add(file.Path);
            }
        }

        var listed = manifest.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var extra = zip.Entries.Where(e => !e.FullName.EndsWith('/') && e.FullName is not ManifestPath and not ManifestHashPath && !listed.Contains(e.FullName))
            .Select(e => e.FullName).ToList();
        return new ArchiveVerification(manifest, manifestIntact, mismatched.Count == 0 && missing.Count == 0 && extra.Count == 0, mismatched, extra, missing);
    }
}

/// <summary>What checking a package found.</summary>
/// <param name="ManifestIntact">The manifest hashes to <c>manifest.sm3</c> (and to the platform's record when asked).</param>
/// <param name="FilesIntact">Every listed file is present with its SM3 and nothing unlisted is there.</param>
public sealed record ArchiveVerification(
    ArchiveManifest? Manifest, bool ManifestIntact, bool FilesIntact,
    IReadOnlyList<string> Mismatched, IReadOnlyList<string> Unlisted, IReadOnlyList<string> Missing)
{
    public bool IsIntact => ManifestIntact && FilesIntact;
}

using System.IO.Compression;
using System.Text.Json;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Domain.Archive;

/// <summary>
/// A part's own records in a project's archive package (the evaluation's report and sheets, a grant's offering, bid
/// logs and result): registered by the part's <c>AddXxx()</c> (<c>TryAddEnumerable</c>), asked for every project in the
/// archive's transaction, writes nothing for a project it has no rows for. The archive itself reads only the kernel's
/// parts, so a trade that runs without a part (a grant without the evaluation) archives without its tables.
/// </summary>
public interface IArchiveRecords
{
    Task AddAsync(ArchivePackageWriter package, TradingDbContext db, Project project, CancellationToken cancellationToken);
}

/// <summary>Writes files of a package under construction, each hashed (SM3) into the manifest.</summary>
public sealed class ArchivePackageWriter
{
    private readonly ZipArchive _zip;
    private readonly List<ArchiveEntry> _entries;

    internal ArchivePackageWriter(ZipArchive zip, List<ArchiveEntry> entries)
    {
        _zip = zip;
        _entries = entries;
    }

    /// <summary>
    /// Adds <c>records/&lt;name&gt;</c> holding <paramref name="value"/> as JSON; <paramref name="source"/> names what it was
    /// read from in the manifest. A part writes only under <c>records/</c> and never a path another part wrote.
    /// </summary>
    public async Task AddJsonAsync(string name, object value, string source, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var path = "records/" + name;
        if (name.Contains("..", StringComparison.Ordinal) || name.StartsWith('/') || _entries.Any(e => e.Path == path))
        {
            throw new InvalidOperationException($"The archive record {path} is not a new path under records/.");
        }

        _entries.Add(await ArchiveService.WriteJsonAsync(_zip, path, value, source, cancellationToken));
    }

    /// <summary>A name made safe for a path inside the package (what the archive does to section codes and member names).</summary>
    public static string SafeName(string name) => ArchiveService.SafeName(name);

    /// <summary>The options the package's JSON files are written with.</summary>
    public static JsonSerializerOptions Json => ArchiveManifest.Json;
}

namespace Trading.Workflow.Web.Tests.Hardening;

/// <summary>
/// Who may reach each endpoint and page of the platform, read from the <c>EndpointAccess.tsv</c> files kept next to the
/// endpoints: each folder of the web project that holds pages or endpoint handlers has one, with a row
/// <c>KEY&lt;tab&gt;RULE</c> per endpoint (<c>PAGE /bids</c>, <c>GET /api/projects/{id:guid}</c>); the rule is
/// <c>anonymous</c>, <c>signed-in</c> (any role; the handler or page then decides by scope), <c>roles:A,B</c> or
/// <c>policy:Name</c>. Endpoints the framework declares (OpenAPI, the API reference, health) are in the web project's
/// root file. The test project copies the files (see its .csproj); <see cref="EndpointAccessTests"/> fails when an
/// endpoint has no row, a row is kept away from its endpoint, names one that no longer exists, or says otherwise than
/// the endpoint's metadata and its answers to anonymous and to each demo role.
/// </summary>
public static class EndpointAccessTable
{
    public const string FileName = "EndpointAccess.tsv";

    /// <summary>Where the copies of the files are, below the test's output folder (the web project's folders beneath).</summary>
    public const string CopyFolder = "EndpointAccess";

    private static readonly Lazy<IReadOnlyList<EndpointAccessRow>> All = new(Load);

    /// <summary>Every row of every file, in file order.</summary>
    public static IReadOnlyList<EndpointAccessRow> AllRows => All.Value;

    /// <summary>The rule of each endpoint key (the first row where a key is listed twice; see <see cref="AllRows"/>).</summary>
    public static IReadOnlyDictionary<string, string> Rows { get; } = AllRows
        .GroupBy(r => r.Key, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Rule, StringComparer.Ordinal);

    /// <summary>The folder (relative to src/Trading.Workflow.Web, '/'-separated, "" for its root) whose file holds each key.</summary>
    public static IReadOnlyDictionary<string, string> Folders { get; } = AllRows
        .GroupBy(r => r.Key, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Folder, StringComparer.Ordinal);

    /// <summary>Where a folder's file is in the repository.</summary>
    public static string PathOf(string folder) => string.IsNullOrEmpty(folder)
        ? $"src/Trading.Workflow.Web/{FileName}"
        : $"src/Trading.Workflow.Web/{folder}/{FileName}";

    private static List<EndpointAccessRow> Load()
    {
        var root = Path.Combine(AppContext.BaseDirectory, CopyFolder);
        var rows = new List<EndpointAccessRow>();
        foreach (var file in Directory.EnumerateFiles(root, FileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var folder = Path.GetRelativePath(root, Path.GetDirectoryName(file)!).Replace('\\', '/');
            folder = folder == "." ? string.Empty : folder;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                var parts = line.Split('\t', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 2)
                {
                    throw new InvalidDataException($"{PathOf(folder)} line {i + 1}: expected 'KEY<tab>RULE', got '{line}'.");
                }

                rows.Add(new EndpointAccessRow(parts[0], parts[1], folder, i + 1));
            }
        }

        return rows;
    }
}

/// <summary>One row of an <c>EndpointAccess.tsv</c>.</summary>
public sealed record EndpointAccessRow(string Key, string Rule, string Folder, int Line);

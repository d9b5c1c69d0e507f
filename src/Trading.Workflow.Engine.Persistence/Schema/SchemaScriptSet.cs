using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Trading.Workflow.Engine.Persistence.Schema;

/// <summary>
/// The ordered scripts of one module (e.g. "web", "engine") for one provider. Versions start at 1
/// and have no gaps, so every database walks the same path from empty to latest.
/// </summary>
public sealed partial class SchemaScriptSet
{
    public SchemaScriptSet(string module, DatabaseProvider provider, IEnumerable<SchemaScript> scripts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        Module = module;
        Provider = provider;
        Scripts = scripts.OrderBy(s => s.Version).ToArray();
        for (var i = 0; i < Scripts.Count; i++)
        {
            if (Scripts[i].Version != i + 1)
            {
                throw new SchemaException(
                    $"Schema scripts of module '{module}' ({provider}) must be numbered 1, 2, 3... without gaps or duplicates; "
                    + $"found version {Scripts[i].Version} ('{Scripts[i].Name}') at position {i + 1}.");
            }
        }
    }

    public string Module { get; }

    public DatabaseProvider Provider { get; }

    public IReadOnlyList<SchemaScript> Scripts { get; }

    public int LatestVersion => Scripts.Count;

    /// <summary>
    /// Loads the embedded resources whose names start with <paramref name="resourcePrefix"/> and end in
    /// <c>.sql</c>; each file name starts with its version, e.g. <c>0002_trading_centres.sql</c>.
    /// </summary>
    public static SchemaScriptSet FromEmbeddedResources(
        string module, DatabaseProvider provider, Assembly assembly, string resourcePrefix)
    {
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.StartsWith(resourcePrefix, StringComparison.Ordinal)
                                 && n.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)))
        {
            var fileName = resource[resourcePrefix.Length..].TrimStart('.');
            var match = VersionPrefix().Match(fileName);
            if (!match.Success)
            {
                throw new SchemaException($"Schema script resource '{resource}' must start with its version number, e.g. 0001_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                               ?? throw new SchemaException($"Schema script resource '{resource}' cannot be read.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(new SchemaScript(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), fileName, reader.ReadToEnd()));
        }

        if (scripts.Count == 0)
        {
            throw new SchemaException($"No schema scripts found for module '{module}' ({provider}) under resource prefix '{resourcePrefix}'.");
        }

        return new SchemaScriptSet(module, provider, scripts);
    }

    [GeneratedRegex(@"^(\d+)[_\-.]")]
    private static partial Regex VersionPrefix();
}

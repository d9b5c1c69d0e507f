using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;

namespace Trading.Workflow.Web.Tests.Localization;

/// <summary>
/// The .resx files are generated from the .tsv tables (tools/dev/resx.py): a key added to a table without running it
/// shows as its key name on the page. Every table's rows must be what the built app serves, in Chinese and in English.
/// </summary>
public sealed class ResourceTablesTests
{
    public static TheoryData<string> Tables() =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "ResourceTables"), "*.tsv").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Tables))]
    public void EveryRowOfTheTable_IsServed_InChineseAndEnglish(string table)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "ResourceTables", table));
        Assert.Equal("key\tzh-CN\ten", lines[0]);
        var stem = Path.GetFileNameWithoutExtension(table);
        var name = stem == "strings" ? "SharedResource" : stem;
        var assembly = typeof(Program).Assembly;
        var manifest = Assert.Single(assembly.GetManifestResourceNames(), n => n.EndsWith("." + name + ".resources", StringComparison.Ordinal));
        var resources = new ResourceManager(manifest[..^".resources".Length], assembly);

        var stale = new List<string>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split('\t');
            if (resources.GetString(cells[0], CultureInfo.GetCultureInfo("zh-CN")) != cells[1]
                || resources.GetString(cells[0], CultureInfo.GetCultureInfo("en")) != cells[2])
            {
                stale.Add(cells[0]);
            }
        }

        Assert.True(stale.Count == 0, $"{table}: run tools/dev/resx.py; not as in the table: {string.Join(", ", stale)}");
    }

    /// <summary>
    /// The English column counts days in English: a bidder reading the English UI was told objections "must be raised at
    /// least 10 日 before the bid deadline".
    /// </summary>
    [Theory]
    [MemberData(nameof(Tables))]
    public void TheEnglishColumn_SaysDays_NotTheChineseUnit(string table)
    {
        var chineseDays = new Regex(@"(\d|\})[- ]?日", RegexOptions.CultureInvariant);
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "ResourceTables", table)).Skip(1)
            .Select(l => l.Split('\t')).Where(c => c.Length == 3 && chineseDays.IsMatch(c[2])).Select(c => c[0]).ToList();

        Assert.True(rows.Count == 0, $"{table}: English rows counting in 日: {string.Join(", ", rows)}");
    }
}

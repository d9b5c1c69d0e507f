using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Trading.Workflow.Web.Tests.Infrastructure;

/// <summary>
/// The web reads engine data only through the persistence project's query services (issue 15 §5): no SQL on the
/// engine's wf_* tables and no engine DbContext in the web project's sources.
/// </summary>
public sealed partial class EngineDataBoundaryTests
{
    private static readonly string[] EngineTables =
    [
        "wf_definitions", "wf_history", "wf_holiday_calendar", "wf_incidents", "wf_instances", "wf_jobs", "wf_subscriptions",
        "wf_task_candidates", "wf_tasks", "wf_timers", "wf_variables",
    ];

    [GeneratedRegex(@"^\s*(//|\*|/\*)")]
    private static partial Regex CommentLine();

    /// <summary>Code lines (not comments) that name an engine table or reach the engine's DbContext.</summary>
    internal static IEnumerable<string> Offences(string file, IEnumerable<string> lines)
    {
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (CommentLine().IsMatch(line))
            {
                continue;
            }

            var table = EngineTables.FirstOrDefault(t => Regex.IsMatch(line, $@"\b{t}\b"));
            if (table is not null || Regex.IsMatch(line, @"\bWorkflowDbContext\b") || line.Contains("database.CreateContext(", StringComparison.Ordinal))
            {
                yield return $"{file}:{number}: {line.Trim()}";
            }
        }
    }

    private static string WebSources([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "src", "Trading.Workflow.Web"));

    [Fact]
    public void WebSources_NameNoEngineTableAndNoEngineContext()
    {
        var root = WebSources();
        var files = Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 100, $"found only {files.Count} sources under {root}");

        var offences = files.SelectMany(f => Offences(Path.GetRelativePath(root, f), File.ReadLines(f))).ToList();

        Assert.True(offences.Count == 0, "SQL on engine tables in the web project (use Engine.Persistence.Queries):\n" + string.Join("\n", offences));
    }

    [Fact]
    public void Scanner_FindsSqlOnAnEngineTableAndTheEngineContext_IgnoresComments()
    {
        string[] sample =
        [
            "// wf_tasks in a comment is fine",
            "command.CommandText = \"SELECT COUNT(*) FROM \\\"wf_definitions\\\"\";",
            "/// <summary>wf_instances</summary>",
            "await using var db = database.CreateContext(connection);",
            "var forms = \"wf_forms\";",
            "private PlatformWorkflowDbContext Create() => new();",
            "WorkflowDbContext db = null!;",
        ];

        var offences = Offences("Sample.cs", sample).ToList();

        Assert.Equal(["Sample.cs:2", "Sample.cs:4", "Sample.cs:7"], offences.Select(o => string.Join(':', o.Split(':').Take(2))));
    }
}

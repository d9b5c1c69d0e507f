using System.Text.Json;
using Trading.Workflow.Cli;

namespace Trading.Workflow.Cli.Tests;

/// <summary>Runs the command line in-process through <see cref="CliApp.RunAsync"/> and keeps what it printed.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static string ScenarioPath(string fileName) => Path.Combine(AppContext.BaseDirectory, "Scenarios", fileName);

    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    public static Task<CliRun> SimulateAsync(string scenarioFile) => RunAsync("simulate", ScenarioPath(scenarioFile));

    /// <summary>Every stdout line, parsed as the JSON object it must be.</summary>
    public IReadOnlyList<JsonElement> Lines =>
        Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();

    /// <summary>The report line of step <paramref name="index"/> (1-based, as printed).</summary>
    public JsonElement Step(int index) => Lines.Single(l => l.GetProperty("index").GetInt32() == index);

    public static IReadOnlyList<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()).ToList();
}

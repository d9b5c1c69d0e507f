using System.Diagnostics;

namespace Trading.Workflow.Cli.Tests;

/// <summary>The built command line as a real process: arguments, exit code and stdout as a shell sees them.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task BuiltCli_SimulatingAPassingScenario_ExitsZeroAndPrintsJsonLines()
    {
        // The CLI project is referenced, so its assembly and runtimeconfig sit beside the tests.
        var cli = Path.Combine(AppContext.BaseDirectory, "Trading.Workflow.Cli.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cli);
        start.ArgumentList.Add("simulate");
        start.ArgumentList.Add(CliRun.ScenarioPath("bid.json"));

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(process.ExitCode == 0, await stderr);
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.Contains("\"openTasks\":[\"Evaluate bid B-2 at 100\"]", lines[2]);
    }
}

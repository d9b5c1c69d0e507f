using System.Diagnostics;
using System.Text.Json;

namespace Trading.Workflow.Bench;

/// <summary>Runs tools/bench/bpmn-engine-bench.mjs (npm bpmn-engine) in the same run, installing it first when needed.</summary>
internal static class NodeBench
{
    public static async Task<JsonElement> RunAsync(string benchDirectory, int instances, int warmup, TextWriter log)
    {
        if (!Directory.Exists(Path.Combine(benchDirectory, "node_modules", "bpmn-engine")))
        {
            log.WriteLine("node_modules missing: running npm ci in " + benchDirectory);
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], benchDirectory, log);
        }

        var output = await RunAsync(
            "node",
            [Path.Combine(benchDirectory, "bpmn-engine-bench.mjs"), "--instances", instances.ToString(), "--warmup", warmup.ToString()],
            benchDirectory,
            log);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException("bpmn-engine-bench.mjs printed no JSON line: " + output);
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    private static async Task<string> RunAsync(string program, IEnumerable<string> arguments, string directory, TextWriter log)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var error = await stderr;
        if (error.Length > 0)
        {
            log.Write(error);
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}.");
        }

        return await stdout;
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trading.Workflow.Domain.Tests.SealedBids;

/// <summary>Runs test scripts against the browser's sealed-bid modules (ClientApp src/sealed-bid) in node.</summary>
internal static class SealedBidNode
{
    /// <summary>Runs <paramref name="body"/> in node with <c>b</c> = browser.js, <c>c</c> = core.js, <c>input</c> and <c>out(value)</c>.</summary>
    public static async Task<JsonNode> RunAsync(string body, object input)
    {
        var clientApp = ClientApp();
        var script = Path.Combine(Path.GetTempPath(), $"tw-sealed-bid-{Guid.NewGuid():N}.mjs");
        var inputFile = script + ".json";
        await File.WriteAllTextAsync(inputFile, JsonSerializer.Serialize(input));
        var folder = Path.Combine(clientApp, "src", "sealed-bid");
        await File.WriteAllTextAsync(script, $$"""
            import * as c from {{JsonSerializer.Serialize(new Uri(Path.Combine(folder, "core.js")).AbsoluteUri)}};
            import * as b from {{JsonSerializer.Serialize(new Uri(Path.Combine(folder, "browser.js")).AbsoluteUri)}};
            import { readFileSync } from 'node:fs';
            const input = JSON.parse(readFileSync({{JsonSerializer.Serialize(inputFile)}}, 'utf8'));
            const out = value => process.stdout.write(JSON.stringify(value));
            {{body}}
            """, Encoding.UTF8);
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", [script])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = clientApp,
            })!;
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(node.ExitCode == 0, "node failed: " + await stderr);
            return JsonNode.Parse(await stdout)!;
        }
        finally
        {
            File.Delete(script);
            File.Delete(inputFile);
        }
    }

    /// <summary>The web project's ClientApp with its npm packages installed (tools/test.sh runs npm ci).</summary>
    private static string ClientApp()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "src", "Trading.Workflow.Web", "ClientApp");
            if (Directory.Exists(candidate))
            {
                Assert.True(Directory.Exists(Path.Combine(candidate, "node_modules", "sm-crypto")), $"npm packages are not installed in {candidate} (run tools/test.sh or npm ci there).");
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("src/Trading.Workflow.Web/ClientApp not found above " + AppContext.BaseDirectory);
    }
}

using System.Diagnostics;

namespace Trading.Workflow.Engine.Quartz.Tests.Support;

/// <summary>One application node as a real process (the ClusterHost console app), killed with SIGKILL when asked.</summary>
public sealed class ClusterNodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private ClusterNodeProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    public static async Task<ClusterNodeProcess> StartAsync(string connectionString, string node, string mode, int workMilliseconds, int threads = 10)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { HostDll(), "--pg", connectionString, "--node", node, "--mode", mode, "--work-ms", workMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var node_ = new ClusterNodeProcess(process);
        process.OutputDataReceived += (_, e) => node_.Receive(e.Data);
        process.ErrorDataReceived += (_, e) => node_.Receive(e.Data);
        process.Exited += (_, _) => node_._ready.TrySetException(new InvalidOperationException($"Node {node} exited early:{Environment.NewLine}{node_.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await node_._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return node_;
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (line.StartsWith("READY", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    /// <summary>artifacts/bin/&lt;project&gt;/&lt;config&gt;/: the host is built beside the tests.</summary>
    private static string HostDll()
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var config = testDir.Name;
        var path = Path.Combine(testDir.Parent!.Parent!.FullName, "Trading.Workflow.Engine.Quartz.ClusterHost", config, "Trading.Workflow.Engine.Quartz.ClusterHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the cluster host first (it is a build-only reference of the tests).", path);
    }
}

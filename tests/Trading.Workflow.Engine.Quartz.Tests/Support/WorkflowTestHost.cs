using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Quartz;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Runtime.Support;

namespace Trading.Workflow.Engine.Quartz.Tests.Support;

/// <summary>
/// The engine's state, kept outside any one host so a test can stop the application and start another on the
/// same engine state and the same Quartz database: what a restart with a durable store looks like.
/// </summary>
public sealed class EngineState
{
    public InMemoryWorkflowStore Store { get; } = new();

    public InMemoryDefinitionRepository Definitions { get; } = new();
}

/// <summary>A generic host with the engine and Quartz timers on a SQLite file, the way the web app wires them.</summary>
public sealed class WorkflowTestHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private WorkflowTestHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IWorkflowEngine Engine => Services.GetRequiredService<IWorkflowEngine>();

    public CapturingLoggerProvider Logs => Services.GetRequiredService<CapturingLoggerProvider>();

    public static async Task<WorkflowTestHost> StartAsync(
        EngineState state,
        string sqliteFile,
        Action<QuartzTimerOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        IEnumerable<IServiceTaskHandler>? handlers = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var logs = new CapturingLoggerProvider();
        builder.Services.AddSingleton(logs);
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton<IWorkflowStore>(state.Store);
        builder.Services.AddSingleton<IDefinitionRepository>(state.Definitions);
        var engine = builder.Services.AddWorkflowEngine(o => o.DefaultJobRetries = 5);
        foreach (var handler in handlers ?? [])
        {
            engine.AddHandler(handler);
        }

        builder.AddQuartzTimers(o =>
        {
            o.Provider = QuartzStoreProvider.Sqlite;
            o.ConnectionString = $"Data Source={sqliteFile}";
            o.MisfireThreshold = TimeSpan.FromSeconds(1);
            o.ReconcileInterval = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        builder.Services.Configure<TaskReminderOptions>(o => o.Enabled = false);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new WorkflowTestHost(host);
    }

    public async Task DeployAsync(string bpmnFile)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Bpmn", bpmnFile);
        await Engine.DeployAsync(BpmnParser.ParseFile(path));
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}

/// <summary>A SQLite file in the temp folder, deleted afterwards.</summary>
public sealed class TempSqliteFile : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tw-quartz-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm", Path + "-journal" })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
    }
}

public static class Eventually
{
    /// <summary>Polls until the condition holds; fails with the message when the timeout passes.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string message)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail(message);
    }
}

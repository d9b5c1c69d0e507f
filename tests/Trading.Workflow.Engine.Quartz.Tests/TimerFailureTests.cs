using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Quartz.Tests.Support;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Quartz.Tests;

/// <summary>Timers on Quartz: one load per firing; a firing that keeps failing ends as an incident, not a retry every 30 s forever (issue 15, point 3).</summary>
public sealed class TimerFailureTests
{
    private static readonly Dictionary<string, object?> _soon = new() { ["wait"] = "PT0.2S" };

    [Fact]
    public async Task Dispatcher_FiringATimer_LoadsItsInstanceOnce()
    {
        var store = new CountingStore(new InMemoryWorkflowStore());
        var services = new ServiceCollection();
        services.AddSingleton<IWorkflowStore>(store);
        services.AddWorkflowEngine();
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Bpmn", "timer.bpmn")));
        var instance = await engine.StartAsync("timerProcess", variables: new Dictionary<string, object?> { ["wait"] = "PT0S" });
        var timer = Assert.Single(await engine.GetTimersAsync(instance.Id));
        var dispatcher = new EngineWorkDispatcher(engine, NullLogger<EngineWorkDispatcher>.Instance);
        store.Loads.Clear();

        var result = await dispatcher.FireTimerAsync(timer.Id, CancellationToken.None);

        Assert.Equal(TimerFireOutcome.Fired, result.Outcome);
        Assert.Equal([instance.Id], store.Loads);
        Assert.Equal(InstanceState.Completed, (await engine.GetInstanceAsync(instance.Id))!.State);
    }

    [Fact]
    public async Task FiringThatFailsForGood_BecomesAnIncidentAtOnceAndLeavesQuartz()
    {
        using var db = new TempSqliteFile();
        await using var host = await WorkflowTestHost.StartAsync(new EngineState(), db.Path, o => o.TimerRetryDelay = TimeSpan.FromMilliseconds(100), handlers: [new DownHandler()]);
        await host.DeployAsync("timer-failing.bpmn");
        var instance = await host.Engine.StartAsync("timerIntoBadCondition", variables: _soon);
        var timer = Assert.Single(await host.Engine.GetTimersAsync(instance.Id));

        await Eventually.HoldsAsync(async () => (await host.Engine.GetIncidentsAsync(instance.Id)).Count > 0, TimeSpan.FromSeconds(10), "no incident opened");

        var incident = Assert.Single(await host.Engine.GetIncidentsAsync(instance.Id));
        Assert.Equal(("failedTimer", "wait"), (incident.Type, incident.ElementId));
        // The trigger completes once the Quartz job that opened the incident returns; it is not scheduled again.
        var quartz = await host.Services.GetRequiredService<QuartzWorkflowScheduler>().GetSchedulerAsync();
        await Eventually.HoldsAsync(async () => !await quartz.Exists(WorkflowQuartzKeys.TimerTrigger(timer.Id)), TimeSpan.FromSeconds(5), "the timer's trigger is still scheduled");
        Assert.DoesNotContain(host.Logs.Entries, e => e.Message.Contains("trying again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FiringThatKeepsFailingForAReasonThatMayPass_IsTriedTimerMaxAttemptsTimesThenBecomesAnIncident()
    {
        using var db = new TempSqliteFile();
        var down = new DownHandler();
        await using var host = await WorkflowTestHost.StartAsync(
            new EngineState(),
            db.Path,
            o =>
            {
                o.TimerRetryDelay = TimeSpan.FromMilliseconds(100);
                o.TimerMaxAttempts = 3;
            },
            handlers: [down]);
        await host.DeployAsync("timer-failing.bpmn");
        var instance = await host.Engine.StartAsync("timerIntoDownService", variables: _soon);
        var timer = Assert.Single(await host.Engine.GetTimersAsync(instance.Id));

        await Eventually.HoldsAsync(async () => (await host.Engine.GetIncidentsAsync(instance.Id)).Count > 0, TimeSpan.FromSeconds(15), "no incident opened");

        Assert.Equal(3, down.Calls.Count);
        var incident = Assert.Single(await host.Engine.GetIncidentsAsync(instance.Id));
        Assert.Equal(("failedTimer", "wait2"), (incident.Type, incident.ElementId));
        Assert.Contains("SMS gateway down", incident.Message, StringComparison.Ordinal);
        var quartz = await host.Services.GetRequiredService<QuartzWorkflowScheduler>().GetSchedulerAsync();
        // Nothing left to fire it a fourth time once the job that opened the incident returns.
        await Eventually.HoldsAsync(async () => !await quartz.Exists(WorkflowQuartzKeys.TimerTrigger(timer.Id)), TimeSpan.FromSeconds(5), "the timer's trigger is still scheduled");
    }

    private sealed class DownHandler : IServiceTaskHandler
    {
        public ConcurrentQueue<DateTimeOffset> Calls { get; } = new();

        public string Name => "down";

        public string Description => "Its service is down (tests).";

        public ValueTask ExecuteAsync(ServiceTaskContext context)
        {
            Calls.Enqueue(DateTimeOffset.UtcNow);
            throw new InvalidOperationException("SMS gateway down");
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime;

public sealed class MiscTests
{
    private static Task<EngineTestHost> HostAsync() =>
        EngineTestHost.StartAsync(["misc.bpmn"], b => b.AddHandler<IncrementHandler>().AddHandler(new ErrorHandler()));

    [Fact]
    public async Task TimerStartEvent_StartsInstanceWhenDue_AndRepeats()
    {
        await using var host = await HostAsync();

        host.Clock.Advance(TimeSpan.FromHours(24));
        await host.Engine.FireDueTimersAsync();
        host.Clock.Advance(TimeSpan.FromHours(24));
        await host.Engine.FireDueTimersAsync();
        host.Clock.Advance(TimeSpan.FromHours(24));
        await host.Engine.FireDueTimersAsync();

        Assert.Equal(2, (await host.Engine.GetInstancesAsync(new InstanceQuery { ProcessId = "daily" })).Count);
        Assert.DoesNotContain(await host.Engine.GetTimersAsync(), t => t.ProcessId == "daily");
    }

    [Fact]
    public async Task SignalStartEvent_StartsInstance()
    {
        await using var host = await EngineTestHost.StartAsync(["signal-start.bpmn"]);

        var delivered = await host.Engine.BroadcastSignalAsync("tenderPublished", EngineTestHost.Vars(new { tenderNo = "T-1" }));

        Assert.Equal(1, delivered);
        var instance = Assert.Single(await host.Engine.GetInstancesAsync(new InstanceQuery { ProcessId = "onTender" }));
        Assert.Equal("T-1", (await host.VariablesAsync(instance.Id))["tenderNo"]);
    }

    [Fact]
    public async Task LongLoopWithoutWaitState_RunsInOneCommandWithoutRecursion()
    {
        await using var host = await HostAsync();

        var instance = await host.StartAsync("counter", new { count = 0, limit = 5000 });

        // 5000 passes through the loop, then one more in the task after it.
        Assert.Equal(5001m, (await host.VariablesAsync(instance.Id))["count"]);
    }

    [Fact]
    public async Task EndlessLoop_StopsAtStepLimitAndLeavesNoTrace()
    {
        await using var host = await EngineTestHost.StartAsync(["misc.bpmn"], b => b.AddHandler<IncrementHandler>().AddHandler(new ErrorHandler()), o => o.MaxStepsPerCommand = 1000);

        await Assert.ThrowsAsync<WorkflowDefinitionException>(() => host.StartAsync("counter", new { count = 0, limit = 1_000_000 }));

        Assert.Equal(0, host.Store.InstanceCount);
    }

    [Fact]
    public async Task AsyncAfter_ContinuesOnlyWhenJobRuns()
    {
        await using var host = await HostAsync();
        var instance = await host.StartAsync("counter", new { count = 0, limit = 1 });
        var job = Assert.Single(await host.Engine.GetJobsAsync(instance.Id));

        Assert.Equal(JobKind.AsyncAfter, job.Kind);
        Assert.Equal(2m, (await host.VariablesAsync(instance.Id))["count"]);
        await host.Engine.ExecuteDueJobsAsync();

        Assert.Equal(InstanceState.Completed, (await host.InstanceAsync(instance.Id)).State);
    }

    [Fact]
    public async Task UncaughtErrorInAsyncStep_OpensIncidentAtOnce()
    {
        await using var host = await HostAsync();
        var instance = await host.StartAsync("asyncRaise", new { errorCode = "NOBODY_CATCHES" });
        var job = Assert.Single(await host.Engine.GetJobsAsync(instance.Id));

        var result = await host.Engine.ExecuteJobAsync(job.Id);

        Assert.Equal(JobExecutionOutcome.FailedIncidentOpened, result.Outcome);
        Assert.Equal("bpmnError", Assert.Single(await host.Engine.GetIncidentsAsync(instance.Id)).Type);
    }

    [Fact]
    public async Task TaskNameWithUnknownVariable_KeepsTheRawNameAndStarts()
    {
        await using var host = await HostAsync();

        var instance = await host.StartAsync("badName");

        Assert.Equal("Check ${missingVariable}", (await host.TaskAsync(instance.Id, "named")).Name);
    }

    [Fact]
    public void ScopedHandler_ListedInCatalogByName()
    {
        using var provider = new ServiceCollection().AddWorkflowEngine().AddHandler<IncrementHandler>().Services.BuildServiceProvider();

        var catalog = provider.GetRequiredService<IServiceTaskHandlerCatalog>();

        Assert.True(catalog.Contains("increment"));
        Assert.Equal("Adds one to count (tests)", catalog.Handlers["increment"]);
    }

    [Fact]
    public async Task InstanceQueries_FilterByBusinessKeyAndState()
    {
        await using var host = await HostAsync();
        var one = await host.StartAsync("counter", new { count = 0, limit = 1 }, businessKey: "K-1");
        await host.StartAsync("counter", new { count = 0, limit = 1 }, businessKey: "K-2");
        await host.Engine.SuspendInstanceAsync(one.Id);

        var byKey = await host.Engine.GetInstancesAsync(new InstanceQuery { BusinessKey = "K-1" });
        var suspended = await host.Engine.GetInstancesAsync(new InstanceQuery { State = InstanceState.Suspended });

        Assert.Equal(one.Id, Assert.Single(byKey).Id);
        Assert.Equal(one.Id, Assert.Single(suspended).Id);
    }

    [Fact]
    public async Task SetVariables_RecordsOldAndNewValue()
    {
        await using var host = await HostAsync();
        var instance = await host.StartAsync("counter", new { count = 0, limit = 1 });

        await host.Engine.SetVariablesAsync(instance.Id, EngineTestHost.Vars(new { limit = 7 })!, "admin");

        var change = (await host.Engine.GetHistoryAsync(instance.Id)).Last(e => e.VariableName == "limit");
        Assert.Equal(1m, change.OldValue);
        Assert.Equal(7m, change.NewValue);
        Assert.Equal("admin", change.UserId);
    }
    [Fact]
    public async Task ScopedHandler_SharesOneScopePerCommand_DisposedWhenTheCommandEnds()
    {
        var seen = new List<ScopeProbe>();
        await using var host = await EngineTestHost.StartAsync(["misc.bpmn"], b =>
        {
            b.Services.AddSingleton(seen).AddScoped<ScopeProbe>();
            b.AddHandler<ScopeRecordingIncrementHandler>().AddHandler(new ErrorHandler());
        });

        await host.StartAsync("counter", new { count = 0, limit = 3 });
        await host.StartAsync("counter", new { count = 0, limit = 3 });

        // Each start runs "increment" three times and "after" once, all in its one command.
        Assert.Equal(8, seen.Count);
        Assert.Single(seen.Take(4).Distinct());
        Assert.Single(seen.Skip(4).Distinct());
        Assert.NotSame(seen[0], seen[4]);
        Assert.All(seen, probe => Assert.True(probe.Disposed));
    }

    [Fact]
    public void BadOption_FailsWhenEngineIsResolved_NamingTheSetting()
    {
        using var provider = new ServiceCollection().AddWorkflowEngine(o => o.DefaultJobRetries = 0).Services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<IWorkflowEngine>());

        Assert.Contains("Workflow:Engine:DefaultJobRetries", error.Message);
    }
}

internal sealed class ScopeProbe : IDisposable
{
    public bool Disposed { get; private set; }

    public void Dispose() => Disposed = true;
}

/// <summary>"increment" that also notes the scoped <see cref="ScopeProbe"/> it was given, to see the command's DI scope.</summary>
internal sealed class ScopeRecordingIncrementHandler(List<ScopeProbe> seen) : IServiceTaskHandler
{
    public string Name => "increment";

    public string Description => "Adds one to count and notes its scope (tests)";

    public ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        seen.Add(context.Services.GetRequiredService<ScopeProbe>());
        context.SetVariable("count", (decimal)context.GetVariable("count")! + 1);
        return ValueTask.CompletedTask;
    }
}

internal sealed class IncrementHandler : IServiceTaskHandler
{
    public string Name => "increment";

    public string Description => "Adds one to count (tests)";

    public ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        context.SetVariable("count", (decimal)context.GetVariable("count")! + 1);
        return ValueTask.CompletedTask;
    }
}

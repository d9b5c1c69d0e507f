using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Trading.Workflow.Engine.Quartz.Tests.Support;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Quartz.Tests;

public sealed class SchedulingTests
{
    private static readonly Dictionary<string, object?> _deadlineVariables = new()
    {
        ["assignee"] = "alice",
        ["candidates"] = null,
        ["roles"] = null,
        ["due"] = "PT2H",
    };

    [Fact]
    public async Task BoundaryTimer_WhenTheTaskIsCompletedFirst_IsRemovedFromQuartz()
    {
        using var db = new TempSqliteFile();
        await using var host = await WorkflowTestHost.StartAsync(new EngineState(), db.Path);
        await host.DeployAsync("task-with-deadline.bpmn");
        var instance = await host.Engine.StartAsync("deadlineProcess", variables: _deadlineVariables);
        var timer = Assert.Single(await host.Engine.GetTimersAsync(instance.Id));
        var quartz = await host.Services.GetRequiredService<QuartzWorkflowScheduler>().GetSchedulerAsync();
        Assert.True(await quartz.Exists(WorkflowQuartzKeys.TimerTrigger(timer.Id)));

        var task = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }));
        await host.Engine.CompleteTaskAsync(task.Id, userId: "alice");

        Assert.False(await quartz.Exists(WorkflowQuartzKeys.TimerTrigger(timer.Id)));
        Assert.False(await quartz.Exists(WorkflowQuartzKeys.TimerJob(timer.Id)));
    }

    [Fact]
    public async Task Timer_IsScheduledOnQuartzAtItsDueTime()
    {
        using var db = new TempSqliteFile();
        await using var host = await WorkflowTestHost.StartAsync(new EngineState(), db.Path);
        await host.DeployAsync("task-with-deadline.bpmn");
        var instance = await host.Engine.StartAsync("deadlineProcess", variables: _deadlineVariables);
        var timer = Assert.Single(await host.Engine.GetTimersAsync(instance.Id));
        var quartz = await host.Services.GetRequiredService<QuartzWorkflowScheduler>().GetSchedulerAsync();

        var trigger = await quartz.GetTrigger(WorkflowQuartzKeys.TimerTrigger(timer.Id));

        Assert.NotNull(trigger);
        Assert.Equal(timer.Due, trigger.NextFireTimeUtc);
    }

    [Fact]
    public async Task Reconcile_WhenTheScheduleCallWasLost_RestoresTheTriggerAndRemovesOrphans()
    {
        using var db = new TempSqliteFile();
        await using var host = await WorkflowTestHost.StartAsync(new EngineState(), db.Path);
        await host.DeployAsync("task-with-deadline.bpmn");
        var instance = await host.Engine.StartAsync("deadlineProcess", variables: _deadlineVariables);
        var timer = Assert.Single(await host.Engine.GetTimersAsync(instance.Id));
        var scheduler = host.Services.GetRequiredService<QuartzWorkflowScheduler>();
        var quartz = await scheduler.GetSchedulerAsync();
        // The crash window: the engine committed, Quartz never heard of it; and a trigger whose timer is gone.
        await quartz.UnscheduleJob(WorkflowQuartzKeys.TimerTrigger(timer.Id));
        var orphan = Guid.NewGuid();
        await scheduler.ScheduleTimersAsync([(orphan, DateTimeOffset.UtcNow.AddHours(5))]);

        var result = await host.Services.GetRequiredService<WorkflowScheduleReconciler>().ReconcileAsync();

        Assert.Equal(new ReconcileResult(1, 0, 1), result);
        Assert.Equal(timer.Due, (await quartz.GetTrigger(WorkflowQuartzKeys.TimerTrigger(timer.Id)))?.NextFireTimeUtc);
        Assert.False(await quartz.Exists(WorkflowQuartzKeys.TimerTrigger(orphan)));
    }

    [Fact]
    public async Task Start_WhenATimerHasNoTrigger_ReconcilesBeforeFiring()
    {
        using var db = new TempSqliteFile();
        var state = new EngineState();
        Guid timerId;
        await using (var first = await WorkflowTestHost.StartAsync(state, db.Path))
        {
            await first.DeployAsync("task-with-deadline.bpmn");
            var instance = await first.Engine.StartAsync("deadlineProcess", variables: _deadlineVariables);
            timerId = Assert.Single(await first.Engine.GetTimersAsync(instance.Id)).Id;
            var quartz = await first.Services.GetRequiredService<QuartzWorkflowScheduler>().GetSchedulerAsync();
            await quartz.UnscheduleJob(WorkflowQuartzKeys.TimerTrigger(timerId));
        }

        await using var second = await WorkflowTestHost.StartAsync(state, db.Path);
        var restarted = await second.Services.GetRequiredService<QuartzWorkflowScheduler>().GetSchedulerAsync();

        Assert.True(await restarted.Exists(WorkflowQuartzKeys.TimerTrigger(timerId)));
    }

    [Fact]
    public async Task FireTimer_WhenTheTriggerWokeBeforeTheTimerIsDue_MovesTheTriggerInsteadOfFiring()
    {
        using var db = new TempSqliteFile();
        await using var host = await WorkflowTestHost.StartAsync(new EngineState(), db.Path);
        await host.DeployAsync("task-with-deadline.bpmn");
        var instance = await host.Engine.StartAsync("deadlineProcess", variables: _deadlineVariables);
        var timer = Assert.Single(await host.Engine.GetTimersAsync(instance.Id));
        var scheduler = host.Services.GetRequiredService<QuartzWorkflowScheduler>();

        // A stale trigger (as after a crash that lost a reschedule) wakes now, an hour early.
        await scheduler.ScheduleTimersAsync([(timer.Id, DateTimeOffset.UtcNow)]);

        var quartz = await scheduler.GetSchedulerAsync();
        await Eventually.HoldsAsync(
            async () => (await quartz.GetTrigger(WorkflowQuartzKeys.TimerTrigger(timer.Id)))?.NextFireTimeUtc == timer.Due,
            TimeSpan.FromSeconds(10),
            "the early trigger was not moved to the timer's due time");
        Assert.Equal(InstanceState.Active, (await host.Engine.GetInstanceAsync(instance.Id))!.State);
        Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }));
    }
}

using System.Collections.Concurrent;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Quartz.Tests.Support;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Quartz.Tests;

public sealed class AsyncJobTests
{
    [Fact]
    public async Task AsyncJob_WhenTheHandlerFailsTwice_IsRetriedWithGrowingBackoffAndCompletes()
    {
        using var db = new TempSqliteFile();
        var handler = new FlakyHandler(failures: 2);
        await using var host = await WorkflowTestHost.StartAsync(new EngineState(), db.Path, o =>
        {
            o.JobRetryInitialDelay = TimeSpan.FromMilliseconds(400);
            o.JobRetryBackoffMultiplier = 3;
            o.JobRetryMaxDelay = TimeSpan.FromSeconds(10);
        }, handlers: [handler]);
        await host.DeployAsync("async.bpmn");

        var instance = await host.Engine.StartAsync("asyncProcess");

        await Eventually.HoldsAsync(
            async () => (await host.Engine.GetInstanceAsync(instance.Id))!.State == InstanceState.Completed,
            TimeSpan.FromSeconds(20),
            "the async job did not complete after its retries");
        var calls = handler.Calls.ToArray();
        Assert.Equal(3, calls.Length);
        Assert.InRange(calls[1] - calls[0], TimeSpan.FromMilliseconds(380), TimeSpan.FromSeconds(5));
        Assert.InRange(calls[2] - calls[1], TimeSpan.FromMilliseconds(1180), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task AsyncJob_WhenRetriesRunOut_OpensAnIncidentAndLeavesNoTrigger()
    {
        using var db = new TempSqliteFile();
        var handler = new FlakyHandler(failures: int.MaxValue);
        await using var host = await WorkflowTestHost.StartAsync(new EngineState(), db.Path, o =>
        {
            o.JobRetryInitialDelay = TimeSpan.FromMilliseconds(100);
            o.JobRetryBackoffMultiplier = 1;
        }, handlers: [handler]);
        await host.DeployAsync("async.bpmn");

        var instance = await host.Engine.StartAsync("asyncProcess");

        await Eventually.HoldsAsync(
            async () => (await host.Engine.GetIncidentsAsync(instance.Id)).Count == 1,
            TimeSpan.FromSeconds(20),
            "no incident opened after the retries ran out");
        var job = Assert.Single(await host.Engine.GetJobsAsync(instance.Id));
        var quartz = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<QuartzWorkflowScheduler>(host.Services).GetSchedulerAsync();
        await Eventually.HoldsAsync(
            async () => !await quartz.Exists(WorkflowQuartzKeys.AsyncJobTrigger(job.Id)),
            TimeSpan.FromSeconds(5),
            "the trigger of a job without retries was left behind");
        Assert.Equal(5, handler.Calls.Count);
    }

    private sealed class FlakyHandler(int failures) : IServiceTaskHandler
    {
        public ConcurrentQueue<DateTimeOffset> Calls { get; } = new();

        public string Name => "flaky";

        public string Description => "Fails a given number of times, then succeeds.";

        public ValueTask ExecuteAsync(ServiceTaskContext context)
        {
            Calls.Enqueue(DateTimeOffset.UtcNow);
            if (Calls.Count <= failures)
            {
                throw new InvalidOperationException("registry unavailable");
            }

            return ValueTask.CompletedTask;
        }
    }
}

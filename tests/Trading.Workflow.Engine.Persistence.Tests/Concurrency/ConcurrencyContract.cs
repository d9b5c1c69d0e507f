using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Concurrency;

/// <summary>Real parallel calls: one task completed twice at once, and two app processes working on one instance.</summary>
public abstract class ConcurrencyContract
{
    protected abstract DatabaseProvider Provider { get; }

    [Fact]
    public async Task CompleteSameTask_InParallel_ExactlyOneSucceedsOthersGetConflict()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await host.Engine.StartAsync("approval", "BK-C1");
        var task = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }));
        await using var second = DurableHost.StartBeside(host);
        var engines = new[] { host.Engine, second.Engine, host.Engine, second.Engine };

        using var start = new ManualResetEventSlim();
        var attempts = engines.Select((engine, i) => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await engine.CompleteTaskAsync(task.Id, null, "user" + i);
                return "ok";
            }
            catch (WorkflowConflictException)
            {
                return "conflict";
            }
        })).ToArray();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(o => o == "ok"));
        Assert.Equal(engines.Length - 1, outcomes.Count(o => o == "conflict"));
        var after = await host.Engine.GetInstanceAsync(instance.Id);
        Assert.Equal(InstanceState.Completed, after!.State);
        var history = await host.Engine.GetHistoryAsync(instance.Id);
        Assert.Single(history, h => h.Type == HistoryEventType.TaskCompleted);
        Assert.Single(history, h => h.Type == HistoryEventType.InstanceCompleted);
    }

    [Fact]
    public async Task TwoProcesses_ParallelCommandsOnOneInstance_NoUpdateIsLost()
    {
        await using var first = await DurableHost.StartAsync(Provider);
        await first.DeployFileAsync("Bpmn/approval-v1.bpmn");
        await using var second = DurableHost.StartBeside(first);
        var instance = await first.Engine.StartAsync("approval", "BK-C2");
        const int perProcess = 10;

        async Task<int> WriterAsync(IWorkflowEngine engine, string prefix)
        {
            var conflicts = 0;
            for (var i = 0; i < perProcess; i++)
            {
                while (true)
                {
                    try
                    {
                        await engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { [$"{prefix}{i}"] = (decimal)i }, prefix);
                        break;
                    }
                    catch (WorkflowConflictException)
                    {
                        conflicts++;
                    }
                }
            }

            return conflicts;
        }

        await Task.WhenAll(Task.Run(() => WriterAsync(first.Engine, "a")), Task.Run(() => WriterAsync(second.Engine, "b")));

        var variables = await first.Engine.GetVariablesAsync(instance.Id);
        for (var i = 0; i < perProcess; i++)
        {
            Assert.Equal((decimal)i, variables[$"a{i}"]);
            Assert.Equal((decimal)i, variables[$"b{i}"]);
        }

        var info = await first.Engine.GetInstanceAsync(instance.Id);
        Assert.Equal(1 + (2 * perProcess), info!.Version);
    }
}

public sealed class SqliteConcurrencyTests : ConcurrencyContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlConcurrencyTests : ConcurrencyContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}

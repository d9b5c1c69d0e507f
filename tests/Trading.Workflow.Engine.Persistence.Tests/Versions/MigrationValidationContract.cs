using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Versions;

/// <summary>
/// Migration validation on a running instance of Bpmn/migrate-source.bpmn that waits at once in a task inside a
/// sub-process (with a timer boundary event on the sub-process), a message catch, a receive task, a timer catch, a
/// signal catch, an event-based gateway, a parallel join and a multi-instance task. Bpmn/migrate-target.bpmn has
/// the same elements plus a task after the timer and decoys of another kind, scope, host or event to map to.
/// </summary>
public abstract class MigrationValidationContract
{
    protected abstract DatabaseProvider Provider { get; }

    private async Task<(DurableHost Host, Guid InstanceId)> RunningInstanceAsync()
    {
        var host = await DurableHost.StartAsync(Provider);
        await host.Versions.SaveDraftAsync(DurableHost.ReadBpmn("migrate-source.bpmn"), "designer");
        await host.Versions.PublishAsync("migrating", "admin", "v1");
        var instance = await host.Engine.StartAsync("migrating", "BK-MIG");
        await host.Versions.SaveDraftAsync(DurableHost.ReadBpmn("migrate-target.bpmn"), "designer");
        await host.Versions.PublishAsync("migrating", "admin", "v2");
        return (host, instance.Id);
    }

    [Theory]
    [InlineData("sign", "decoyTask", MigrationProblemKind.IncompatibleKind, "sign")]
    [InlineData("awaitOpen", "decoyMessageCatch", MigrationProblemKind.IncompatibleKind, "awaitOpen")]
    [InlineData("choice", "decoyExclusive", MigrationProblemKind.IncompatibleKind, "choice")]
    [InlineData("sync", "decoyInclusive", MigrationProblemKind.IncompatibleKind, "sync")]
    [InlineData("vote", "decoyUserTask", MigrationProblemKind.IncompatibleKind, "vote")]
    [InlineData("review", "decoyUserTask", MigrationProblemKind.ScopeChanged, "review")]
    [InlineData("checkTimeout", "decoyMessageBoundary", MigrationProblemKind.TimerWithoutTimerEvent, "checkTimeout")]
    [InlineData("awaitPayment", "decoyMessageCatch", MigrationProblemKind.SubscriptionEventMismatch, "awaitPayment")]
    [InlineData("checkTimeout", "decoyTimerBoundary", MigrationProblemKind.BoundaryHostChanged, "checkTimeout")]
    [InlineData("fEarly", "d6", MigrationProblemKind.JoinFlowMissing, "fEarly")]
    [InlineData("accepted", "decoyAcceptCatch", MigrationProblemKind.EventGatewayChanged, "accepted")]
    [InlineData("ghost", "review", MigrationProblemKind.UnknownMappingSource, "ghost")]
    [InlineData("endPaid", "ghost", MigrationProblemKind.UnknownMappingTarget, "endPaid")]
    [InlineData("cooling", "ghost", MigrationProblemKind.MissingTarget, "cooling")]
    public async Task Validate_MappingToAnInvalidTarget_ReportsTheProblemWithInstanceElementAndBothLanguages(
        string from, string to, MigrationProblemKind kind, string elementId)
    {
        var (host, instanceId) = await RunningInstanceAsync();
        await using var _ = host;

        var problems = await host.Migration.ValidateAsync(new MigrationRequest([instanceId], 2)
        {
            ElementMapping = new Dictionary<string, string> { [from] = to },
        });

        var problem = Assert.Single(problems, p => p.Kind == kind && p.ElementId == elementId);
        Assert.Equal(instanceId, problem.InstanceId);
        Assert.Contains(elementId, problem.MessageZh, StringComparison.Ordinal);
        Assert.Contains(elementId, problem.MessageEn, StringComparison.Ordinal);
        Assert.NotEqual(problem.MessageZh, problem.MessageEn);
    }

    [Fact]
    public async Task Migrate_WithAnInvalidTarget_IsRefusedAndLeavesTheInstanceOnItsVersion()
    {
        var (host, instanceId) = await RunningInstanceAsync();
        await using var _ = host;
        var request = new MigrationRequest([instanceId], 2) { ElementMapping = new Dictionary<string, string> { ["review"] = "decoyUserTask" } };

        var error = await Assert.ThrowsAsync<MigrationValidationException>(() => host.Migration.MigrateAsync(request));

        Assert.Contains(error.Problems, p => p.Kind == MigrationProblemKind.ScopeChanged);
        Assert.Equal(1, (await host.Engine.GetInstanceAsync(instanceId))!.ProcessVersion);
    }

    [Fact]
    public async Task Validate_SameIdsInTheTargetVersion_ReportsNoProblem()
    {
        var (host, instanceId) = await RunningInstanceAsync();
        await using var _ = host;

        var problems = await host.Migration.ValidateAsync(new MigrationRequest([instanceId], 2));

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Migrate_InstanceWithTimerSubscriptionAndTaskInSubProcess_KeepsWorkingOnTheTargetVersion()
    {
        var (host, instanceId) = await RunningInstanceAsync();
        await using var _ = host;

        await host.Migration.MigrateAsync(new MigrationRequest([instanceId], 2) { UserId = "admin", Reason = "add a step after cooling" });
        var review = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instanceId, ElementId = "review" }));
        await host.Engine.CompleteTaskAsync(review.Id, null, "alice");
        var payment = await host.Engine.CorrelateMessageAsync(new MessageCorrelation("payment") { BusinessKey = "BK-MIG" });
        var fired = await host.Engine.FireDueTimersAsync(DurableHost.StartTime + TimeSpan.FromHours(3));

        Assert.Equal(2, (await host.Engine.GetInstanceAsync(instanceId))!.ProcessVersion);
        Assert.Equal(1, payment.Delivered);
        Assert.Equal(1, fired);
        var open = (await host.Engine.GetTasksAsync(new() { InstanceId = instanceId })).Select(t => t.ElementId).Order(StringComparer.Ordinal);
        Assert.Equal(["afterCooling", "sign", "vote", "vote"], open);
        var subscriptions = (await host.Engine.GetSubscriptionsAsync(instanceId)).Select(s => s.ElementId).Order(StringComparer.Ordinal);
        Assert.Equal(["accepted", "awaitOpen", "awaitReply"], subscriptions);
        var timers = (await host.Engine.GetTimersAsync(instanceId)).Select(t => t.ElementId).Order(StringComparer.Ordinal);
        Assert.Equal(["expired"], timers);
    }
}

public sealed class SqliteMigrationValidationTests : MigrationValidationContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlMigrationValidationTests : MigrationValidationContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}

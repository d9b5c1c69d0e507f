using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Queries;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Tests.Support;

namespace Trading.Workflow.Engine.Persistence.Tests.Queries;

/// <summary>The instance list: newest first from the start-time index, with its total also on pages near or past the end.</summary>
public abstract class InstanceListContract
{
    protected abstract DatabaseProvider Provider { get; }

    [Fact]
    public async Task Page_WalksTheStartTimeIndex_NotEveryInstance()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        await host.Engine.StartAsync("approval", "BK-L1");
        var queries = new WorkflowQueries(host.Database);

        await using var connection = await host.Database.OpenConnectionAsync();
        await using var db = host.Database.CreateContext(connection);
        var query = new InstancePageQuery { Take = 20 };
        await using var command = WorkflowQueries.InstancePage(queries.InstanceRows(db, query), query).CreateDbCommand();
        var plan = await QueryPlan.LinesAsync(connection, command, Provider);

        var text = string.Join("\n", plan);
        Assert.Contains("IX_wf_instances_started", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
        Assert.DoesNotContain("USE TEMP B-TREE FOR ORDER BY", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 20, 7)]
    [InlineData(5, 20, 2)]
    [InlineData(5, 2, 2)]
    [InlineData(7, 20, 0)]
    [InlineData(30, 20, 0)]
    public async Task PageNearOrPastTheEnd_KeepsTheWholeTotal_NewestFirst(int skip, int take, int rows)
    {
        var clock = new FixedClock(DurableHost.StartTime);
        await using var host = await DurableHost.StartAsync(Provider, time: clock);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var started = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            started.Add((await host.Engine.StartAsync("approval", $"BK-L{i}")).Id);
        }

        var page = await new WorkflowQueries(host.Database).InstancesAsync(new InstancePageQuery { Skip = skip, Take = take });

        Assert.Equal(7, page.Count);
        Assert.Equal(Enumerable.Reverse(started).Skip(skip).Take(take), page.Rows.Select(r => r.Id));
        Assert.Equal(rows, page.Rows.Count);
    }
}

public sealed class SqliteInstanceListTests : InstanceListContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlInstanceListTests : InstanceListContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}

using System.Net;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>The app, its engine store and Quartz on PostgreSQL: the inbox's own SQL (candidate scans, prefix filter) there too.</summary>
public sealed class InboxPostgreSqlTests : IAsyncLifetime
{
    private readonly PostgreSqlPlatform _postgres = new();

    private PlatformFactory App => _postgres.App;

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();

    [Fact]
    public async Task StartClaimAndComplete_OnPostgreSql_MoveTheTaskThroughTheTabs()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(App, "tenderee");
        var code = "PG-" + Guid.NewGuid().ToString("N")[..8];
        await tenderee.StartOpenTenderAsync(code);
        var taskId = await tenderee.OpenTaskIdAsync(code, "submitAnnouncement");

        await tenderee.PostAsync($"/api/workflow/tasks/{taskId}/claim");
        var mine = await tenderee.InboxAsync($"tab=Mine&projectCode={code}&sort=Priority");
        var completion = await tenderee.CompleteAsync(taskId, WorkflowApiClient.ValidAnnouncement(await tenderee.UploadAsync(taskId, "tenderDocuments")));
        var completed = await tenderee.InboxAsync($"tab=Completed&projectCode={code}");

        Assert.Equal(taskId, Assert.Single(mine.Rows).TaskId);
        Assert.Equal(HttpStatusCode.NoContent, completion.StatusCode);
        Assert.Equal(taskId, Assert.Single(completed.Rows).TaskId);
    }
}

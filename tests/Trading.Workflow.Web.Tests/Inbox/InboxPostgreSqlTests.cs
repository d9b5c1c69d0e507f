using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Workflow;

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

    [Fact]
    public async Task InstanceList_OnPostgreSql_FindsAProjectsNoticeReviewsByTheProjectsCode()
    {
        // The demo project's notices went through the review procedure, keyed by notice id.
        using var scope = App.Services.CreateScope();
        var instances = scope.ServiceProvider.GetRequiredService<InstanceService>();
        async Task<IReadOnlyList<InstanceRow>> ListedAsync(string user, string role, string code) =>
            (await instances.ListAsync(new WorkflowUser(user, [role]), new InstanceListFilter { ProjectCode = code, Take = 100 })).Rows;

        foreach (var (user, role) in new[] { ("admin", PlatformRoles.Administrator), ("staff", PlatformRoles.Staff) })
        {
            var rows = await ListedAsync(user, role, "DEMO-CITY-GC");
            Assert.Contains(rows, r => r.ProcessId == "engineering-construction.engineering-tender");
            Assert.Contains(rows, r => r.ProcessId == "kernel.notice-review" && Guid.TryParse(r.BusinessKey, out _));
            Assert.All(rows, r => Assert.False(string.IsNullOrEmpty(r.ProcessName)));
        }

        Assert.Empty(await ListedAsync("admin", PlatformRoles.Administrator, "NO-SUCH-PROJECT"));

        // The inbox's filter by code finds them too, on PostgreSQL's LIKE: the demo reviews staff completed, and a
        // notice of the project submitted now, open for review; another code finds neither.
        await using var db = scope.ServiceProvider.GetRequiredService<Trading.Workflow.Domain.Persistence.ITradingDatabase>().Create();
        var project = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
            db.Set<Trading.Workflow.Domain.Projects.Project>().Where(p => p.Code.StartsWith("DEMO-CITY-GC")).OrderBy(p => p.Code));
        var notices = scope.ServiceProvider.GetRequiredService<Trading.Workflow.Domain.Notices.NoticeService>();
        var notice = await notices.DraftAsync("tenderee",
            Trading.Workflow.Domain.Notices.NoticeProject.Create(project.Id, project.Code, project.CentreId, project.TradeType, project.RegionCode, project.Name),
            new Trading.Workflow.Domain.Notices.NoticeDraft(Trading.Workflow.Domain.Notices.NoticeKind.Tender, "演示道路改造工程澄清公告", "<p>澄清</p>", []));
        var review = await notices.SubmitAsync("tenderee", notice.Id);
        var staff = await WorkflowApiClient.SignInAsync(App, "staff");
        async Task<IReadOnlyList<InboxRow>> InboxAsync(string tab, string code) =>
            (await staff.InboxAsync($"tab={tab}&projectCode={Uri.EscapeDataString(code)}&take=100")).Rows;
        Assert.Contains(await InboxAsync("Completed", "DEMO-CITY-GC"), r => r.ElementId == "reviewNotice" && Guid.TryParse(r.BusinessKey, out _));
        Assert.Contains(await InboxAsync("Group", "DEMO-CITY"), r => r.InstanceId == review);
        Assert.DoesNotContain(await InboxAsync("Completed", "NO-SUCH-PROJECT"), r => r.ElementId == "reviewNotice");
        Assert.DoesNotContain(await InboxAsync("Group", "NO-SUCH-PROJECT"), r => r.InstanceId == review);

        // The trade filter takes a review as of its project's trade, on PostgreSQL's SQL as well.
        async Task<IReadOnlyList<InboxRow>> OfTradeAsync(string tab, string tradeType) =>
            (await staff.InboxAsync($"tab={tab}&tradeType={tradeType}&take=100")).Rows;
        Assert.Contains(await OfTradeAsync("Group", Trading.Workflow.Domain.Trades.TradeTypes.EngineeringConstruction), r => r.InstanceId == review);
        Assert.DoesNotContain(await OfTradeAsync("Group", Trading.Workflow.Domain.Trades.TradeTypes.LandRights), r => r.InstanceId == review);
        Assert.Contains(await OfTradeAsync("Completed", Trading.Workflow.Domain.Trades.TradeTypes.EngineeringConstruction), r => r.ElementId == "reviewNotice");
        var ofTrade = await instances.ListAsync(new WorkflowUser("admin", [PlatformRoles.Administrator]),
            new InstanceListFilter { TradeType = Trading.Workflow.Domain.Trades.TradeTypes.EngineeringConstruction, Take = 100 });
        Assert.Contains(ofTrade.Rows, r => r.Id == review);
        Assert.Contains(ofTrade.Rows, r => r.ProcessId == "engineering-construction.engineering-tender");
        var otherTrade = await instances.ListAsync(new WorkflowUser("admin", [PlatformRoles.Administrator]),
            new InstanceListFilter { TradeType = Trading.Workflow.Domain.Trades.TradeTypes.LandRights, Take = 100 });
        Assert.DoesNotContain(otherTrade.Rows, r => r.Id == review);
    }
}

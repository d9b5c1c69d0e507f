using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Quartz.Reminders;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>The inbox and task commands through the API of the real app, on the open-tender procedure it deploys.</summary>
public sealed class InboxApiTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    private static string NewCode() => "GC-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    [Fact]
    public async Task StartedInstance_ReachesTendereeGroupInbox()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var code = NewCode();

        await tenderee.StartOpenTenderAsync(code);

        var page = await tenderee.InboxAsync($"tab=Group&projectCode={code}");
        var row = Assert.Single(page.Rows);
        Assert.Equal("submitAnnouncement", row.ElementId);
    }

    [Fact]
    public async Task GroupInbox_OfAnotherRole_DoesNotShowTheTask()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var bidder = await WorkflowApiClient.SignInAsync(factory.App, "bidder");
        var code = NewCode();
        await tenderee.StartOpenTenderAsync(code);

        var page = await bidder.InboxAsync($"tab=Group&projectCode={code}");

        Assert.Empty(page.Rows);
    }

    [Fact]
    public async Task Claim_MovesTaskFromGroupTabToMyTasks()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var code = NewCode();
        await tenderee.StartOpenTenderAsync(code);
        var taskId = await tenderee.OpenTaskIdAsync(code, "submitAnnouncement");

        var response = await tenderee.PostAsync($"/api/workflow/tasks/{taskId}/claim");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty((await tenderee.InboxAsync($"tab=Group&projectCode={code}")).Rows);
        Assert.Equal(taskId, Assert.Single((await tenderee.InboxAsync($"tab=Mine&projectCode={code}")).Rows).TaskId);
    }

    [Fact]
    public async Task Claim_ByUserWhoIsNotACandidate_IsForbidden()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var bidder = await WorkflowApiClient.SignInAsync(factory.App, "bidder");
        var code = NewCode();
        await tenderee.StartOpenTenderAsync(code);
        var taskId = await tenderee.OpenTaskIdAsync(code, "submitAnnouncement");

        var response = await bidder.PostAsync($"/api/workflow/tasks/{taskId}/claim");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Complete_WithInvalidForm_ReturnsFieldErrorsAndLeavesTaskOpen()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var code = NewCode();
        await tenderee.StartOpenTenderAsync(code);
        var taskId = await tenderee.OpenTaskIdAsync(code, "submitAnnouncement");
        await tenderee.PostAsync($"/api/workflow/tasks/{taskId}/claim");

        var response = await tenderee.CompleteAsync(taskId, new { announcementTitle = "公告", depositAmount = 1.005m });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("announcementText", out _));
        Assert.True(errors.TryGetProperty("depositAmount", out _));
        var task = await factory.App.Services.GetRequiredService<IWorkflowEngine>().GetTaskAsync(taskId);
        Assert.Equal(UserTaskState.Open, task!.State);
    }

    [Fact]
    public async Task Complete_WithValidForm_CreatesReviewTaskForStaffWithTypedVariables()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var staff = await WorkflowApiClient.SignInAsync(factory.App, "staff");
        var code = NewCode();
        var instanceId = await tenderee.StartOpenTenderAsync(code);
        var taskId = await tenderee.OpenTaskIdAsync(code, "submitAnnouncement");
        await tenderee.PostAsync($"/api/workflow/tasks/{taskId}/claim");
        var document = await tenderee.UploadAsync(taskId, "tenderDocuments");

        var response = await tenderee.CompleteAsync(taskId, WorkflowApiClient.ValidAnnouncement(document));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("reviewAnnouncement", Assert.Single((await staff.InboxAsync($"tab=Group&projectCode={code}")).Rows).ElementId);
        var variables = await factory.App.Services.GetRequiredService<IWorkflowEngine>().GetVariablesAsync(instanceId);
        Assert.Equal(200_000m, variables["depositAmount"]);
        Assert.Equal(new DateOnly(2026, 11, 23), variables["documentSaleStart"]);
    }

    [Fact]
    public async Task Complete_WithFileOfAnotherProject_IsRefused()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var first = NewCode();
        var second = NewCode();
        await tenderee.StartOpenTenderAsync(first);
        await tenderee.StartOpenTenderAsync(second);
        var firstTask = await tenderee.OpenTaskIdAsync(first, "submitAnnouncement");
        var secondTask = await tenderee.OpenTaskIdAsync(second, "submitAnnouncement");
        await tenderee.PostAsync($"/api/workflow/tasks/{firstTask}/claim");
        await tenderee.PostAsync($"/api/workflow/tasks/{secondTask}/claim");
        var foreignDocument = await tenderee.UploadAsync(firstTask, "tenderDocuments");

        var response = await tenderee.CompleteAsync(secondTask, WorkflowApiClient.ValidAnnouncement(foreignDocument));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Complete_ByCandidateWhoHasNotClaimed_IsForbidden()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var code = NewCode();
        await tenderee.StartOpenTenderAsync(code);
        var taskId = await tenderee.OpenTaskIdAsync(code, "submitAnnouncement");

        var response = await tenderee.CompleteAsync(taskId, new { });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Delegate_WithNote_GivesTaskToDelegateAndKeepsTheNote()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var code = NewCode();
        await tenderee.StartOpenTenderAsync(code);
        var taskId = await tenderee.OpenTaskIdAsync(code, "submitAnnouncement");
        await tenderee.PostAsync($"/api/workflow/tasks/{taskId}/claim");

        var response = await tenderee.PostAsync($"/api/workflow/tasks/{taskId}/delegate", new DelegateRequest("admin", "请代为提交公告"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var task = await factory.App.Services.GetRequiredService<IWorkflowEngine>().GetTaskAsync(taskId);
        Assert.Equal("admin", task!.Assignee);
        Assert.Equal("请代为提交公告", task.DelegationNote);
    }

    [Fact]
    public async Task Delegate_ToUnknownUser_ReturnsNotFound()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var code = NewCode();
        await tenderee.StartOpenTenderAsync(code);
        var taskId = await tenderee.OpenTaskIdAsync(code, "submitAnnouncement");
        await tenderee.PostAsync($"/api/workflow/tasks/{taskId}/claim");

        var response = await tenderee.PostAsync($"/api/workflow/tasks/{taskId}/delegate", new DelegateRequest("nobody-here", null));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Unclaim_PutsTaskBackInTheGroupTab()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var code = NewCode();
        await tenderee.StartOpenTenderAsync(code);
        var taskId = await tenderee.OpenTaskIdAsync(code, "submitAnnouncement");
        await tenderee.PostAsync($"/api/workflow/tasks/{taskId}/claim");

        await tenderee.PostAsync($"/api/workflow/tasks/{taskId}/unclaim");

        Assert.Equal(taskId, Assert.Single((await tenderee.InboxAsync($"tab=Group&projectCode={code}")).Rows).TaskId);
    }

    [Fact]
    public async Task Inbox_PagesOnTheServerWithTotal()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var prefix = NewCode();
        for (var i = 0; i < 3; i++)
        {
            await tenderee.StartOpenTenderAsync($"{prefix}-{i}");
        }

        var page = await tenderee.InboxAsync($"tab=Group&projectCode={prefix}&skip=2&take=2");

        Assert.Equal(3, page.Total);
        Assert.Single(page.Rows);
    }

    [Fact]
    public async Task Inbox_FilterByTradeType_ExcludesOtherTradeTypes()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var code = NewCode();
        await tenderee.StartOpenTenderAsync(code);

        var page = await tenderee.InboxAsync($"tab=Group&projectCode={code}&tradeType={TradeTypes.GovernmentProcurement}");

        Assert.Empty(page.Rows);
    }

    [Fact]
    public async Task CompletedTab_ListsTheTaskTheUserCompleted()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var code = NewCode();
        await tenderee.StartOpenTenderAsync(code);
        var taskId = await tenderee.OpenTaskIdAsync(code, "submitAnnouncement");
        await tenderee.PostAsync($"/api/workflow/tasks/{taskId}/claim");
        await tenderee.CompleteAsync(taskId, WorkflowApiClient.ValidAnnouncement(await tenderee.UploadAsync(taskId, "tenderDocuments")));

        var page = await tenderee.InboxAsync($"tab=Completed&projectCode={code}");

        Assert.Equal(taskId, Assert.Single(page.Rows).TaskId);
    }
}

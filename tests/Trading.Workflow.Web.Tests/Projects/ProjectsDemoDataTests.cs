using System.Net;
using System.Net.Http.Json;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Web.Projects;
using Trading.Workflow.Web.Tests.Inbox;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Projects;

/// <summary>The demo agency has work of its own: a draft it registered for the tenderee's company, which it submits.</summary>
public sealed class ProjectsDemoDataTests
{
    [Fact]
    public async Task DemoAgency_FindsItsDraft_WithItsLetter_AndSubmitsIt_ThenWorksItsFirstTask()
    {
        await using var app = new PlatformFactory();
        var agency = await WorkflowApiClient.SignInAsync(app, "agency");

        var page = await agency.Http.GetFromJsonAsync<ProjectPage>("/api/projects?take=50", WorkflowApiClient.Json);
        var row = Assert.Single(page!.Rows, r => r.Name == ProjectsDemoData.DemoAgencyProjectName);
        Assert.Equal(ProjectState.Draft, row.State);
        var draft = (await agency.Http.GetFromJsonAsync<ProjectResponse>($"/api/projects/{row.Id}", WorkflowApiClient.Json))!;
        Assert.NotNull(draft.AgencyEntityId);
        Assert.NotEqual(draft.OwnerEntityId, draft.AgencyEntityId);
        Assert.Matches("^[0-9a-f]{64}$", draft.AgencyLetterSha256);

        // The owner's user sees the draft its agency registered for it too.
        var tenderee = await WorkflowApiClient.SignInAsync(app, "tenderee");
        Assert.Contains((await tenderee.Http.GetFromJsonAsync<ProjectPage>("/api/projects?take=50", WorkflowApiClient.Json))!.Rows, r => r.Id == row.Id);

        var submitted = await agency.PostAsync($"/api/projects/{row.Id}/submit", new { revision = draft.Revision });
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var running = (await submitted.Content.ReadFromJsonAsync<ProjectResponse>(WorkflowApiClient.Json))!;
        Assert.Equal(ProjectState.Submitted, running.State);
        Assert.NotNull(running.ProcessInstanceId);
        Assert.Contains((await agency.InboxAsync($"tab=Group&projectCode={running.Code}&take=20")).Rows, r => r.BusinessKey == running.Code);
    }
}

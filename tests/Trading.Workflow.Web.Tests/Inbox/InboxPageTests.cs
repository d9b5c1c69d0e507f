using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Web.Components.Pages.Inbox;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>The inbox page over the real inbox queries and a real SQLite file: first load, filters, paging, due flags.</summary>
public sealed class InboxPageTests : PlatformComponentTest, IAsyncLifetime
{
    private InboxDatabase _db = default!;

    public async Task InitializeAsync()
    {
        _db = await InboxDatabase.CreateAsync();
        Services.AddSingleton(_db.Queries);
        Services.AddSingleton(new TaskNotifier(NullLogger<TaskNotifier>.Instance));
        Services.AddSingleton(Options.Create(new PlatformWorkflowOptions { InboxPageSize = 5 }));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        // MudBlazor's popover service only disposes asynchronously: dispose the context here, before xunit's Dispose.
        await DisposeAsync();
        await _db.DisposeAsync();
    }

    private IRenderedComponent<Trading.Workflow.Web.Components.Pages.Inbox.Inbox> RenderInbox(string user, params string[] roles)
    {
        SignIn(user, roles);
        RenderProviders();
        return Render<Trading.Workflow.Web.Components.Pages.Inbox.Inbox>();
    }

    private static IReadOnlyList<string> Projects(IRenderedComponent<Trading.Workflow.Web.Components.Pages.Inbox.Inbox> page) =>
        page.FindAll("[data-testid=task-project]").Select(e => e.TextContent.Trim()).ToList();

    [Fact]
    public async Task FirstLoad_ShowsTheUsersTasksWithoutRefreshOrFilterChange()
    {
        await _db.AddOpenTaskAsync("P-001", assignee: "staff");
        await _db.AddOpenTaskAsync("P-002", assignee: "staff");
        await _db.AddOpenTaskAsync("P-003", assignee: "someone-else");

        var page = RenderInbox("staff", "Staff");

        page.WaitForAssertion(() => Assert.Equal(["P-001", "P-002"], Projects(page).Order()));
    }
}

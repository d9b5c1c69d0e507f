using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Web.Designer;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Designer;

/// <summary>The designer in the real app: its pages are for administrators, its catalog works on the app's database.</summary>
public sealed class DesignerHostingTests(DesignerHostingTests.Fixture fixture) : IClassFixture<DesignerHostingTests.Fixture>
{
    [Fact]
    public async Task DesignerPage_Anonymous_RedirectsToLogin()
    {
        var response = await fixture.Factory.CreateNoRedirectClient().GetAsync("/designer");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("staff", "/designer")]
    [InlineData("supervisor", "/designer/any_process")]
    public async Task DesignerPage_WithOtherRole_RedirectsToAccessDenied(string userName, string path)
    {
        var client = fixture.Factory.CreateNoRedirectClient();
        await client.SignInAsync(userName);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcedureList_ForAdministrator_ListsSavedProcedures()
    {
        await Catalog.SaveDraftAsync(Bpmn.Process(Bpmn.ReviewBody, processId: "listed_procedure"), "admin");
        var client = fixture.Factory.CreateNoRedirectClient();
        await client.SignInAsync("admin");

        var page = await client.GetDocumentAsync("/designer");

        Assert.NotNull(page.QuerySelector("#tw-procedures .tw-procedure-row[data-process-id='listed_procedure']"));
    }

    [Fact]
    public async Task AdministrationProcedures_OpensEachProcedureAndVersionInTheDesigner()
    {
        var xml = Bpmn.Process(Bpmn.ReviewBody, processId: "linked_procedure");
        await Catalog.SaveDraftAsync(xml, "admin");
        await Catalog.PublishAsync("linked_procedure", "admin", "v1");
        await Catalog.SaveDraftAsync(xml.Replace("Review", "Review again", StringComparison.Ordinal), "admin");
        var client = fixture.Factory.CreateNoRedirectClient();
        await client.SignInAsync("admin");

        var page = await client.GetDocumentAsync("/administration/procedures");

        // The list is where an administrator looks for a procedure to revise: it used to offer no way into the designer.
        var card = page.QuerySelector("[data-testid=procedure][data-process='linked_procedure']")!;
        Assert.Equal("/designer/linked_procedure", card.QuerySelector("[data-testid=procedure-design]")?.GetAttribute("href"));
        Assert.Equal("/designer/linked_procedure?version=1", card.QuerySelector("tr[data-version='1'] [data-testid=version-open]")?.GetAttribute("href"));
    }

    [Fact]
    public async Task Incidents_List_IsNotAMaxContentTable()
    {
        var client = fixture.Factory.CreateNoRedirectClient();
        await client.SignInAsync("admin");

        var page = await client.GetDocumentAsync("/administration/incidents");

        // MudDataGrid's HorizontalScrollbar makes the table max-content: a long error pushed the actions off the page.
        var table = page.QuerySelector("[data-testid=incidents-grid] table");
        Assert.NotNull(table);
        Assert.DoesNotContain("max-content", table.GetAttribute("style") ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_PublishTwice_ListsLatestVersionAndNoDraft()
    {
        var xml = Bpmn.Process(Bpmn.ReviewBody, processId: "published_twice");
        await Catalog.SaveDraftAsync(xml, "admin");
        await Catalog.PublishAsync("published_twice", "admin", "v1");
        await Catalog.SaveDraftAsync(xml.Replace("Review", "Review again", StringComparison.Ordinal), "admin");

        await Catalog.PublishAsync("published_twice", "admin", "v2");

        var summary = Assert.Single(await Catalog.ListAsync(), s => s.ProcessId == "published_twice");
        Assert.Equal((2, false, 2), (summary.LatestVersion, summary.HasDraft, summary.PublishedCount));
    }

    [Fact]
    public async Task Catalog_RetireAndRepublish_KeepsTheOldVersionAndAddsANewOne()
    {
        await Catalog.SaveDraftAsync(Bpmn.Process(Bpmn.ReviewBody, processId: "retired_one"), "admin");
        await Catalog.PublishAsync("retired_one", "admin", "v1");
        await Catalog.RetireAsync("retired_one", 1, "admin");

        var republished = await Catalog.RepublishAsync("retired_one", 1, "admin", "back again");

        var versions = await Catalog.GetVersionsAsync("retired_one");
        Assert.Equal(
            [(1, DefinitionState.Retired, "v1"), (2, DefinitionState.Published, "back again")],
            versions.Select(v => (v.Version ?? 0, v.State, v.ChangeNote)));
        Assert.Equal(2, republished);
    }

    [Fact]
    public async Task Lookups_OfferEveryPlatformRoleAndTheDemoUsers()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();

        var lookups = await scope.ServiceProvider.GetRequiredService<DesignerLookups>().LoadAsync();

        Assert.Equal((6, true), (lookups.Roles.Count, lookups.Users.Any(u => u.Id == "staff")));
    }

    private IProcedureCatalog Catalog => fixture.Factory.Services.GetRequiredService<IProcedureCatalog>();

    public sealed class Fixture : IAsyncLifetime
    {
        public PlatformFactory Factory { get; } = new();

        public Task InitializeAsync()
        {
            // Start the host so the schema and the demo accounts exist before the first test.
            Factory.CreateClient().Dispose();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}

using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Components.Pages.Workspace;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Tests.EngineeringConstruction;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Workspace;

/// <summary>
/// The workspace of a tenderee: the demo grantor's own land and mineral offerings with their stage and a link, and no
/// empty tender list; a tenderee with neither tenders nor offerings (the demo county's) reads that there is none of
/// either instead of a blank page.
/// </summary>
public sealed class WorkspacePageTests : TenderPageTest
{
    [Fact]
    public async Task Grantor_SeesItsOwnOfferings_WithStageAndLink_AndNoEmptyTenderList_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<IWorkflowEngine>());
        Services.AddSingleton(services.GetRequiredService<Trading.Workflow.Web.Workflow.ProcedureNames>());
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());
        GrantOffering land, mineral;
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            land = await db.Set<GrantOffering>().AsNoTracking().SingleAsync(o => o.Title == GrantsDemoData.LandTitle);
            mineral = await db.Set<GrantOffering>().AsNoTracking().SingleAsync(o => o.Title == GrantsDemoData.MineralTitle);
        }

        await SignInAsync(services, "grantor");
        var zh = Render<WorkspacePage>();
        zh.WaitForAssertion(() => Assert.Equal(2, zh.FindAll("[data-testid=workspace-offering]").Count));
        Assert.Equal("我的出让项目", zh.Find("[data-testid=workspace-grantor] h2").TextContent.Trim());
        Assert.Equal(
            new[] { $"/grants/{land.Id}", $"/grants/{mineral.Id}" }.Order(),
            zh.FindAll("[data-testid=workspace-offering-open]").Select(a => a.GetAttribute("href")!).Order());
        Assert.All(zh.FindAll("[data-testid=workspace-offering-stage]"), s => Assert.Equal("草稿", s.TextContent.Trim()));
        Assert.Contains(land.ProjectCode, zh.Find("[data-testid=workspace-grantor]").TextContent, StringComparison.Ordinal);
        Assert.Contains("土地使用权出让", zh.Find("[data-testid=workspace-grantor]").TextContent, StringComparison.Ordinal);
        Assert.Empty(zh.FindAll("[data-testid=workspace-tenderee]"));
        Assert.Empty(zh.FindAll("[data-testid=workspace-grantor-none]"));

        Culture("en");
        var en = Render<WorkspacePage>();
        en.WaitForAssertion(() => Assert.Equal(2, en.FindAll("[data-testid=workspace-offering]").Count));
        Assert.Equal("My grant offerings", en.Find("[data-testid=workspace-grantor] h2").TextContent.Trim());
        Assert.All(en.FindAll("[data-testid=workspace-offering-stage]"), s => Assert.Equal("Draft", s.TextContent.Trim()));
    }

    [Fact]
    public async Task TendereeWithNoTenderAndNoOffering_ReadsThatThereIsNoneOfEither_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<IWorkflowEngine>());
        Services.AddSingleton(services.GetRequiredService<Trading.Workflow.Web.Workflow.ProcedureNames>());
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());

        await SignInAsync(services, "tenderee2");
        var zh = Render<WorkspacePage>();
        zh.WaitForAssertion(() => Assert.NotEmpty(zh.FindAll("[data-testid=workspace-tenderee]")));
        Assert.Equal("暂无。", zh.Find("[data-testid=workspace-tenderee-none]").TextContent.Trim());
        Assert.Equal("暂无。", zh.Find("[data-testid=workspace-grantor-none]").TextContent.Trim());
        Assert.Empty(zh.FindAll("[data-testid=workspace-tenderee] table"));
        Assert.Empty(zh.FindAll("[data-testid=workspace-grantor] table"));

        Culture("en");
        var en = Render<WorkspacePage>();
        en.WaitForAssertion(() => Assert.NotEmpty(en.FindAll("[data-testid=workspace-tenderee]")));
        Assert.Equal("None.", en.Find("[data-testid=workspace-tenderee-none]").TextContent.Trim());
        Assert.Equal("None.", en.Find("[data-testid=workspace-grantor-none]").TextContent.Trim());
    }
}

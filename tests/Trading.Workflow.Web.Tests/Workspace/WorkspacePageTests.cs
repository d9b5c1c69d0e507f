using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Components.Pages.Workspace;
using Trading.Workflow.Web.Tests.EngineeringConstruction;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Workspace;

/// <summary>The workspace of a tenderee (here the demo grantor) with no tender says so instead of staying blank.</summary>
public sealed class WorkspacePageTests : TenderPageTest
{
    [Fact]
    public async Task TendereeWithNoTender_ReadsThatThereIsNone_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<IWorkflowEngine>());
        Services.AddSingleton(services.GetRequiredService<Trading.Workflow.Web.Workflow.ProcedureNames>());

        await SignInAsync(services, "grantor");
        var zh = Render<WorkspacePage>();
        zh.WaitForAssertion(() => Assert.NotEmpty(zh.FindAll("[data-testid=workspace-tenderee]")));
        Assert.Equal("暂无。", zh.Find("[data-testid=workspace-tenderee-none]").TextContent.Trim());
        Assert.Empty(zh.FindAll("[data-testid=workspace-tenderee] table"));

        Culture("en");
        var en = Render<WorkspacePage>();
        en.WaitForAssertion(() => Assert.NotEmpty(en.FindAll("[data-testid=workspace-tenderee]")));
        Assert.Equal("None.", en.Find("[data-testid=workspace-tenderee-none]").TextContent.Trim());
    }
}

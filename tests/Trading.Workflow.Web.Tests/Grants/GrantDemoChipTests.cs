using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Grants;

/// <summary>
/// An offering submitted on the demo schedule (演示时间) is labelled so where staff review and publish it: the review
/// task, the offering page and the list (the 2026-12-08 walk: only the grantor's own page said so). A legal one is not.
/// </summary>
public sealed class GrantDemoChipTests : PlatformComponentTest
{
    [Fact]
    public async Task DemoOffering_IsLabelledOnTheReviewTaskOfferingPageAndList_ForStaff()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());
        var grants = services.GetRequiredService<GrantService>();
        var engine = services.GetRequiredService<IWorkflowEngine>();
        var account = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("grantor"))!;
        var grantor = new GrantActor("grantor", account.AccountId, [PlatformRoles.Tenderee], account.CentreId);
        var mineral = (await grants.ListAsync(grantor, Trading.Workflow.Domain.Trades.TradeTypes.MineralRights)).First(o => o.Stage == GrantStage.Draft);
        mineral = await grants.SubmitAsync(grantor, mineral.Id, mineral.Version, mineral.StartPrice, GrantDemoSchedule.Default);
        var land = (await grants.ListAsync(grantor, Trading.Workflow.Domain.Trades.TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);
        land = await grants.SubmitAsync(grantor, land.Id, land.Version, land.StartPrice);
        var demoTask = (await engine.GetTasksAsync(new TaskQuery { BusinessKey = mineral.ProjectCode })).Single(t => t.ElementId == GrantService.ReviewTask);
        var legalTask = (await engine.GetTasksAsync(new TaskQuery { BusinessKey = land.ProjectCode })).Single(t => t.ElementId == GrantService.ReviewTask);
        var staff = SignIn("staff", PlatformRoles.Staff);
        staff.SetClaims(new Claim(Trading.Workflow.Web.Logging.CentreClaimsPrincipalFactory.ClaimType, mineral.CentreId.ToString()));

        var review = Render<GrantReviewPanel>(p => p.Add(c => c.Task, demoTask));
        review.WaitForAssertion(() => Assert.NotEmpty(review.FindAll("[data-testid=grant-publish]")));
        Assert.Equal("演示时间", review.Find("[data-testid=grant-demo-chip]").TextContent.Trim());
        Assert.Contains("不按法定公告期核对", review.Find("[data-testid=grant-review-demo]").TextContent, StringComparison.Ordinal);
        Assert.Contains(GrantsWeb.Format(mineral.BiddingOpens), review.Find("[data-testid=grant-review-demo]").TextContent, StringComparison.Ordinal);

        var legal = Render<GrantReviewPanel>(p => p.Add(c => c.Task, legalTask));
        legal.WaitForAssertion(() => Assert.NotEmpty(legal.FindAll("[data-testid=grant-publish]")));
        Assert.Empty(legal.FindAll("[data-testid=grant-demo-chip]"));
        Assert.Empty(legal.FindAll("[data-testid=grant-review-demo]"));

        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", false));
        RenderProviders();
        var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, mineral.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-stage]")));
        Assert.Single(page.FindAll("[data-testid=grant-demo-chip]"));

        var list = Render<GrantOfferingsList>(p => p.Add(c => c.TradeType, Trading.Workflow.Domain.Trades.TradeTypes.MineralRights));
        list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll("[data-testid=grant-row]")));
        var row = list.FindAll("[data-testid=grant-row]").Single(r => r.TextContent.Contains(mineral.ProjectCode, StringComparison.Ordinal));
        Assert.NotNull(row.QuerySelector("[data-testid=grant-demo-chip]"));

        Culture("en");
        var english = Render<GrantReviewPanel>(p => p.Add(c => c.Task, demoTask));
        english.WaitForAssertion(() => Assert.NotEmpty(english.FindAll("[data-testid=grant-demo-chip]")));
        Assert.Equal("Demo schedule", english.Find("[data-testid=grant-demo-chip]").TextContent.Trim());
        Assert.Contains("not checked against the legal notice period", english.Find("[data-testid=grant-review-demo]").TextContent, StringComparison.Ordinal);
    }
}

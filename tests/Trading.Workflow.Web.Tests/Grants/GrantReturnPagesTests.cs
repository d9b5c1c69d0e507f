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
/// Staff's return on the review panel (a reason is required, every refusal in the user's language) and the grantor's
/// page of a returned offering: the reason, the history, the resubmission and the withdrawal; on the platform's demo data.
/// </summary>
public sealed class GrantReturnPagesTests : PlatformComponentTest
{
    [Fact]
    public async Task ReviewPanel_Return_NeedsAReason_AndShowsRefusalsInTheUsersLanguage()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<GrantsWeb>());
        var offering = (await scope.ServiceProvider.GetRequiredService<GrantService>().ListAsync(
            new GrantActor("supervisor", "supervisor", [PlatformRoles.Supervisor], null), Trading.Workflow.Domain.Trades.TradeTypes.LandRights)).First();
        SignIn("staff", PlatformRoles.Staff);
        // A task that is gone (completed by a colleague meanwhile): the server refuses the return, the panel says so.
        var task = new UserTaskInfo(Guid.NewGuid(), Guid.NewGuid(), "land-rights.land-grant", 1, offering.ProjectCode, "reviewOffering", "审核出让公告", null, null, null,
            [], [PlatformRoles.Staff], "component:" + GrantsWeb.ReviewKey, null, null, 70, UserTaskState.Open, DateTimeOffset.UtcNow, null, null, null, null, null);

        var panel = Render<GrantReviewPanel>(p => p.Add(c => c.Task, task));
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=grant-return]")));
        panel.Find("[data-testid=grant-return]").Click();
        Assert.Equal("须说明理由（不超过 1000 字）。", panel.Find("[data-testid=grant-review-error]").TextContent.Trim());

        panel.Find("textarea[data-testid=grant-return-reason], [data-testid=grant-return-reason] textarea").Change("规划条件不全");
        panel.Find("[data-testid=grant-return]").Click();
        panel.WaitForAssertion(() => Assert.Contains("已被他人修改", panel.Find("[data-testid=grant-review-error]").TextContent, StringComparison.Ordinal));

        Culture("en");
        var english = Render<GrantReviewPanel>(p => p.Add(c => c.Task, task));
        english.WaitForAssertion(() => Assert.NotEmpty(english.FindAll("[data-testid=grant-return]")));
        english.Find("[data-testid=grant-return]").Click();
        Assert.Equal("A reason is required (at most 1000 characters).", english.Find("[data-testid=grant-review-error]").TextContent.Trim());
    }

    [Fact]
    public async Task ReviewPanel_OnAProcedureVersionWithoutTheReturnPath_SaysSoInsteadOfOfferingIt()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());
        // The land procedure as shipped before returns, published again (as while an administrator has yet to publish
        // the upgrade's draft): new offerings start on it.
        var engine = services.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(Trading.Workflow.Engine.Parsing.BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Grants", "Bpmn", "land-grant-before-returns.bpmn")));
        var grants = services.GetRequiredService<GrantService>();
        var account = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("grantor"))!;
        var grantor = new GrantActor("grantor", account.AccountId, [PlatformRoles.Tenderee], account.CentreId);
        var offering = (await grants.ListAsync(grantor, Trading.Workflow.Domain.Trades.TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);
        offering = await grants.SubmitAsync(grantor, offering.Id, offering.Version, offering.StartPrice * 1.1m);
        var task = (await engine.GetTasksAsync(new TaskQuery { BusinessKey = offering.ProjectCode })).Single(t => t.ElementId == GrantService.ReviewTask);
        SignIn("staff", PlatformRoles.Staff);

        var panel = Render<GrantReviewPanel>(p => p.Add(c => c.Task, task));

        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=grant-return-unavailable]")));
        Assert.Contains("不支持退回", panel.Find("[data-testid=grant-return-unavailable]").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid=grant-return]"));
        Assert.NotEmpty(panel.FindAll("[data-testid=grant-publish]"));
    }

    [Fact]
    public async Task OfferingPage_ReturnedOffering_ShowsReasonHistoryResubmitAndWithdrawToTheGrantor()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());
        var grants = services.GetRequiredService<GrantService>();
        var account = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("grantor"))!;
        var grantor = new GrantActor("grantor", account.AccountId, [PlatformRoles.Tenderee], account.CentreId);
        var offering = (await grants.ListAsync(grantor, Trading.Workflow.Domain.Trades.TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);
        offering = await grants.SubmitAsync(grantor, offering.Id, offering.Version, offering.StartPrice * 1.1m);
        offering = await grants.ReturnAsync(new GrantActor("staff", "staff", [PlatformRoles.Staff], offering.CentreId), offering.Id, "请补充宗地四至");

        var user = SignIn("grantor", PlatformRoles.Tenderee);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.AccountId));
        // Not interactive: the page's 3 s watch stays off, the test reloads it by acting on it.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", false));
        var dialogs = RenderProviders();
        var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-returned]")));

        Assert.Contains("请补充宗地四至", page.Find("[data-testid=grant-return-reason]").TextContent, StringComparison.Ordinal);
        Assert.Equal("已退回修改", page.Find("[data-testid=grant-stage]").TextContent.Trim());
        Assert.Equal("重新提交", page.Find("[data-testid=grant-submit]").TextContent.Trim());
        Assert.NotEmpty(page.FindAll("[data-testid=grant-withdraw]"));
        Assert.Empty(page.FindAll("[data-testid=grant-room]"));
        var history = page.FindAll("[data-testid=grant-history-row]").Select(r => r.TextContent).ToList();
        Assert.Equal(2, history.Count);
        Assert.Contains("提交", history[0], StringComparison.Ordinal);
        Assert.Contains("退回修改", history[1], StringComparison.Ordinal);
        Assert.Contains("请补充宗地四至", history[1], StringComparison.Ordinal);

        // Withdrawn from the page, after the question (it is final): cancelled first, nothing changes; confirmed, the
        // procedure ends and the page says so.
        page.Find("[data-testid=grant-withdraw]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("不能再提交。确定撤回吗？", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "取消").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("确定撤回吗", dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal(GrantStage.Returned, (await grants.GetAsync(offering.Id))!.Stage);
        page.Find("[data-testid=grant-withdraw]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("确定撤回吗？", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "撤回").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-withdrawn]")));
        Assert.Equal(GrantStage.Withdrawn, (await grants.GetAsync(offering.Id))!.Stage);
        Assert.Empty(page.FindAll("[data-testid=grant-withdraw]"));
    }

    [Fact]
    public async Task OfferingPage_SubmitWithoutAReserve_AsksFirst_CancelSubmitsNothing()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());
        var grants = services.GetRequiredService<GrantService>();
        var account = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("grantor"))!;
        var grantor = new GrantActor("grantor", account.AccountId, [PlatformRoles.Tenderee], account.CentreId);
        var offering = (await grants.ListAsync(grantor, Trading.Workflow.Domain.Trades.TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);
        var user = SignIn("grantor", PlatformRoles.Tenderee);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.AccountId));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", false));
        var dialogs = RenderProviders();
        var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-submit-panel]")));

        // The reserve left blank (the 2026-12-06 walk submitted a listing so by one click): asked, cancelled, still a draft.
        page.Find("button[data-testid=grant-submit], [data-testid=grant-submit] button").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("未填写底价：起始价 ¥50,000,000.00 即为最低成交价", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "取消").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("未填写底价", dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal(GrantStage.Draft, (await grants.GetAsync(offering.Id))!.Stage);
        Assert.Empty(page.FindAll("[data-testid=grant-info]"));

        // Confirmed: submitted without one, as the rules allow.
        page.Find("button[data-testid=grant-submit], [data-testid=grant-submit] button").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("未填写底价", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "不设底价，提交").Click();
        page.WaitForAssertion(() => Assert.Equal(GrantStage.Submitted, grants.GetAsync(offering.Id).GetAwaiter().GetResult()!.Stage));

        // A reserve typed: no question.
        var mineral = (await grants.ListAsync(grantor, Trading.Workflow.Domain.Trades.TradeTypes.MineralRights)).First(o => o.Stage == GrantStage.Draft);
        var mineralPage = Render<GrantOfferingPage>(p => p.Add(c => c.Id, mineral.Id));
        mineralPage.WaitForAssertion(() => Assert.NotEmpty(mineralPage.FindAll("[data-testid=grant-submit-panel]")));
        mineralPage.Find("input[data-testid=grant-reserve], [data-testid=grant-reserve] input").Input((mineral.StartPrice + mineral.Increment).ToString(System.Globalization.CultureInfo.InvariantCulture));
        mineralPage.Find("button[data-testid=grant-submit], [data-testid=grant-submit] button").Click();
        mineralPage.WaitForAssertion(() => Assert.Equal(GrantStage.Submitted, grants.GetAsync(mineral.Id).GetAwaiter().GetResult()!.Stage));
        Assert.DoesNotContain("未填写底价", dialogs.Markup, StringComparison.Ordinal);
    }
}

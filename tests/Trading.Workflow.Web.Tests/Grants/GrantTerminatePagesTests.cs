using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
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
/// 终止出让 on the offering page: the dialog needs a reason and a confirmation and keeps what was typed when refused (zh
/// and en); staff must choose the grantor's letter (终止申请函), which the page then lists for the grantor and staff but
/// not for bidders; after it the page shows the stage, the reason and the 终止公告; on a procedure version without the
/// path neither 终止出让 nor 撤回 is offered. On the platform's demo data for the page.
/// </summary>
public sealed class GrantTerminatePagesTests : PlatformComponentTest
{
    private const string ReasonBox = "textarea[data-testid=grant-terminate-reason], [data-testid=grant-terminate-reason] textarea";
    private const string ConfirmBox = "input[data-testid=grant-terminate-confirm], [data-testid=grant-terminate-confirm] input";

    [Fact]
    public void TerminatePanel_NeedsAReasonAndTheConfirmation_AndARefusalKeepsWhatWasTyped()
    {
        var calls = new List<string>();
        var panel = Render<GrantTerminatePanel>(p => p.Add(c => c.Terminate, (reason, _) =>
        {
            calls.Add(reason);
            return Task.FromResult<string?>("竞价已产生结果（已结束、成交或流拍），不能再终止。");
        }));
        Assert.Empty(panel.FindAll("[data-testid=grant-terminate-dialog]"));
        panel.Find("[data-testid=grant-terminate-open]").Click();
        Assert.Contains("不公开底价", panel.Find("[data-testid=grant-terminate-dialog]").TextContent, StringComparison.Ordinal);

        panel.Find("[data-testid=grant-terminate-submit]").Click();
        Assert.Equal("须说明理由（不超过 1000 字）。", panel.Find("[data-testid=grant-terminate-error]").TextContent.Trim());

        var tooLong = new string('因', GrantOffering.MaxReasonLength + 1);
        panel.Find(ReasonBox).Input(tooLong);
        panel.Find("[data-testid=grant-terminate-submit]").Click();
        Assert.Equal("须说明理由（不超过 1000 字）。", panel.Find("[data-testid=grant-terminate-error]").TextContent.Trim());
        Assert.Equal(tooLong, panel.Find(ReasonBox).GetAttribute("value") ?? panel.Find(ReasonBox).TextContent);

        panel.Find(ReasonBox).Input("  司法查封  ");
        panel.Find("[data-testid=grant-terminate-submit]").Click();
        Assert.Equal("请先勾选确认，再终止出让。", panel.Find("[data-testid=grant-terminate-error]").TextContent.Trim());
        Assert.Empty(calls);

        panel.Find(ConfirmBox).Change(true);
        panel.Find("[data-testid=grant-terminate-submit]").Click();
        panel.WaitForAssertion(() => Assert.Equal(["司法查封"], calls));
        Assert.Contains("不能再终止", panel.Find("[data-testid=grant-terminate-error]").TextContent, StringComparison.Ordinal);
        Assert.Contains("司法查封", panel.Find(ReasonBox).GetAttribute("value") ?? panel.Find(ReasonBox).TextContent, StringComparison.Ordinal);

        Culture("en");
        var english = Render<GrantTerminatePanel>(p => p.Add(c => c.Terminate, (_, _) => Task.FromResult<string?>(null)));
        english.Find("[data-testid=grant-terminate-open]").Click();
        english.Find("[data-testid=grant-terminate-submit]").Click();
        Assert.Equal("A reason is required (at most 1000 characters).", english.Find("[data-testid=grant-terminate-error]").TextContent.Trim());
        english.Find(ReasonBox).Input("Force majeure");
        english.Find("[data-testid=grant-terminate-submit]").Click();
        Assert.Equal("Tick the confirmation before terminating the sale.", english.Find("[data-testid=grant-terminate-error]").TextContent.Trim());
    }

    private static readonly byte[] Pdf = "%PDF-1.4\n% 终止申请函\n%%EOF\n"u8.ToArray();

    [Fact]
    public void TerminatePanel_ForStaff_RefusesWithoutTheGrantorsLetter_ThenSendsTheChosenOne()
    {
        var calls = new List<(string Reason, string? Letter)>();
        var panel = Render<GrantTerminatePanel>(p => p.Add(c => c.LetterRequired, true).Add(c => c.Terminate, (reason, letter) =>
        {
            calls.Add((reason, letter?.Name));
            return Task.FromResult<string?>(null);
        }));
        panel.Find("[data-testid=grant-terminate-open]").Click();
        Assert.Contains("必传", panel.Find("[data-testid=grant-terminate-letter]").TextContent, StringComparison.Ordinal);
        panel.Find(ReasonBox).Input("司法查封");
        panel.Find(ConfirmBox).Change(true);

        panel.Find("[data-testid=grant-terminate-submit]").Click();
        Assert.Equal("交易中心工作人员须依出让人的书面申请终止出让：请上传出让人的终止申请函（PDF、OFD 或图片）。", panel.Find("[data-testid=grant-terminate-error]").TextContent.Trim());
        Assert.Empty(calls);

        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Pdf, "终止申请函.pdf", contentType: "application/pdf"));
        panel.WaitForAssertion(() => Assert.Contains("终止申请函.pdf", panel.Find("[data-testid=grant-terminate-letter-chosen]").TextContent, StringComparison.Ordinal));
        panel.Find("[data-testid=grant-terminate-submit]").Click();
        panel.WaitForAssertion(() => Assert.Equal([("司法查封", (string?)"终止申请函.pdf")], calls));
        Assert.Empty(panel.FindAll("[data-testid=grant-terminate-dialog]"));

        Culture("en");
        var english = Render<GrantTerminatePanel>(p => p.Add(c => c.LetterRequired, true).Add(c => c.Terminate, (_, _) => Task.FromResult<string?>(null)));
        english.Find("[data-testid=grant-terminate-open]").Click();
        english.Find(ReasonBox).Input("Court seizure");
        english.Find("[data-testid=grant-terminate-submit]").Click();
        Assert.StartsWith("Staff terminate a sale only on the grantor's written request", english.Find("[data-testid=grant-terminate-error]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void TerminatePanel_ForTheGrantor_TheLetterIsOptional()
    {
        var calls = new List<string?>();
        var panel = Render<GrantTerminatePanel>(p => p.Add(c => c.Terminate, (_, letter) =>
        {
            calls.Add(letter?.Name);
            return Task.FromResult<string?>(null);
        }));
        panel.Find("[data-testid=grant-terminate-open]").Click();
        Assert.Contains("可选", panel.Find("[data-testid=grant-terminate-letter]").TextContent, StringComparison.Ordinal);
        panel.Find(ReasonBox).Input("规划调整");
        panel.Find(ConfirmBox).Change(true);
        panel.Find("[data-testid=grant-terminate-submit]").Click();
        panel.WaitForAssertion(() => Assert.Equal([null], calls));
    }

    [Theory]
    [InlineData("zh-CN", Trading.Workflow.Domain.Grants.GrantRules.TerminationLetterRequired, "请上传出让人的终止申请函")]
    [InlineData("en", Trading.Workflow.Domain.Grants.GrantRules.TerminationLetterRequired, "upload the grantor's letter requesting the termination")]
    [InlineData("zh-CN", Trading.Workflow.Domain.Grants.GrantRules.TerminationStalled, "终止申请已记录，网上竞价已叫停")]
    [InlineData("en", Trading.Workflow.Domain.Grants.GrantRules.TerminationStalled, "the termination completes by itself")]
    [InlineData("zh-CN", Trading.Workflow.Domain.Documents.DocumentRules.TypeNotAllowed, "文件内容不是允许的类型")]
    [InlineData("en", Trading.Workflow.Domain.Documents.DocumentRules.TooLarge, "The file is larger than allowed.")]
    public void Refusals_OfTheLetter_AreWordedInTheUsersLanguage(string culture, string rule, string expected)
    {
        Culture(culture);
        var localizer = Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<GrantsResource>>();
        Assert.Contains(expected, GrantsWeb.Problem(localizer, new Trading.Workflow.Domain.DomainRuleException(rule, "log text")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfferingPage_StaffTerminateWithTheGrantorsLetter_ItIsListedForTheGrantorAndStaff_NotForBidders()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var (services, grants, grantor, account, offering) = await AnnouncedDemoOfferingAsync(scope.ServiceProvider);
        var staffAccount = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("staff"))!;

        var user = SignIn("staff", PlatformRoles.Staff);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, staffAccount.AccountId), new Claim(Trading.Workflow.Web.Logging.CentreClaimsPrincipalFactory.ClaimType, offering.CentreId.ToString()));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", false));
        var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-terminate-open]")));
        Assert.Empty(page.FindAll("[data-testid=grant-documents]"));

        page.Find("[data-testid=grant-terminate-open]").Click();
        page.Find(ReasonBox).Input("司法查封（出让人书面申请）");
        page.Find(ConfirmBox).Change(true);
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Pdf, "终止申请函.pdf", contentType: "application/pdf"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-terminate-letter-chosen]")));
        page.Find("[data-testid=grant-terminate-submit]").Click();

        // The termination's command records it and leaves the procedure at its archive job: allow for a slow runner.
        page.WaitForAssertion(() => Assert.True(page.FindAll("[data-testid=grant-terminated]").Count > 0, string.Join(" | ", page.FindAll("[data-testid=grant-terminate-error], [data-testid=grant-error]").Select(e => e.TextContent))),
            TimeSpan.FromSeconds(60));
        var letter = (await grants.TerminationLetterAsync(new GrantActor("staff", staffAccount.AccountId, [PlatformRoles.Staff], offering.CentreId), offering))!;
        Assert.Equal($"/documents/{letter.DocumentId}/content", page.Find("[data-testid=grant-termination-letter-link]").GetAttribute("href"));
        Assert.Contains(letter.Sm3, page.Find("[data-testid=grant-termination-letter]").TextContent, StringComparison.Ordinal);
        // The hash is labelled, and breaks as a hash (not three characters a line in a table cell on a phone).
        Assert.Equal($"SM3 摘要：{letter.Sm3}", page.Find("[data-testid=grant-termination-letter-sm3]").TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid=grant-termination-letter-sm3] code.tw-hash"));

        user.SetAuthorized("grantor");
        user.SetRoles(PlatformRoles.Tenderee);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.AccountId));
        var grantorPage = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        grantorPage.WaitForAssertion(() => Assert.NotEmpty(grantorPage.FindAll("[data-testid=grant-termination-letter-link]")));

        var bidderAccount = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("bidder"))!;
        user.SetAuthorized("bidder");
        user.SetRoles(PlatformRoles.Bidder);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, bidderAccount.AccountId));
        var bidderPage = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        bidderPage.WaitForAssertion(() => Assert.NotEmpty(bidderPage.FindAll("[data-testid=grant-terminated]")));
        Assert.Empty(bidderPage.FindAll("[data-testid=grant-documents]"));
    }

    [Fact]
    public void TerminatePanel_OnAVersionWithoutTheTerminationPath_SaysSoAndOffersNoButton()
    {
        var panel = Render<GrantTerminatePanel>(p => p.Add(c => c.Supported, false).Add(c => c.Terminate, (_, _) => Task.FromResult<string?>(null)));

        Assert.Contains("不支持终止出让", panel.Find("[data-testid=grant-terminate-unavailable]").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid=grant-terminate-open]"));
    }

    [Fact]
    public async Task OfferingPage_GrantorTerminatesThroughTheDialog_ThePageShowsTheStageReasonAndTheNotice()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var (services, grants, grantor, account, offering) = await AnnouncedDemoOfferingAsync(scope.ServiceProvider);
        var bidderAccount = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("bidder"))!;
        var bidder = new GrantActor("bidder", bidderAccount.AccountId, [PlatformRoles.Bidder], null);
        await grants.ApplyAsync(bidder, offering.Id, (await grants.BidderEntitiesAsync(bidder))[0].EntityId);

        var user = SignIn("grantor", PlatformRoles.Tenderee);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.AccountId));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", false));
        var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-terminate-open]")));

        page.Find("[data-testid=grant-terminate-open]").Click();
        page.Find(ReasonBox).Input("规划调整");
        page.Find(ConfirmBox).Change(true);
        page.Find("[data-testid=grant-terminate-submit]").Click();

        // The termination's command records it and leaves the procedure at its archive job: allow for a slow runner.
        page.WaitForAssertion(() => Assert.True(page.FindAll("[data-testid=grant-terminated]").Count > 0, string.Join(" | ", page.FindAll("[data-testid=grant-terminate-error], [data-testid=grant-error]").Select(e => e.TextContent))),
            TimeSpan.FromSeconds(60));
        Assert.Equal("已终止", page.Find("[data-testid=grant-stage]").TextContent.Trim());
        Assert.Contains("终止理由：规划调整", page.Find("[data-testid=grant-termination-reason]").TextContent, StringComparison.Ordinal);
        var stored = (await grants.GetAsync(offering.Id))!;
        Assert.Equal($"/portal/notices/{stored.TerminationNoticeId}", page.Find("[data-testid=grant-termination-notice-link]").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=grant-terminate-open]"));
        Assert.Contains(page.FindAll("[data-testid=grant-history-row]"), r => r.TextContent.Contains("终止出让", StringComparison.Ordinal) && r.TextContent.Contains("规划调整", StringComparison.Ordinal));

        // The applicant sees the sale terminated and where its deposit stands.
        user.SetAuthorized("bidder");
        user.SetRoles(PlatformRoles.Bidder);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, bidderAccount.AccountId));
        var bidderPage = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        bidderPage.WaitForAssertion(() => Assert.NotEmpty(bidderPage.FindAll("[data-testid=grant-terminated-deposit]")));
        Assert.Contains("终止理由：规划调整", bidderPage.Find("[data-testid=grant-termination-reason]").TextContent, StringComparison.Ordinal);
        Assert.Equal("本次出让已终止。您未缴纳保证金，无需退还。", bidderPage.Find("[data-testid=grant-terminated-deposit]").TextContent.Trim());
        Assert.Empty(bidderPage.FindAll("[data-testid=grant-terminate-open]"));
        // Its own application and deposit stay on the page, read-only.
        Assert.Equal("已关闭（出让终止）：规划调整", bidderPage.Find("[data-testid=grant-application-state]").TextContent.Trim());
        // Never paid into a sale that ended: not "待缴纳" under "您未缴纳保证金，无需退还" (the 2026-12-08 walk).
        Assert.Equal("保证金状态：未缴纳；本次出让已结束，无需再缴纳。", bidderPage.Find("[data-testid=grant-deposit-state]").TextContent.Trim());
        Assert.NotEmpty(bidderPage.FindAll("[data-testid=grant-sub-account]"));
        Assert.Empty(bidderPage.FindAll("[data-testid=grant-pay-from]"));
        Assert.Empty(bidderPage.FindAll("[data-testid=grant-apply]"));
    }

    [Fact]
    public async Task OfferingPage_OnAVersionWithoutTheWithdrawalOrTerminationPath_OffersNeither()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());
        // The land procedure as shipped before returns, published again: new land offerings start on it.
        await services.GetRequiredService<IWorkflowEngine>().DeployAsync(Trading.Workflow.Engine.Parsing.BpmnParser.ParseFile(
            Path.Combine(AppContext.BaseDirectory, "Grants", "Bpmn", "land-grant-before-returns.bpmn")));
        var (grants, grantor, account) = await GrantorAsync(services);
        var offering = (await grants.ListAsync(grantor, Trading.Workflow.Domain.Trades.TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);
        offering = await grants.SubmitAsync(grantor, offering.Id, offering.Version, offering.StartPrice * 1.1m);
        var user = SignIn("grantor", PlatformRoles.Tenderee);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.AccountId));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", false));

        var submitted = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        submitted.WaitForAssertion(() => Assert.NotEmpty(submitted.FindAll("[data-testid=grant-withdraw-unavailable]")));
        Assert.Empty(submitted.FindAll("[data-testid=grant-withdraw]"));

        offering = await AnnounceAsync(services, grants, grantor, offering, submitted: true);
        var announced = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        announced.WaitForAssertion(() => Assert.NotEmpty(announced.FindAll("[data-testid=grant-terminate-unavailable]")));
        Assert.Contains("不支持终止出让", announced.Find("[data-testid=grant-terminate-unavailable]").TextContent, StringComparison.Ordinal);
        Assert.Empty(announced.FindAll("[data-testid=grant-terminate-open]"));
    }

    [Fact]
    public async Task OfferingPage_ATerminationTheProcedureWouldNotTake_IsShownWithItsCause_StaffGetTheInstance_BiddersNothing()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var (services, grants, grantor, account, offering) = await AnnouncedDemoOfferingAsync(scope.ServiceProvider);
        var instanceId = (await grants.FindInstanceIdAsync(offering))!.Value;
        await grants.RequestTerminationAsync(grantor, offering.Id, "规划调整");
        await services.GetRequiredService<IWorkflowEngine>().SuspendInstanceAsync(instanceId, "系统维护", "admin");
        await Assert.ThrowsAsync<AggregateException>(() => grants.ResumeTerminationsAsync(TimeSpan.Zero));
        var staffAccount = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("staff"))!;

        var user = SignIn("staff", PlatformRoles.Staff);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, staffAccount.AccountId), new Claim(Trading.Workflow.Web.Logging.CentreClaimsPrincipalFactory.ClaimType, offering.CentreId.ToString()));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", false));
        var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-termination-stalled]")));
        Assert.Contains("grantor", page.Find("[data-testid=grant-termination-pending]").TextContent, StringComparison.Ordinal);
        Assert.Contains("已尝试 1 次", page.Find("[data-testid=grant-termination-stalled]").TextContent, StringComparison.Ordinal);
        Assert.Contains("原因：流程实例已被挂起", page.Find("[data-testid=grant-termination-stalled]").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/instances/{instanceId}", page.Find("[data-testid=grant-termination-instance]").GetAttribute("href"));

        user.SetAuthorized("grantor");
        user.SetRoles(PlatformRoles.Tenderee);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.AccountId));
        Culture("en");
        var grantorPage = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        grantorPage.WaitForAssertion(() => Assert.NotEmpty(grantorPage.FindAll("[data-testid=grant-termination-stalled]")));
        Assert.Contains("Cause: the procedure instance is suspended", grantorPage.Find("[data-testid=grant-termination-stalled]").TextContent, StringComparison.Ordinal);
        Assert.Empty(grantorPage.FindAll("[data-testid=grant-termination-instance]"));

        var bidderAccount = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("bidder"))!;
        user.SetAuthorized("bidder");
        user.SetRoles(PlatformRoles.Bidder);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, bidderAccount.AccountId));
        var bidderPage = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        bidderPage.WaitForAssertion(() => Assert.NotEmpty(bidderPage.FindAll("[data-testid=grant-stage]")));
        Assert.Empty(bidderPage.FindAll("[data-testid=grant-termination-pending]"));
    }

    [Fact]
    public async Task OfferingPage_OpenWhileATerminationStalls_ShowsTheStallWithoutAReload()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var (services, grants, grantor, account, offering) = await AnnouncedDemoOfferingAsync(scope.ServiceProvider);
        await services.GetRequiredService<IWorkflowEngine>().SuspendInstanceAsync((await grants.FindInstanceIdAsync(offering))!.Value, "系统维护", "admin");
        await grants.RequestTerminationAsync(grantor, offering.Id, "规划调整");

        var user = SignIn("grantor", PlatformRoles.Tenderee);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.AccountId));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", true));
        var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-termination-pending]")));
        Assert.Empty(page.FindAll("[data-testid=grant-termination-stalled]"));

        // The recovery's failed round changes the request, not the offering's version.
        await Assert.ThrowsAsync<AggregateException>(() => grants.ResumeTerminationsAsync(TimeSpan.Zero));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-termination-stalled]")), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task OfferingAndPublicPages_RowsOfChipsAndButtonsWrapOnAPhone()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var (services, _, _, account, offering) = await AnnouncedDemoOfferingAsync(scope.ServiceProvider);
        Services.AddSingleton(services.GetRequiredService<GrantService>());
        var user = SignIn("grantor", PlatformRoles.Tenderee);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.AccountId));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", false));

        // At 390 px the stage, mode, code and demo chips ran off the right edge (the 2026-12-06 walk), and the public
        // page's notice buttons with them: every row wraps.
        var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-stage]")));
        Assert.NotEmpty(page.FindAll(".d-flex.flex-row"));
        Assert.All(page.FindAll(".d-flex.flex-row"), row => Assert.Contains("flex-wrap", row.ClassName, StringComparison.Ordinal));

        var bidderAccount = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("bidder"))!;
        user.SetAuthorized("bidder");
        user.SetRoles(PlatformRoles.Bidder);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, bidderAccount.AccountId));
        var bidder = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        bidder.WaitForAssertion(() => Assert.NotEmpty(bidder.FindAll("[data-testid=grant-apply]")));
        Assert.All(bidder.FindAll(".d-flex.flex-row"), row => Assert.Contains("flex-wrap", row.ClassName, StringComparison.Ordinal));

        var portal = Render<GrantPublicPage>(p => p.Add(c => c.Id, offering.Id));
        portal.WaitForAssertion(() => Assert.NotEmpty(portal.FindAll("[data-testid=grant-summary]")));
        Assert.NotEmpty(portal.FindAll(".d-flex.flex-row"));
        Assert.All(portal.FindAll(".d-flex.flex-row"), row => Assert.Contains("flex-wrap", row.ClassName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OfferingPage_Supervisor_SeesTheApplicationsAndDeposits_WithoutTheDecision()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var (services, grants, _, _, offering) = await AnnouncedDemoOfferingAsync(scope.ServiceProvider);
        var bidderAccount = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("bidder"))!;
        var bidder = new GrantActor("bidder", bidderAccount.AccountId, [PlatformRoles.Bidder], null);
        var entity = (await grants.BidderEntitiesAsync(bidder))[0];
        await grants.ApplyAsync(bidder, offering.Id, entity.EntityId);

        // The supervisor had only the trail's JSON to learn who applied and whose deposit arrived (the 2026-12-06 walk).
        var supervisor = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("supervisor"))!;
        var user = SignIn("supervisor", PlatformRoles.Supervisor);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, supervisor.AccountId));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", false));
        var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-application]")));
        var row = Assert.Single(page.FindAll("[data-testid=grant-application]"));
        Assert.Contains(entity.Name, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("¥0.00 / ¥600,000.00", row.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=grant-approve]"));
        Assert.Empty(page.FindAll("[data-testid=grant-reject]"));

        // Staff of the centre still decide there.
        user.SetAuthorized("staff");
        user.SetRoles(PlatformRoles.Staff);
        var staffAccount = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("staff"))!;
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, staffAccount.AccountId), new Claim(Trading.Workflow.Web.Logging.CentreClaimsPrincipalFactory.ClaimType, offering.CentreId.ToString()));
        var staffPage = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        staffPage.WaitForAssertion(() => Assert.NotEmpty(staffPage.FindAll("[data-testid=grant-approve]")));
    }

    /// <summary>The demo's mineral-rights draft, announced, with the page's service registered for rendering.</summary>
    private async Task<(IServiceProvider Services, GrantService Grants, GrantActor Grantor, UserAccount Account, GrantOffering Offering)> AnnouncedDemoOfferingAsync(IServiceProvider services)
    {
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());
        var (grants, grantor, account) = await GrantorAsync(services);
        var offering = (await grants.ListAsync(grantor, Trading.Workflow.Domain.Trades.TradeTypes.MineralRights)).First(o => o.Stage == GrantStage.Draft);
        return (services, grants, grantor, account, await AnnounceAsync(services, grants, grantor, offering));
    }

    private static async Task<(GrantService Grants, GrantActor Grantor, UserAccount Account)> GrantorAsync(IServiceProvider services)
    {
        var account = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("grantor"))!;
        return (services.GetRequiredService<GrantService>(), new GrantActor("grantor", account.AccountId, [PlatformRoles.Tenderee], account.CentreId), account);
    }

    /// <summary>Submits the draft (unless it was) and has staff publish the notice through the review task.</summary>
    private static async Task<GrantOffering> AnnounceAsync(IServiceProvider services, GrantService grants, GrantActor grantor, GrantOffering offering, bool submitted = false)
    {
        if (!submitted)
        {
            offering = await grants.SubmitAsync(grantor, offering.Id, offering.Version, offering.StartPrice * 1.1m);
        }

        var engine = services.GetRequiredService<IWorkflowEngine>();
        var task = (await engine.GetTasksAsync(new TaskQuery { BusinessKey = offering.ProjectCode })).Single(t => t.ElementId == GrantService.ReviewTask);
        await engine.CompleteTaskAsync(task.Id, null, "staff");
        offering = (await grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.Announced, offering.Stage);
        return offering;
    }
}

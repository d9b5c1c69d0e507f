using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Web.Bidding;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Grants;

/// <summary>
/// The offering page of a sale that did not open because its notice was not published in time (the lot shelved by
/// <see cref="GrantLotOpeningGate"/>): it says so, tells staff to return the offering and the grantor to wait for the
/// return, in zh and en, and the history lists it. On the platform's demo data.
/// </summary>
public sealed class GrantShelvedUnannouncedPageTests : PlatformComponentTest
{
    [Fact]
    public async Task OfferingPage_LotShelvedUnannounced_TellsStaffToReturnIt_AndTheGrantorToWaitForTheReturn()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());
        var grants = services.GetRequiredService<GrantService>();
        var directory = services.GetRequiredService<IUserDirectory>();
        var account = (await directory.FindByUserNameAsync("grantor"))!;
        var grantor = new GrantActor("grantor", account.AccountId, [PlatformRoles.Tenderee], account.CentreId);
        var offering = (await grants.ListAsync(grantor, Trading.Workflow.Domain.Trades.TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);
        offering = await grants.SubmitAsync(grantor, offering.Id, offering.Version, offering.StartPrice * 1.1m);
        // What the lot's writer does at the opening time when the gate refuses (the engine's own tests drive the tick).
        var lotId = offering.LotId!.Value;
        Assert.True(await services.GetRequiredService<BiddingEngine>().ShelveAsync(lotId, GrantLotOpeningGate.NoticeUnpublished, BiddingEngine.SystemActor));
        var entry = (await services.GetRequiredService<BiddingEngine>().Store.ReadLogAsync(lotId, 0))[^1];
        var gate = services.GetServices<ILotOpeningGate>().OfType<GrantLotOpeningGate>().Single();
        await gate.OnShelvedAsync(new LotShelvedAtOpening(lotId, offering.SectionId, offering.ProjectId, GrantLotOpeningGate.NoticeUnpublished, entry.Sequence, entry.Hash, entry.At), CancellationToken.None);

        var user = SignIn("grantor", PlatformRoles.Tenderee);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.AccountId));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", false));
        var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-shelved-unannounced]")));
        var alert = page.Find("[data-testid=grant-shelved-unannounced]").TextContent;
        Assert.Contains("竞价未开始：出让公告未按时发布", alert, StringComparison.Ordinal);
        Assert.Contains(GrantsWeb.Format(offering.BiddingOpens), alert, StringComparison.Ordinal);
        Assert.Contains("须由交易中心将本出让退回给您", page.Find("[data-testid=grant-shelved-unannounced-next]").TextContent, StringComparison.Ordinal);
        Assert.Contains(page.FindAll("[data-testid=grant-history-row]"), r => r.TextContent.Contains("公告未按时发布，竞价未开始", StringComparison.Ordinal));

        var staffAccount = (await directory.FindByUserNameAsync("staff"))!;
        user.SetAuthorized("staff");
        user.SetRoles(PlatformRoles.Staff);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, staffAccount.AccountId), new Claim(Trading.Workflow.Web.Logging.CentreClaimsPrincipalFactory.ClaimType, offering.CentreId.ToString()));
        Culture("en");
        var staffPage = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        staffPage.WaitForAssertion(() => Assert.NotEmpty(staffPage.FindAll("[data-testid=grant-shelved-unannounced]")));
        Assert.Contains("The sale did not open: the notice was not published in time", staffPage.Find("[data-testid=grant-shelved-unannounced]").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Return the offering to the grantor", staffPage.Find("[data-testid=grant-shelved-unannounced-next]").TextContent.Trim(), StringComparison.Ordinal);

        // Once returned, the page shows the return instead.
        await grants.ReturnAsync(new GrantActor("staff", staffAccount.AccountId, [PlatformRoles.Staff], offering.CentreId), offering.Id, "请重新确定竞价日期");
        var returned = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        returned.WaitForAssertion(() => Assert.NotEmpty(returned.FindAll("[data-testid=grant-returned]")));
        Assert.Empty(returned.FindAll("[data-testid=grant-shelved-unannounced]"));
    }

    [Fact]
    public async Task OfferingPage_OpenWhenTheLotIsShelved_ShowsItWithoutAReload()
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
        var user = SignIn("grantor", PlatformRoles.Tenderee);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.AccountId));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", true));
        var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-stage]")));
        Assert.Empty(page.FindAll("[data-testid=grant-shelved-unannounced]"));

        // The gate's shelving leaves the offering's version as it was: the page must look at the lot itself.
        Assert.True(await services.GetRequiredService<BiddingEngine>().ShelveAsync(offering.LotId!.Value, GrantLotOpeningGate.NoticeUnpublished, BiddingEngine.SystemActor));
        Assert.Equal(offering.Version, (await grants.GetAsync(offering.Id))!.Version);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-shelved-unannounced]")), TimeSpan.FromSeconds(15));
    }

    [Theory]
    [InlineData("zh-CN", "出让公告未在竞价开始时间前发布，本次竞价未开始。")]
    [InlineData("en", "The grant notice was not published before the bidding was to open, so the sale did not open.")]
    public async Task Room_OfALotShelvedForWantOfANotice_SaysThatReason_NotAReturnOrWithdrawal(string culture, string reason)
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        var grants = services.GetRequiredService<GrantService>();
        var directory = services.GetRequiredService<IUserDirectory>();
        var account = (await directory.FindByUserNameAsync("grantor"))!;
        var grantor = new GrantActor("grantor", account.AccountId, [PlatformRoles.Tenderee], account.CentreId);
        var offering = (await grants.ListAsync(grantor, Trading.Workflow.Domain.Trades.TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);
        offering = await grants.SubmitAsync(grantor, offering.Id, offering.Version, offering.StartPrice * 1.1m);
        var engine = services.GetRequiredService<BiddingEngine>();
        Assert.True(await engine.ShelveAsync(offering.LotId!.Value, GrantLotOpeningGate.NoticeUnpublished, BiddingEngine.SystemActor));

        Services.AddSingleton(engine);
        Services.AddSingleton(services.GetRequiredService<BiddingAccess>());
        Services.AddSingleton(services.GetRequiredService<LotHeadings>());
        Services.AddSingleton(new RoomCircuit(TimeProvider.System));
        var staff = (await directory.FindByUserNameAsync("staff"))!;
        var user = SignIn("staff", PlatformRoles.Staff);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, staff.AccountId), new Claim(Trading.Workflow.Web.Logging.CentreClaimsPrincipalFactory.ClaimType, offering.CentreId.ToString()));
        Culture(culture);
        var room = Render<BiddingRoom>(p => p.Add(x => x.LotId, offering.LotId!.Value));

        room.WaitForAssertion(() => Assert.NotEmpty(room.FindAll("[data-testid=shelved-reason]")));
        Assert.Equal(reason, room.Find("[data-testid=shelved-reason]").TextContent.Trim());
        Assert.DoesNotContain("退回或撤回", room.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("returned or withdrawn", room.Markup, StringComparison.Ordinal);
    }
}

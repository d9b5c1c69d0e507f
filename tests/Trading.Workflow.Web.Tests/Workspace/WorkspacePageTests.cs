using System.Globalization;
using System.Text;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Components.Pages.Workspace;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Tests.EngineeringConstruction;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Workspace;

/// <summary>
/// The workspace of a tenderee: the demo grantor's own land and mineral offerings with their stage and a link, and no
/// empty tender list; a tenderee with neither tenders nor offerings (the demo county's) reads that there is none of
/// either instead of a blank page; its projects not yet tendered, the demo agency's draft in its name with the agency
/// named, not another entity's. The workspace of a bidder: its own grant applications with their deposit and its
/// engineering sections, not another bidder's, and the offerings still open to it; an approved application linked to the
/// bidding room once the bidding is live; a section's sealed and withdrawn bid; a tender whose documents it obtained
/// listed once, under its participation.
/// </summary>
public sealed class WorkspacePageTests : TenderPageTest
{
    [Fact]
    public async Task Grantor_SeesItsOwnOfferings_WithStageAndLink_AndNoEmptyTenderList_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        AddServices(services);
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
        AddServices(services);

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

    [Fact]
    public async Task Bidder_WhoseEntityWaitsForVerification_ReadsWhyItTakesPartNowhere_AndAVerifiedOneDoesNot_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        AddServices(services);
        const string first17 = "91530100MA6K7Q8R2";
        var code = first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
        var market = services.GetRequiredService<MarketEntityService>();
        var profile = EntityProfile.Create(EntityKind.Organisation, "工作台核验测试有限公司", code, "张新", "昆明市测试路1号", "530100",
            new BankAccount("测试银行", "工作台核验测试有限公司", "5300 1234 5678 9012"), [], [], market.Today, "530102198503121233");
        var registered = await services.GetRequiredService<Trading.Workflow.Web.Market.MarketAccounts>()
            .RegisterAsync("newco", "张新", "Kunming#2026yx", EntityKind.Organisation, profile);
        Assert.True(registered.Succeeded, string.Join(" ", registered.Errors));

        await SignInAsync(services, "newco");
        var zh = Render<WorkspacePage>();
        zh.WaitForAssertion(() => Assert.Single(zh.FindAll("[data-testid=workspace-unverified]")));
        var alert = zh.Find("[data-testid=workspace-unverified]");
        Assert.Contains("“工作台核验测试有限公司”尚未通过交易中心核验", alert.TextContent, StringComparison.Ordinal);
        Assert.Equal("/market/my", alert.QuerySelector("a")!.GetAttribute("href"));
        Assert.Empty(zh.FindAll("[data-testid=workspace-no-entity]"));

        Culture("en");
        var en = Render<WorkspacePage>();
        en.WaitForAssertion(() => Assert.Single(en.FindAll("[data-testid=workspace-unverified]")));
        Assert.Contains("has not been verified by a trading centre yet", en.Find("[data-testid=workspace-unverified]").TextContent, StringComparison.Ordinal);

        // A bidder whose entity is verified reads no such line.
        Culture("zh-CN");
        await SignInAsync(services, "bidder");
        var verified = Render<WorkspacePage>();
        verified.WaitForAssertion(() => Assert.NotEmpty(verified.FindAll("[data-testid=workspace-mine]")));
        Assert.Empty(verified.FindAll("[data-testid=workspace-unverified]"));
        Assert.Empty(verified.FindAll("[data-testid=workspace-no-entity]"));
    }

    private void AddServices(IServiceProvider services)
    {
        Services.AddSingleton(services.GetRequiredService<IWorkflowEngine>());
        Services.AddSingleton(services.GetRequiredService<Trading.Workflow.Web.Workflow.ProcedureNames>());
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());
        Services.AddSingleton(services.GetRequiredService<ProjectService>());
        Services.AddSingleton(services.GetRequiredService<Trading.Workflow.Web.Projects.ProjectActors>());
        Services.AddSingleton(services.GetRequiredService<Trading.Workflow.Web.Bids.BidQueries>());
    }

    [Fact]
    public async Task Tenderee_SeesItsProjectsNotYetTendered_TheAgencysDraftWithTheAgencyNamed_NotAnotherEntitys_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        AddServices(services);
        var directory = services.GetRequiredService<IUserDirectory>();
        var county = (await directory.FindByUserNameAsync("tenderee2"))!;
        var hospital = await services.GetRequiredService<IProjectParties>().ActingForAsync(county.AccountId);
        var countyActor = new ProjectActor("tenderee2", [PlatformRoles.Tenderee], county.CentreId, hospital);
        var others = await services.GetRequiredService<ProjectService>().RegisterAsync(countyActor, new ProjectInput(
            TradeTypes.EngineeringConstruction, TradeMethods.OpenTender, "演示县医院门诊楼改造工程（演示数据）", hospital[0].EntityId, null, null, true, "530125", "房屋建筑工程",
            [new SectionEdit(null, new SectionDraft("门诊楼改造施工", 3_000_000m))]));
        Project draft;
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            draft = await db.Set<Project>().AsNoTracking().SingleAsync(p => p.Name == Trading.Workflow.Web.Projects.ProjectsDemoData.DemoAgencyProjectName);
        }

        await SignInAsync(services, "tenderee");
        var zh = Render<WorkspacePage>();
        zh.WaitForAssertion(() => Assert.NotEmpty(zh.FindAll("[data-testid=workspace-pending]")));
        Assert.Equal("尚未开始招标的项目", zh.Find("[data-testid=workspace-pending] h2").TextContent.Trim());
        var row = zh.FindAll("[data-testid=workspace-pending-project]").Single(r => r.TextContent.Contains(draft.Code, StringComparison.Ordinal));
        Assert.Equal($"代理机构：{draft.AgencyName}", row.QuerySelector("[data-testid=workspace-pending-by]")!.TextContent.Trim());
        Assert.Equal("草稿", row.QuerySelector("[data-testid=workspace-pending-state]")!.TextContent.Trim());
        Assert.Equal($"/projects/{draft.Id}", row.QuerySelector("[data-testid=workspace-pending-open]")!.GetAttribute("href"));
        Assert.Equal("DEMO-CITY-GC-2026-00002", draft.Code);
        Assert.DoesNotContain(others.Code, zh.Markup, StringComparison.Ordinal);

        Culture("en");
        var en = Render<WorkspacePage>();
        en.WaitForAssertion(() => Assert.NotEmpty(en.FindAll("[data-testid=workspace-pending]")));
        Assert.Equal("Projects not yet tendered", en.Find("[data-testid=workspace-pending] h2").TextContent.Trim());
        var enRow = en.FindAll("[data-testid=workspace-pending-project]").Single(r => r.TextContent.Contains(draft.Code, StringComparison.Ordinal));
        Assert.Equal($"Agency: {draft.AgencyName}", enRow.QuerySelector("[data-testid=workspace-pending-by]")!.TextContent.Trim());
        Assert.Equal("Draft", enRow.QuerySelector("[data-testid=workspace-pending-state]")!.TextContent.Trim());

        // The county's tenderee sees its own draft as registered by itself, and not the city's agency draft.
        await SignInAsync(services, "tenderee2");
        var own = Render<WorkspacePage>();
        own.WaitForAssertion(() => Assert.NotEmpty(own.FindAll("[data-testid=workspace-pending]")));
        var ownRow = Assert.Single(own.FindAll("[data-testid=workspace-pending-project]"));
        Assert.Contains(others.Code, ownRow.TextContent, StringComparison.Ordinal);
        Assert.Equal("Your organisation", ownRow.QuerySelector("[data-testid=workspace-pending-by]")!.TextContent.Trim());

        // The agency sees the draft it registered, for the company, and no empty tender or offering list beside it.
        await SignInAsync(services, "agency");
        Culture("zh-CN");
        var agency = Render<WorkspacePage>();
        agency.WaitForAssertion(() => Assert.NotEmpty(agency.FindAll("[data-testid=workspace-pending]")));
        var agencyRow = Assert.Single(agency.FindAll("[data-testid=workspace-pending-project]"));
        Assert.Contains(draft.Code, agencyRow.TextContent, StringComparison.Ordinal);
        Assert.Equal($"本单位受{draft.OwnerName}委托", string.Concat(agencyRow.QuerySelector("[data-testid=workspace-pending-by]")!.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.Empty(agency.FindAll("[data-testid=workspace-tenderee]"));
        Assert.Empty(agency.FindAll("[data-testid=workspace-grantor]"));
    }

    [Fact]
    public async Task Bidder_SeesItsOwnApplicationsAndSections_WithDeposit_NotAnotherBiddersOnes_AndTheOfferingsOpenToIt_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        AddServices(services);
        var directory = services.GetRequiredService<IUserDirectory>();
        var grants = services.GetRequiredService<GrantService>();
        var engine = services.GetRequiredService<IWorkflowEngine>();
        var grantorAccount = (await directory.FindByUserNameAsync("grantor"))!;
        var grantor = new GrantActor("grantor", grantorAccount.AccountId, [PlatformRoles.Tenderee], grantorAccount.CentreId);
        var announced = new List<GrantOffering>();
        foreach (var type in new[] { TradeTypes.LandRights, TradeTypes.MineralRights })
        {
            var draft = (await grants.ListAsync(grantor, type)).First(o => o.Stage == GrantStage.Draft);
            var submitted = await grants.SubmitAsync(grantor, draft.Id, draft.Version, draft.StartPrice * 1.1m);
            var review = (await engine.GetTasksAsync(new TaskQuery { BusinessKey = submitted.ProjectCode })).Single(t => t.ElementId == GrantService.ReviewTask);
            await engine.CompleteTaskAsync(review.Id, null, "staff");
            announced.Add((await grants.GetAsync(draft.Id))!);
        }

        var (land, mineral) = (announced[0], announced[1]);
        async Task<(GrantActor Actor, EntityMembershipInfo Entity)> BidderAsync(string userName)
        {
            var account = (await directory.FindByUserNameAsync(userName))!;
            var entity = (await services.GetRequiredService<IEntityMembership>().EntitiesOfAsync(account.AccountId)).First(e => e.IsVerified);
            return (new GrantActor(userName, account.AccountId, [PlatformRoles.Bidder], null), entity);
        }

        var (bidder, entity) = await BidderAsync("bidder");
        var (bidder2, entity2) = await BidderAsync("bidder2");
        Assert.NotEqual(entity.EntityId, entity2.EntityId);
        await grants.ApplyAsync(bidder, land.Id, entity.EntityId);
        await grants.ApplyAsync(bidder2, mineral.Id, entity2.EntityId);

        // An engineering section the bidder obtained the documents of, and one only bidder2 takes part in.
        var tender = await TenderAsync(services, 71, opened: false);
        var theirs = await TenderAsync(services, 72, opened: false);
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            var mine = await db.Set<Section>().AsNoTracking().FirstAsync(s => s.ProjectId == tender.ProjectId);
            var other = await db.Set<Section>().AsNoTracking().FirstAsync(s => s.ProjectId == theirs.ProjectId);
            db.AddRange(
                new Participation(Guid.NewGuid(), mine.Id, tender.ProjectId, entity.EntityId, entity.Name, ParticipationOrigin.DocumentsDownloaded, At(10, 15), "bidder"),
                new Participation(Guid.NewGuid(), other.Id, theirs.ProjectId, entity2.EntityId, entity2.Name, ParticipationOrigin.DocumentsDownloaded, At(10, 15), "bidder2"));
            await db.SaveChangesAsync();
        }

        await SignInAsync(services, "bidder");
        var zh = Render<WorkspacePage>();
        zh.WaitForAssertion(() => Assert.Single(zh.FindAll("[data-testid=workspace-application]")));
        Assert.Equal("我参与的项目", zh.Find("[data-testid=workspace-mine] h2").TextContent.Trim());
        var application = zh.Find("[data-testid=workspace-application]");
        Assert.Contains(land.ProjectCode, application.TextContent, StringComparison.Ordinal);
        Assert.Contains("土地使用权出让", application.TextContent, StringComparison.Ordinal);
        Assert.Equal("待资格确认", application.QuerySelector("[data-testid=workspace-application-state]")!.TextContent.Trim());
        // The deposit in the words of /deposits (待缴纳), not a second vocabulary.
        Assert.Equal("待缴纳", application.QuerySelector("[data-testid=workspace-application-deposit]")!.TextContent.Trim());
        Assert.StartsWith("竞价开始 ", application.QuerySelector("[data-testid=workspace-application-next]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal($"/grants/{land.Id}", application.QuerySelector("[data-testid=workspace-application-open]")!.GetAttribute("href"));
        Assert.DoesNotContain(mineral.ProjectCode, zh.Find("[data-testid=workspace-mine]").TextContent, StringComparison.Ordinal);

        var section = Assert.Single(zh.FindAll("[data-testid=workspace-section]"));
        Assert.Contains(tender.ProjectName, section.TextContent, StringComparison.Ordinal);
        Assert.Equal("已获取招标文件", section.QuerySelector("[data-testid=workspace-section-state]")!.TextContent.Trim());
        Assert.StartsWith("/bids/", section.QuerySelector("[data-testid=workspace-section-bid]")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.ProjectName, zh.Find("[data-testid=workspace-mine]").TextContent, StringComparison.Ordinal);

        // The mineral offering (bidder2's application is not the bidder's) is still open to it; the land one it applied for is not listed again.
        Assert.Equal("可报名的土地和矿业权出让", zh.Find("[data-testid=workspace-offerings] h2").TextContent.Trim());
        var open = Assert.Single(zh.FindAll("[data-testid=workspace-open-offering]"));
        Assert.Contains(mineral.ProjectCode, open.TextContent, StringComparison.Ordinal);
        Assert.Contains("矿业权出让", open.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/grants/{mineral.Id}", open.QuerySelector("[data-testid=workspace-open-offering-link]")!.GetAttribute("href"));
        Assert.Equal("报名", open.QuerySelector("[data-testid=workspace-open-offering-link]")!.TextContent.Trim());
        Assert.NotEqual("—", open.QuerySelector("[data-testid=workspace-countdown]")!.TextContent.Trim());

        Culture("en");
        var en = Render<WorkspacePage>();
        en.WaitForAssertion(() => Assert.Single(en.FindAll("[data-testid=workspace-application]")));
        Assert.Equal("My participation", en.Find("[data-testid=workspace-mine] h2").TextContent.Trim());
        Assert.Equal("Awaiting eligibility", en.Find("[data-testid=workspace-application-state]").TextContent.Trim());
        Assert.Equal("Awaiting payment", en.Find("[data-testid=workspace-application-deposit]").TextContent.Trim());
        Assert.StartsWith("Bidding opens ", en.Find("[data-testid=workspace-application-next]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Documents obtained", en.Find("[data-testid=workspace-section-state]").TextContent.Trim());
        Assert.Equal("Land and mineral rights offerings open to you", en.Find("[data-testid=workspace-offerings] h2").TextContent.Trim());
        Assert.Equal("Apply", en.Find("[data-testid=workspace-open-offering-link]").TextContent.Trim());

        // bidder2 sees its own mineral application and not the bidder's land one nor its section.
        await SignInAsync(services, "bidder2");
        var other2 = Render<WorkspacePage>();
        other2.WaitForAssertion(() => Assert.Single(other2.FindAll("[data-testid=workspace-application]")));
        Assert.Contains(mineral.ProjectCode, other2.Find("[data-testid=workspace-application]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(land.ProjectCode, other2.Find("[data-testid=workspace-mine]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(tender.ProjectName, other2.Find("[data-testid=workspace-mine]").TextContent, StringComparison.Ordinal);
    }

    private const string BankSecret = "workspace-test-bank-secret-0123456789";

    /// <summary>The page's clock: the real one until a test moves it (the services keep the real one).</summary>
    private sealed class PageClock : TimeProvider
    {
        public DateTimeOffset? At { get; set; }

        public override DateTimeOffset GetUtcNow() => At ?? System.GetUtcNow();
    }

    [Fact]
    public async Task Bidder_ApprovedApplication_LinksToTheBiddingRoom_OnlyOnceTheBiddingIsLive_InZhAndEn()
    {
        await using var factory = new PlatformFactory(new Dictionary<string, string?>
        {
            ["Deposits:Banks:icbc:Name"] = "工商银行",
            ["Deposits:Banks:icbc:Secret"] = BankSecret,
        });
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        AddServices(services);
        var clock = new PageClock();
        Services.AddSingleton<TimeProvider>(clock);
        var directory = services.GetRequiredService<IUserDirectory>();
        var grants = services.GetRequiredService<GrantService>();
        var engine = services.GetRequiredService<IWorkflowEngine>();
        var grantorAccount = (await directory.FindByUserNameAsync("grantor"))!;
        var grantor = new GrantActor("grantor", grantorAccount.AccountId, [PlatformRoles.Tenderee], grantorAccount.CentreId);
        var draft = (await grants.ListAsync(grantor, TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);
        var submitted = await grants.SubmitAsync(grantor, draft.Id, draft.Version, draft.StartPrice * 1.1m);
        var review = (await engine.GetTasksAsync(new TaskQuery { BusinessKey = submitted.ProjectCode })).Single(t => t.ElementId == GrantService.ReviewTask);
        await engine.CompleteTaskAsync(review.Id, null, "staff");

        var bidderAccount = (await directory.FindByUserNameAsync("bidder"))!;
        var entity = (await services.GetRequiredService<IEntityMembership>().EntitiesOfAsync(bidderAccount.AccountId)).First(e => e.IsVerified);
        var (application, depositAccount) = await grants.ApplyAsync(new GrantActor("bidder", bidderAccount.AccountId, [PlatformRoles.Bidder], null), draft.Id, entity.EntityId);
        var basic = (await services.GetRequiredService<MarketEntityService>().GetAsync(entity.EntityId)).Verified!.BasicAccount!;
        var now = DateTimeOffset.UtcNow;
        var body = BankCallbackBody.Deposit(new BankDeposit("TX-WS-1", draft.Deposit, basic.AccountName,
            string.Concat(basic.AccountNumber.Where(char.IsAsciiDigit)), basic.Bank, depositAccount, now));
        var paid = await services.GetRequiredService<DepositService>().HandleCallbackAsync("icbc", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            BankCallbackSignature.Sign(Encoding.UTF8.GetBytes(BankSecret), now.ToUnixTimeSeconds(), body), body, CancellationToken.None);
        Assert.Equal(CallbackOutcome.Recorded, paid.Outcome);
        var staffAccount = (await directory.FindByUserNameAsync("staff"))!;
        var approved = await grants.DecideAsync(new GrantActor("staff", staffAccount.AccountId, [PlatformRoles.Staff], staffAccount.CentreId), application.Id, approve: true, null);
        Assert.NotNull(approved.BidderNumber);
        var offering = (await grants.GetAsync(draft.Id))!;

        // Before the bidding opens: the offering's page, no bidding room.
        await SignInAsync(services, "bidder");
        var before = Render<WorkspacePage>();
        before.WaitForAssertion(() => Assert.Single(before.FindAll("[data-testid=workspace-application]")));
        Assert.Equal($"/grants/{offering.Id}", before.Find("[data-testid=workspace-application-open]").GetAttribute("href"));
        Assert.Empty(before.FindAll("[data-testid=workspace-application-hall]"));
        Assert.Empty(before.FindAll("[data-testid=workspace-live]"));

        // A minute into the bidding: the room, under the bidder's number.
        clock.At = offering.BiddingOpens.AddMinutes(1);
        var zh = Render<WorkspacePage>();
        zh.WaitForAssertion(() => Assert.Single(zh.FindAll("[data-testid=workspace-application]")));
        var row = zh.Find("[data-testid=workspace-application]");
        Assert.Equal($"/bidding/{offering.LotId}", row.QuerySelector("[data-testid=workspace-application-hall]")!.GetAttribute("href"));
        Assert.Equal("竞价室", row.QuerySelector("[data-testid=workspace-application-hall]")!.TextContent.Trim());
        Assert.Null(row.QuerySelector("[data-testid=workspace-application-open]"));
        Assert.Equal("竞价进行中", row.QuerySelector("[data-testid=workspace-live]")!.TextContent.Trim());
        Assert.EndsWith($" #{approved.BidderNumber}", row.QuerySelector("[data-testid=workspace-application-state]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("已缴纳", row.QuerySelector("[data-testid=workspace-application-deposit]")!.TextContent.Trim());

        Culture("en");
        var en = Render<WorkspacePage>();
        en.WaitForAssertion(() => Assert.Single(en.FindAll("[data-testid=workspace-application-hall]")));
        Assert.Equal("Bidding room", en.Find("[data-testid=workspace-application-hall]").TextContent.Trim());
        Assert.Equal("Bidding live", en.Find("[data-testid=workspace-application] [data-testid=workspace-live]").TextContent.Trim());
    }

    [Fact]
    public async Task Bidder_Section_ReadsBidSealed_ThenBidWithdrawn_AndItsTenderIsNotListedAgainAsOpen_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        AddServices(services);
        var directory = services.GetRequiredService<IUserDirectory>();
        var bidderAccount = (await directory.FindByUserNameAsync("bidder"))!;
        var entity = (await services.GetRequiredService<IEntityMembership>().EntitiesOfAsync(bidderAccount.AccountId)).First(e => e.IsVerified);
        var obtained = await OnSaleTenderAsync(services, 81);
        var notObtained = await OnSaleTenderAsync(services, 82);
        var bidderActor = new TenderActor("bidder", bidderAccount.AccountId, [PlatformRoles.Bidder], null);
        await services.GetRequiredService<TenderService>().RecordDownloadAsync(obtained.ProjectId, obtained.DocumentIds[0], entity.EntityId, bidderActor);
        Guid sectionId;
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            sectionId = (await db.Set<Section>().AsNoTracking().SingleAsync(s => s.ProjectId == obtained.ProjectId)).Id;
            db.Add(new SealedBidWindow(sectionId, obtained.ProjectId, obtained.BidDeadline, DateTimeOffset.UtcNow, "tenderee"));
            await db.SaveChangesAsync();
        }

        // Documents obtained: the section is the bidder's, its tender no longer one open to it; the other tender still is.
        await SignInAsync(services, "bidder");
        var obtainedPage = Render<WorkspacePage>();
        obtainedPage.WaitForAssertion(() => Assert.Single(obtainedPage.FindAll("[data-testid=workspace-section]")));
        var section = obtainedPage.Find("[data-testid=workspace-section]");
        Assert.Contains(obtained.ProjectName, section.TextContent, StringComparison.Ordinal);
        Assert.Equal("已获取招标文件", section.QuerySelector("[data-testid=workspace-section-state]")!.TextContent.Trim());
        Assert.Equal($"/bids/{sectionId}", section.QuerySelector("[data-testid=workspace-section-bid]")!.GetAttribute("href"));
        Assert.Equal($"/engineering/tenders/{obtained.ProjectId}", section.QuerySelector("[data-testid=workspace-section-tender]")!.GetAttribute("href"));
        var open = obtainedPage.Find("[data-testid=workspace-bidder]").TextContent;
        Assert.DoesNotContain(obtained.ProjectCode, open, StringComparison.Ordinal);
        Assert.Contains(notObtained.ProjectCode, open, StringComparison.Ordinal);

        // A bid sealed and received.
        var bids = services.GetRequiredService<SealedBidService>();
        var keys = Sm2.GenerateKeyPair();
        await bids.RegisterKeyAsync(entity.EntityId, keys.PublicKeyHex, "bidder");
        await bids.SubmitAsync(await SealedAsync(services, keys, obtained.ProjectId, sectionId, entity.EntityId), "bidder", null);
        var zh = Render<WorkspacePage>();
        zh.WaitForAssertion(() => Assert.Single(zh.FindAll("[data-testid=workspace-section]")));
        Assert.Equal("已密封投标", zh.Find("[data-testid=workspace-section-state]").TextContent.Trim());
        Culture("en");
        var en = Render<WorkspacePage>();
        en.WaitForAssertion(() => Assert.Single(en.FindAll("[data-testid=workspace-section]")));
        Assert.Equal("Bid sealed", en.Find("[data-testid=workspace-section-state]").TextContent.Trim());
        Assert.Equal("Tender documents", en.Find("[data-testid=workspace-section-tender]").TextContent.Trim());

        // The bid withdrawn before the deadline.
        await bids.WithdrawAsync(sectionId, entity.EntityId, "bidder");
        var withdrawnEn = Render<WorkspacePage>();
        withdrawnEn.WaitForAssertion(() => Assert.Single(withdrawnEn.FindAll("[data-testid=workspace-section]")));
        Assert.Equal("Bid withdrawn", withdrawnEn.Find("[data-testid=workspace-section-state]").TextContent.Trim());
        Culture("zh-CN");
        var withdrawn = Render<WorkspacePage>();
        withdrawn.WaitForAssertion(() => Assert.Single(withdrawn.FindAll("[data-testid=workspace-section]")));
        Assert.Equal("投标已撤回", withdrawn.Find("[data-testid=workspace-section-state]").TextContent.Trim());
        Assert.DoesNotContain(obtained.ProjectCode, withdrawn.Find("[data-testid=workspace-bidder]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bidder_InvitedSection_ReadsInvited_UntilItsEntityObtainsTheDocuments_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        AddServices(services);
        var bidderAccount = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("bidder"))!;
        var entity = (await services.GetRequiredService<IEntityMembership>().EntitiesOfAsync(bidderAccount.AccountId)).First(e => e.IsVerified);
        var tender = await OnSaleTenderAsync(services, 83);
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            var section = await db.Set<Section>().AsNoTracking().SingleAsync(s => s.ProjectId == tender.ProjectId);
            db.Add(new Participation(Guid.NewGuid(), section.Id, tender.ProjectId, entity.EntityId, entity.Name, ParticipationOrigin.Invited, DateTimeOffset.UtcNow, "tenderee"));
            await db.SaveChangesAsync();
        }

        await SignInAsync(services, "bidder");
        var zh = Render<WorkspacePage>();
        zh.WaitForAssertion(() => Assert.Single(zh.FindAll("[data-testid=workspace-section]")));
        Assert.Equal("已受邀，尚未获取招标文件", zh.Find("[data-testid=workspace-section-state]").TextContent.Trim());
        Culture("en");
        var en = Render<WorkspacePage>();
        en.WaitForAssertion(() => Assert.Single(en.FindAll("[data-testid=workspace-section]")));
        Assert.Equal("Invited; documents not obtained yet", en.Find("[data-testid=workspace-section-state]").TextContent.Trim());

        var bidder = new TenderActor("bidder", bidderAccount.AccountId, [PlatformRoles.Bidder], null);
        await services.GetRequiredService<TenderService>().RecordDownloadAsync(tender.ProjectId, tender.DocumentIds[0], entity.EntityId, bidder);
        var obtained = Render<WorkspacePage>();
        obtained.WaitForAssertion(() => Assert.Equal("Documents obtained", obtained.Find("[data-testid=workspace-section-state]").TextContent.Trim()));
    }

    /// <summary>A tender of the demo city on sale now (an hour ago for 30 days), bids due 40 days from the start.</summary>
    private static async Task<Tender> OnSaleTenderAsync(IServiceProvider services, int sequence)
    {
        var city = await services.GetRequiredService<AppDbContext>().TradingCentres.AsNoTracking().SingleAsync(c => c.Code == DemoDataSeeder.DemoCityCode);
        var now = DateTimeOffset.UtcNow;
        var owner = new PartyRef(Guid.NewGuid(), "演示市城市建设投资有限公司");
        var project = Project.Register(
            ProjectCode.Format(city.Code, TradeTypes.EngineeringConstruction, 2026, sequence), city.Id, TradeTypes.EngineeringConstruction,
            new ProjectDetails(TradeMethods.OpenTender, "演示市政道路改造工程（演示数据）" + sequence, owner, null, null, true, "530102", "市政"),
            [new SectionDraft("一标段", 5_000_000m)], "tenderee", now.AddHours(-3));
        var tender = Tender.Create(project.Id, project.Code, project.Name, city.Id, owner.EntityId, null, TenderKind.Open, now.AddHours(-3));
        var saleStarts = now.AddHours(-1);
        tender.Schedule(new TenderSchedule([Guid.NewGuid()], null, saleStarts, saleStarts.AddDays(30), saleStarts.AddDays(40)), TenderLimits.Statutory, Calendar, "tenderee", now.AddHours(-2));
        tender.OpenSale(saleStarts, TenderLimits.Statutory, Calendar);
        await using var db = services.GetRequiredService<ITradingDatabase>().Create();
        db.AddRange(project, tender);
        await db.SaveChangesAsync();
        return tender;
    }

    /// <summary>What the browser's module sends: a one-file bid sealed under a content key wrapped for the entity's key, signed.</summary>
    private static async Task<SealedBidSubmission> SealedAsync(IServiceProvider services, Sm2KeyPair keys, Guid projectId, Guid sectionId, Guid entityId)
    {
        var documents = services.GetRequiredService<DocumentService>();
        var actor = new DocumentActor("bidder", [PlatformRoles.Bidder], null);
        var contentKey = Sm4Cbc.NewKey();
        var plain = Encoding.UTF8.GetBytes("""{"price":"4800000.00","durationDays":365,"quality":"合格","remarks":""}""");
        var cipher = Sm4Cbc.Encrypt(contentKey, plain);
        var upload = await documents.StartChunkedAsync("投标函.json.sm4", cipher.Length, new DocumentScope(null, projectId, sectionId), actor, sealedCiphertext: true);
        var (_, stored) = await documents.AppendChunkAsync(upload.Id, 0, new MemoryStream(cipher), actor);
        var unsigned = new SealedBidSubmission(sectionId, entityId, 1, Sm2.Encrypt(keys.PublicKeyHex, contentKey), string.Empty,
            [new SealedBidSubmissionItem("投标函.json", SealedBidItemKind.BidLetter, stored!.Id, Sm3Hex.Of(plain), Sm3Hex.Of(cipher), plain.Length, cipher.Length)]);
        return unsigned with { SignatureHex = Sm2.Sign(keys.PrivateKeyHex, unsigned.Manifest().Canonical()) };
    }
}

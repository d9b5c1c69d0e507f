using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Market;

namespace Trading.Workflow.Web.Grants;

/// <summary>
/// Demo grants (labelled demo data): the demo city's natural-resources bureau (<c>grantor</c>, a verified demo
/// organisation) and two draft offerings of it — a land listing (挂牌) and a mining-right auction (拍卖) — with legal dates
/// counted from the day the demo data is made (notice 20 日, listing 10 WD). The grantor submits each with its reserve,
/// either on those dates or, in a demo centre outside Production, on the demo schedule (bidding opens 15 minutes after the
/// submission and lasts 20), so the whole path can be walked in one sitting whenever the app is started. The demo bidders
/// (<c>bidder</c>, <c>bidder2</c>, <c>bidder3</c> and the natural person <c>buyer</c>) apply and pay at /demo/bank.
/// </summary>
public sealed partial class GrantsDemoData(
    GrantService grants, MarketEntityService market, IBusinessCalendar calendar, TimeProvider time, ILogger<GrantsDemoData> logger) : IDemoDataStep
{
    public const string Suffix = "（演示数据）";
    public const string Bureau = "演示市自然资源和规划局" + Suffix;
    public const string LandTitle = "演示市 2026-01 号国有建设用地（环湖东路地块）" + Suffix;
    public const string MineralTitle = "演示县石灰岩矿采矿权" + Suffix;

    /// <summary>The bureau's credit code: a GB 32100-valid code with the demo "MA6DEM" sequence.</summary>
    public static string BureauCode { get; } = "11530100MA6DEM903" + UnifiedSocialCreditCode.CheckCharacter("11530100MA6DEM903");

    /// <summary>After the market's entities (100) and the projects (200).</summary>
    public int Order => 400;

    public async Task SeedAsync(DemoDataContext demo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(demo);
        var city = await demo.CentreAsync(DemoDataSeeder.DemoCityCode, cancellationToken);
        var staff = await demo.UserAsync("staff");
        var user = await demo.EnsureUserAsync("grantor", "演示出让人（自然资源局）", PlatformRoles.Tenderee, city.Id, cancellationToken);
        if (!await market.IsIdentifierRegisteredAsync(BureauCode, cancellationToken))
        {
            var profile = EntityProfile.Create(
                EntityKind.Organisation, Bureau, BureauCode, "孙局长", "演示市演示区政务中心 3 号楼" + Suffix, "530100",
                new BankAccount("演示银行演示市分行" + Suffix, Bureau, "6222000000009903"), [],
                [new Contact("演示出让人", "0871-00000903", "grantor@demo.invalid")], market.Today, MarketDemoData.DemoResidentId("530100", 907));
            var entity = await market.RegisterAsync(EntityKind.Organisation, profile, new MarketActor(user.Id), cancellationToken);
            await market.ApproveAsync(entity.Id, entity.Version, new MarketActor(staff.Id, staff.CentreId), cancellationToken);
        }

        var actor = new GrantActor(user.UserName!, user.Id, [PlatformRoles.Tenderee], city.Id);
        var owner = (await grants.GrantorEntitiesAsync(actor, cancellationToken)).FirstOrDefault();
        if (owner is null)
        {
            LogNoBureau(user.UserName!);
            return;
        }

        var (opens, applicationsClose, listingEnd) = ListingSchedule(time.GetUtcNow(), calendar);
        var land = await grants.CreateAsync(actor, TradeTypes.LandRights, new GrantOfferingInput(
            LandTitle, owner.EntityId, "530102", GrantMode.Listing,
            new GrantParcel("演示市演示区环湖东路以东、滨湖路以北" + Suffix, 35_000m, "城镇住宅用地", 70, "容积率 1.0–2.5，建筑密度 ≤30%，绿地率 ≥35%，建筑限高 60 米" + Suffix),
            50_000_000m, 500_000m, 10_000_000m, applicationsClose, opens, listingEnd), cancellationToken);
        var mineral = await grants.CreateAsync(actor, TradeTypes.MineralRights, new GrantOfferingInput(
            MineralTitle, owner.EntityId, "530125", GrantMode.Auction,
            new GrantParcel("演示县演示镇" + Suffix, 0.42m, "水泥用石灰岩开采", 10, "生产规模 30 万吨/年" + Suffix,
                Mineral: "石灰岩", Coordinates: "1: 2785000.00, 34560000.00; 2: 2785600.00, 34560000.00; 3: 2785600.00, 34560700.00; 4: 2785000.00, 34560700.00",
                RightKind: MineralRightKind.Mining, Reserves: "保有资源量 820 万吨" + Suffix),
            3_000_000m, 50_000m, 600_000m, AuctionApplicationsClose(opens, calendar), opens.AddHours(1), opens.AddHours(2)), cancellationToken);
        LogOfferings(land.ProjectCode, mineral.ProjectCode);
    }

    /// <summary>
    /// The demo listing's dates: it opens at 09:00 on the earliest lawful day (20 days of notice), lasts at least 10
    /// working days (to 10:00), and applications close at 17:00 on the working day before the listing ends (never on a
    /// weekend or holiday).
    /// </summary>
    public static (DateTimeOffset Opens, DateTimeOffset ApplicationsClose, DateTimeOffset ListingEnd) ListingSchedule(DateTimeOffset now, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var opens = ChinaStandardTime.StartOf(GrantSchedule.EarliestStart(now, 20, calendar)).AddHours(9);
        var listingEnd = opens;
        while (GrantSchedule.ListingWorkingDays(opens, listingEnd, calendar) < 10)
        {
            listingEnd = listingEnd.AddDays(1);
        }

        listingEnd = listingEnd.AddHours(1);
        return (opens, ChinaStandardTime.StartOf(WorkingDayBefore(ChinaStandardTime.DateOf(listingEnd), calendar)).AddHours(17), listingEnd);
    }

    /// <summary>The demo auction's applications close at 17:00 two working days before its day.</summary>
    public static DateTimeOffset AuctionApplicationsClose(DateTimeOffset opens, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return ChinaStandardTime.StartOf(WorkingDayBefore(WorkingDayBefore(ChinaStandardTime.DateOf(opens), calendar), calendar)).AddHours(17);
    }

    private static DateOnly WorkingDayBefore(DateOnly date, IBusinessCalendar calendar)
    {
        var day = date.AddDays(-1);
        while (!calendar.IsWorkingDay(day))
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No demo grants: the demo account {UserName} acts for no verified organisation")]
    private partial void LogNoBureau(string userName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo grant offerings {Land} (land listing) and {Mineral} (mining-right auction) drafted")]
    private partial void LogOfferings(string land, string mineral);
}

using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.LandRights;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.MineralRights;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Tests.Deposits;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// A real database with the engine, the kernel (bidding engine, deposits, printing...) and both grant slices; the shipped
/// <c>land-grant.bpmn</c> and <c>mineral-grant.bpmn</c> deployed; a demo city centre; a verified natural-resources bureau
/// (user <c>grantor</c>), three verified companies (<c>bidder1..3</c>) and a verified natural person (<c>buyer</c>); the
/// bank's signed callback and a bank adapter that pays; a clock the test moves.
/// </summary>
internal sealed class GrantHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8)); // Mon 2 Nov 2026

    public const string BankCode = "ICBC";
    public const string BankSecret = "a-bank-secret-of-at-least-32-characters!";

    private readonly Accounts _accounts;

    private GrantHost(TradingDatabaseHost database, GrantClock clock, DepositPersistenceTests.Bank_ bank, TradingCentre centre, Accounts accounts)
    {
        _accounts = accounts;
        Database = database;
        Clock = clock;
        Bank = bank;
        Centre = centre;
    }

    public TradingDatabaseHost Database { get; }

    public GrantClock Clock { get; }

    public DepositPersistenceTests.Bank_ Bank { get; }

    public TradingCentre Centre { get; }

    public IServiceProvider Services => Database.Services;

    public IWorkflowEngine Engine => Services.GetRequiredService<IWorkflowEngine>();

    public GrantService Grants => Services.GetRequiredService<GrantService>();

    public BiddingEngine Bidding => Services.GetRequiredService<BiddingEngine>();

    public MarketEntity Bureau { get; private set; } = null!;

    public IReadOnlyList<MarketEntity> Companies { get; private set; } = [];

    public MarketEntity Person { get; private set; } = null!;

    public GrantActor Grantor => new("grantor", "grantor", [PlatformRoles.Tenderee], Centre.Id);

    public GrantActor Staff => new("staff", "staff", [PlatformRoles.Staff], Centre.Id);

    public static GrantActor Bidder(string user) => new(user, user, [PlatformRoles.Bidder], null);

    /// <param name="personBasicAccount">Whether the natural person <c>buyer</c> registered a personal account (a person need not: it has no 基本账户).</param>
    public static async Task<GrantHost> StartAsync(DatabaseProvider provider, bool demoCentre = false, bool personBasicAccount = true, Action<IServiceCollection>? configure = null)
    {
        var clock = new GrantClock(Start);
        var bank = new DepositPersistenceTests.Bank_();
        var accounts = new Accounts();
        var database = await TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.AddWorkflowEngine();
            services.AddWorkingDayCalendar();
            services.AddSingleton<IUserDirectory>(accounts);
            services.AddSingleton<INotificationRecipientDirectory>(accounts);
            services.AddSingleton<IPlatformDirectory>(accounts);
            services.Replace(ServiceDescriptor.Singleton<IBankAdapter>(bank));
            services.Configure<DepositOptions>(o => o.Banks[BankCode] = new BankOptions { Name = "工商银行", Secret = BankSecret });
            services.AddLandRights();
            services.AddMineralRights();
            configure?.Invoke(services);
        }, clock);
        foreach (var (user, role) in new[] { ("grantor", PlatformRoles.Tenderee), ("staff", PlatformRoles.Staff), ("bidder1", PlatformRoles.Bidder), ("bidder2", PlatformRoles.Bidder), ("bidder3", PlatformRoles.Bidder), ("buyer", PlatformRoles.Bidder) })
        {
            accounts.Add(user, role);
        }

        var centre = TradingCentre.CreateProvince("G-PROV", "测试省中心", "Test province centre", isDemo: demoCentre);
        await using (var db = database.Database.Create())
        {
            // The centres table belongs to the web's schema, which this host does not run.
            await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.PostgreSql
                ? """CREATE TABLE "TradingCentres" ("Id" uuid PRIMARY KEY, "Code" varchar(32) NOT NULL, "NameZh" varchar(200) NOT NULL, "NameEn" varchar(200) NOT NULL, "Level" integer NOT NULL, "ParentId" uuid NULL, "IsDemo" boolean NOT NULL)"""
                : """CREATE TABLE "TradingCentres" ("Id" TEXT PRIMARY KEY, "Code" TEXT NOT NULL, "NameZh" TEXT NOT NULL, "NameEn" TEXT NOT NULL, "Level" INTEGER NOT NULL, "ParentId" TEXT NULL, "IsDemo" INTEGER NOT NULL)""");
            db.Add(centre);
            await db.SaveChangesAsync();
        }

        var host = new GrantHost(database, clock, bank, centre, accounts);
        host.Bureau = await host.VerifiedAsync(EntityKind.Organisation, "测试市自然资源和规划局", "grantor", 1);
        host.Companies = [
            await host.VerifiedAsync(EntityKind.Organisation, "测试置业有限公司", "bidder1", 2),
            await host.VerifiedAsync(EntityKind.Organisation, "测试房地产开发有限公司", "bidder2", 3),
            await host.VerifiedAsync(EntityKind.Organisation, "测试城建投资有限公司", "bidder3", 4)];
        host.Person = await host.VerifiedAsync(EntityKind.NaturalPerson, "王测试", "buyer", 5, personBasicAccount);
        await host.Engine.DeployAsync(BpmnParser.ParseFile(ShippedProcedure("land-rights", "land-grant.bpmn")));
        await host.Engine.DeployAsync(BpmnParser.ParseFile(ShippedProcedure("mineral-rights", "mineral-grant.bpmn")));
        return host;
    }

    public static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    /// <summary>A land listing: notice on 2 Nov, listing 23 Nov (20 日 rolled over a Sunday) to 4 Dec (10 WD), applications by 2 Dec 17:00.</summary>
    public GrantOfferingInput LandListing(DateTimeOffset? opens = null, DateTimeOffset? ends = null) => new(
        "测试市 2026-TD-01 号宗地", Bureau.Id, "530102", GrantMode.Listing,
        new GrantParcel("测试市测试区环湖路以东", 35_000m, "城镇住宅用地", 70, "容积率 ≤2.5，建筑密度 ≤30%，绿地率 ≥35%"),
        50_000_000m, 500_000m, 10_000_000m, At(12, 2, 17), opens ?? At(11, 23), ends ?? At(12, 4, 10));

    /// <summary>A mining-right auction: notice on 2 Nov, auction 23 Nov 10:00–11:00, applications by 20 Nov 17:00.</summary>
    public GrantOfferingInput MineralAuction() => new(
        "测试县石灰岩矿采矿权", Bureau.Id, "530125", GrantMode.Auction,
        new GrantParcel("测试县测试镇", 0.42m, "水泥用石灰岩开采", 10, "生产规模 30 万吨/年",
            Mineral: "石灰岩", Coordinates: "1: 2785000.00, 34560000.00; 2: 2785600.00, 34560000.00; 3: 2785600.00, 34560700.00", RightKind: MineralRightKind.Mining, Reserves: "保有资源量 820 万吨"),
        3_000_000m, 50_000m, 600_000m, At(11, 20, 17), At(11, 23, 10), At(11, 23, 11));

    /// <summary>
    /// Pays the deposit into the entity's sub-account through the bank's signed callback, from its registered account or
    /// from <paramref name="payer"/> (a natural person's own bank account).
    /// </summary>
    public async Task PayAsync(GrantOffering offering, MarketEntity entity, string account, decimal amount, BankAccount? payer = null)
    {
        var deposits = Services.GetRequiredService<DepositService>();
        var basic = payer ?? entity.Verified!.BasicAccount!;
        var body = BankCallbackBody.Deposit(new BankDeposit("TX-" + Guid.NewGuid().ToString("N")[..10], amount, basic.AccountName,
            string.Concat(basic.AccountNumber.Where(char.IsAsciiDigit)), basic.Bank, account, Clock.GetUtcNow()));
        var timestamp = Clock.GetUtcNow().ToUnixTimeSeconds();
        var signature = BankCallbackSignature.Sign(Encoding.UTF8.GetBytes(BankSecret), timestamp, body);
        var result = await deposits.HandleCallbackAsync(BankCode, timestamp.ToString(CultureInfo.InvariantCulture), signature, body, CancellationToken.None);
        Assert.Equal(CallbackOutcome.Recorded, result.Outcome);
    }

    /// <summary>Moves the clock, lets the bidding engine's durable timer close what is due, then fires the procedure's timers.</summary>
    public async Task AdvanceToAsync(DateTimeOffset instant)
    {
        Clock.Set(instant);
        await Services.GetRequiredService<BiddingTimer>().RunDueAsync();
        await Engine.FireDueTimersAsync(instant);
    }

    /// <summary>Moves the clock and lets only the bidding engine's timer run (the procedure's own timers wait).</summary>
    public async Task RunLotTimerAsync(DateTimeOffset instant)
    {
        Clock.Set(instant);
        await Services.GetRequiredService<BiddingTimer>().RunDueAsync();
    }

    public async Task<Guid> InstanceOfAsync(GrantOffering offering)
    {
        await using var db = Database.Database.Create();
        return (await db.Set<Trading.Workflow.Domain.Projects.Project>().AsNoTracking().SingleAsync(p => p.Id == offering.ProjectId)).ProcessInstanceId!.Value;
    }

    /// <summary>The grantor's offering submitted with <paramref name="reserve"/> and published by staff's review: the notice is out.</summary>
    public async Task<(GrantOffering Offering, Guid InstanceId)> PublishedAsync(string tradeType, GrantOfferingInput input, decimal? reserve)
    {
        var offering = await Grants.CreateAsync(Grantor, tradeType, input);
        offering = await Grants.SubmitAsync(Grantor, offering.Id, offering.Version, reserve);
        var instanceId = await InstanceOfAsync(offering);
        await CompleteAsync(instanceId, "reviewOffering", "staff");
        return (offering, instanceId);
    }

    public async Task<IReadOnlyList<string>> OpenTasksAsync(Guid instanceId) =>
        [.. (await Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Select(t => t.ElementId).Order()];

    public async Task CompleteAsync(Guid instanceId, string elementId, string user)
    {
        var task = (await Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Single(t => t.ElementId == elementId);
        await Engine.CompleteTaskAsync(task.Id, null, user);
    }

    public async Task<List<AuditEntry>> TrailAsync(string action)
    {
        await using var db = Database.Database.Create();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == action).ToListAsync();
    }

    private async Task<MarketEntity> VerifiedAsync(EntityKind kind, string name, string user, int serial, bool withAccount = true)
    {
        var market = Services.GetRequiredService<MarketEntityService>();
        string code;
        if (kind == EntityKind.Organisation)
        {
            var first17 = "9153010000000" + serial.ToString("D4", CultureInfo.InvariantCulture);
            code = first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
        }
        else
        {
            code = "530102198001010015";
        }

        var profile = EntityProfile.Create(kind, name, code, kind == EntityKind.Organisation ? "张三" : null, "测试市测试路1号", "530102",
            withAccount ? new BankAccount("测试银行", name, "6222 0000 2222 " + serial.ToString("D4", CultureInfo.InvariantCulture)) : null, [],
            [new Contact("李四", "13800000000", null)], DateOnly.FromDateTime(Start.Date),
            kind == EntityKind.Organisation ? "530102198001010007" : null);
        var entity = await market.RegisterAsync(kind, profile, new MarketActor(user));
        return await market.ApproveAsync(entity.Id, entity.Version, new MarketActor("staff", Centre.Id));
    }

    private static string ShippedProcedure(string folderName, string file)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "workflows", folderName, file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"workflows/{folderName}/{file} not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>The user reads its notifications in English (everyone else in Chinese).</summary>
    public void ReadsEnglish(string userName) => _accounts.English.Add(userName);

    public ValueTask DisposeAsync() => Database.DisposeAsync();

    private sealed class Accounts : IUserDirectory, INotificationRecipientDirectory, IPlatformDirectory
    {
        private readonly Dictionary<string, UserAccount> _accounts = new(StringComparer.Ordinal);

        public HashSet<string> English { get; } = new(StringComparer.Ordinal);

        public Task<IReadOnlyList<Guid>> ParentsOfAsync(Guid centreId, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<Guid>>([]);

        public Task<IReadOnlyList<Guid>> WithDescendantsAsync(Guid centreId, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<Guid>>([centreId]);

        public void Add(string userName, string role) =>
            _accounts[userName] = new UserAccount(userName, userName, "用户" + userName, null, "13900000000", [role], null, false);

        public Task<UserAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken = default) =>
            Task.FromResult(_accounts.GetValueOrDefault(userName));

        public Task<IReadOnlyList<UserAccount>> FindByAccountIdsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([.. _accounts.Values.Where(a => accountIds.Contains(a.AccountId))]);

        public Task<IReadOnlyList<UserAccount>> InRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([.. _accounts.Values.Where(a => a.Roles.Contains(role)).OrderBy(a => a.UserName, StringComparer.Ordinal)]);

        public ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new NotificationRecipient(userId, English.Contains(userId) ? "en" : "zh-CN", null, "13900000000", userId));

        public async ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken) =>
            [.. (await InRoleAsync(role, centreId, cancellationToken)).Select(a => a.UserName)];
    }
}

/// <summary>The clock the grant tests move by hand.</summary>
public sealed class GrantClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now.ToUniversalTime();

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset now) => _now = now.ToUniversalTime();
}

using System.Security.Claims;
using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Components.Pages.Deposits;
using Trading.Workflow.Web.Deposits;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Deposits;

/// <summary>
/// The deposit views on a real SQLite database: what a bidder sees of its own deposits, what staff of the section's
/// centre see and may do, what staff of another centre and supervisors see.
/// </summary>
public sealed class DepositViewsTests : PlatformComponentTest
{
    private const string Secret = "view-test-secret-of-at-least-32-characters";
    private static readonly Guid Centre = Guid.NewGuid();
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-deposit-views-").FullName;
    private readonly ServiceProvider _database;
    private readonly TestEntities _entities = new();
    private readonly TestDirectory _directory = new();
    private readonly DepositService _deposits;
    private readonly PayingBank _bank = new();
    private readonly HoldingGuard _guard = new();

    public DepositViewsTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = DatabaseProvider.Sqlite;
            o.ConnectionString = $"Data Source={Path.Combine(_folder, "trading.db")};Pooling=False";
        });
        services.AddTradingKernel();
        services.Replace(ServiceDescriptor.Singleton<IBasicAccountLookup>(_entities));
        // The real access rules (IProjectAuthorization) over a directory that knows the signed-in accounts and puts
        // every section's project in the test centre.
        services.AddSingleton<IPlatformDirectory>(_directory);
        services.AddSingleton<IUserDirectory>(_directory);
        services.Replace(ServiceDescriptor.Singleton<IProjectDirectory>(_directory));
        services.Configure<DepositOptions>(o =>
        {
            o.Banks["icbc"] = new BankOptions { Secret = Secret };
            o.ForfeitureAccount = "9555000000000001";
            o.ForfeitureAccountName = "演示市财政局非税收入专户";
            o.ForfeitureBank = "中国银行";
        });
        services.Replace(ServiceDescriptor.Singleton<IBankAdapter>(_bank));
        services.AddSingleton<IDepositRefundGuard>(_guard);
        _database = services.BuildServiceProvider();
        _database.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync().GetAwaiter().GetResult();
        _database.GetRequiredService<TradingSchema>().UpgradeAsync().GetAwaiter().GetResult();
        _deposits = _database.GetRequiredService<DepositService>();

        Services.AddSingleton(_deposits);
        Services.AddSingleton(_database.GetRequiredService<DepositQueries>());
        Services.AddSingleton(_database.GetRequiredService<DepositSettlements>());
        Services.AddSingleton(_database.GetRequiredService<DepositForfeitures>());
        Services.AddSingleton<IBasicAccountLookup>(_entities);
        Services.AddSingleton(_database.GetRequiredService<IProjectAuthorization>());
        Services.AddSingleton<IPlatformDirectory>(_directory);
        Services.AddScoped<DepositAccess>();
        Services.AddSingleton(Options.Create(new MockBankOptions { Enabled = true, BankCode = "icbc" }));
        Services.AddSingleton(new MockBankHttp(new CallbackHandler(_deposits)));
        Services.AddSingleton(_database.GetRequiredService<IOptions<DepositOptions>>());
        Services.AddSingleton<IHostEnvironment>(new TestEnvironment());
        Services.AddSingleton<MockBank>();
        Services.AddSingleton(_database.GetRequiredService<ITradingDatabase>());
    }

    /// <summary>A bank that pays every instruction at once.</summary>
    private sealed class PayingBank : IBankAdapter
    {
        public string Name => "test";

        /// <summary>Only accept instructions (as the file adapter's bank does): the mock bank page then lists them.</summary>
        public bool AcceptOnly { get; set; }

        public Task<BankInstructionReply> SendAsync(BankInstructionMessage instruction, CancellationToken cancellationToken) =>
            Task.FromResult(AcceptOnly
                ? new BankInstructionReply(BankInstructionStatus.Accepted)
                : new BankInstructionReply(BankInstructionStatus.Paid, "T-" + instruction.Id.ToString("N")[..8]));

        public Task<BankInstructionReply> QueryAsync(Guid instructionId, CancellationToken cancellationToken) =>
            Task.FromResult(new BankInstructionReply(BankInstructionStatus.Paid, "T-" + instructionId.ToString("N")[..8]));
    }

    /// <summary>The platform's callback endpoint in place of the app: the page's signed callback reaches the real service.</summary>
    private sealed class CallbackHandler(DepositService deposits) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            var result = await deposits.HandleCallbackAsync("icbc", request.Headers.GetValues(DepositEndpoints.TimestampHeader).Single(),
                request.Headers.GetValues(DepositEndpoints.SignatureHeader).Single(), body, cancellationToken);
            return result.Succeeded
                ? new HttpResponseMessage(System.Net.HttpStatusCode.OK)
                {
                    Content = System.Net.Http.Json.JsonContent.Create(new CallbackAnswer(result.Outcome.ToString(), result.PaymentId, result.Match?.ToString(), result.Flagged,
                        result.Outcome == CallbackOutcome.Duplicate), options: new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)),
                }
                : new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized)
                {
                    Content = new StringContent("{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"签名无效\"}", System.Text.Encoding.UTF8, "application/problem+json"),
                };
        }
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "Trading.Workflow.Web";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }

    private async Task<(DepositSection Section, Guid Bidder, Guid Other, DepositAccount Account)> PaidAndFlaggedAsync()
    {
        var section = await _deposits.ConfigureSectionAsync(DepositTestData.Terms(Centre), "staff", CancellationToken.None);
        var bidder = _entities.Add("甲建设集团有限公司", "6222000011112222", memberUserId: "user-bidder");
        var other = _entities.Add("乙工程有限公司", "6222000033334444");
        var account = await _deposits.OpenAccountAsync(section.SectionId, bidder, "甲建设集团有限公司", "bidder", CancellationToken.None);
        var otherAccount = await _deposits.OpenAccountAsync(section.SectionId, other, "乙工程有限公司", "other", CancellationToken.None);
        await ReceiveAsync("T-1", account.Number, "6222000011112222");
        await ReceiveAsync("T-2", otherAccount.Number, "6217000099998888");
        return (section, bidder, other, account);
    }

    /// <summary>
    /// Holds the deposits of the entities in <see cref="Held"/> as a sale still open would, and counts how it is asked:
    /// the page must ask once per section (<see cref="IDepositRefundGuard.HoldsAsync"/>), not once per bidder.
    /// </summary>
    private sealed class HoldingGuard : IDepositRefundGuard
    {
        public HashSet<Guid> Held { get; } = [];

        public int SingleCalls { get; set; }

        public List<int> BatchSizes { get; } = [];

        public Task<DepositRefundHold?> HoldAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken)
        {
            SingleCalls++;
            return Task.FromResult(Held.Contains(entityId) ? Hold() : null);
        }

        public Task<IReadOnlyDictionary<Guid, DepositRefundHold>> HoldsAsync(Guid sectionId, IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken)
        {
            BatchSizes.Add(entityIds.Count);
            return Task.FromResult<IReadOnlyDictionary<Guid, DepositRefundHold>>(entityIds.Where(Held.Contains).ToDictionary(e => e, _ => Hold()));
        }

        private static DepositRefundHold Hold() => new(DepositRules.RefundDuringSale, "测试市 2026-TD-01 号宗地", "in a sale");
    }

    private async Task ReceiveAsync(string transaction, string reference, string payer, DateTimeOffset? receivedAt = null)
    {
        var body = BankCallbackBody.Deposit(new BankDeposit(transaction, 20_000m, "付款人", payer, "银行", reference, receivedAt ?? DateTimeOffset.UtcNow));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var result = await _deposits.HandleCallbackAsync("icbc", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            BankCallbackSignature.Sign(System.Text.Encoding.UTF8.GetBytes(Secret), timestamp, body), body, CancellationToken.None);
        Assert.Equal(CallbackOutcome.Recorded, result.Outcome);
    }

    private sealed class TestDirectory : IPlatformDirectory, IProjectDirectory, IUserDirectory
    {
        public Dictionary<string, UserAccount> Accounts { get; } = new(StringComparer.Ordinal);

        public Task<UserAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken = default) =>
            Task.FromResult(Accounts.GetValueOrDefault(userName));

        public Task<IReadOnlyList<UserAccount>> FindByAccountIdsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([.. Accounts.Values.Where(a => accountIds.Contains(a.AccountId))]);

        public Task<IReadOnlyList<UserAccount>> InRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>([.. Accounts.Values.Where(a => a.Roles.Contains(role))]);

        public Task<IReadOnlyList<Guid>> ParentsOfAsync(Guid centreId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Guid>>([]);

        public Task<IReadOnlyList<Guid>> WithDescendantsAsync(Guid centreId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Guid>>([centreId]);

        public Task<ProjectRef?> FindByCodeAsync(string code, CancellationToken cancellationToken = default) => Task.FromResult<ProjectRef?>(null);

        public Task<ProjectRef?> FindByIdAsync(Guid projectId, CancellationToken cancellationToken = default) =>
            Task.FromResult<ProjectRef?>(new ProjectRef(projectId, "GC-TEST-" + projectId.ToString("N")[..8], Centre, Guid.NewGuid(), null));

        public Task<IReadOnlyList<string>> CodesAsync(ProjectSelection selection, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>([]);
    }

    private void SignInAs(string userName, string role, Guid? centre = null, string? userId = null)
    {
        _directory.Accounts[userName] = new UserAccount(userName, userId ?? userName, null, null, null, [role], centre, false);
        var authorization = SignIn(userName, role);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, userId ?? userName) };
        if (centre is { } id)
        {
            claims.Add(new Claim(CentreClaimsPrincipalFactory.ClaimType, id.ToString()));
        }

        authorization.SetClaims([.. claims]);
    }

    [Fact]
    public async Task Bidder_SeesItsOwnSubAccountAndThePaidState_NotOtherBidders()
    {
        var (_, _, _, account) = await PaidAndFlaggedAsync();
        SignInAs("bidder", PlatformRoles.Bidder, userId: "user-bidder");
        RenderProviders();

        var page = Render<MyDeposits>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=sub-account]")));
        Assert.Equal(string.Join(' ', account.Number.Chunk(4).Select(c => new string(c))), page.Find("[data-testid=sub-account]").TextContent);
        Assert.Equal("Paid", page.Find("[data-testid=deposit-state]").GetAttribute("data-state"));
        Assert.Contains("已缴纳", page.Find("[data-testid=deposit-state]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("乙工程有限公司", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=deposit-flagged]"));
    }

    [Fact]
    public async Task Bidder_OnAPhone_GetsCardsWithoutTheSingleCompanyOrAnEmptyActionsLine()
    {
        await PaidAndFlaggedAsync();
        SignInAs("bidder", PlatformRoles.Bidder, userId: "user-bidder");
        RenderProviders();

        var page = Render<MyDeposits>();

        // Below 600 px (xs) MudTable stacks each row into labelled lines; cells marked hide-small are left out there.
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=sub-account]")));
        Assert.Contains("mud-xs-table", page.Find("[data-testid=my-deposits]").ClassList);
        Assert.Contains("mud-table-cell-hide", page.Find("[data-testid=deposit-entity]").ClassList);
        Assert.Contains("mud-table-cell-hide", page.Find("[data-testid=deposit-actions]").ClassList);
        Assert.DoesNotContain("mud-table-cell-hide", page.Find("[data-testid=held]").ClassList);
        Assert.DoesNotContain("min-width: 24rem", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Bidder_WithoutAVerifiedEntity_IsToldWhy()
    {
        SignInAs("lonely", PlatformRoles.Bidder, userId: "user-lonely");

        var page = Render<MyDeposits>();

        page.WaitForAssertion(() => Assert.Contains("尚未关联已审核的市场主体", page.Find("[data-testid=no-entity]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StaffOfTheCentre_SeeTheSectionsWithEachAmountKeptOnOneLine()
    {
        await _deposits.ConfigureSectionAsync(DepositTestData.Terms(Centre, amount: 10_000_000m), "staff", CancellationToken.None);
        SignInAs("staff", PlatformRoles.Staff, Centre);
        RenderProviders();

        var page = Render<DepositSections>();

        // The land grant's 10,000,000.00 broke into "10,000,000" and ".00" in the amount column.
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=section-amount]")));
        var amount = page.Find("[data-testid=section-amount]");
        Assert.Equal("10,000,000.00", amount.TextContent.Trim());
        Assert.Contains("tw-nowrap", amount.ClassList);
    }

    [Fact]
    public async Task StaffOfTheCentre_SeeEveryBidderWithTheFlaggedPaymentAndMayRefund()
    {
        var (section, _, _, _) = await PaidAndFlaggedAsync();
        SignInAs("staff", PlatformRoles.Staff, Centre);
        RenderProviders();

        var page = Render<SectionDepositsPage>(p => p.Add(x => x.SectionId, section.SectionId));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=participant-name]").Count));
        Assert.Single(page.FindAll("[data-testid=participants] [data-testid=deposit-flagged]"));
        Assert.Equal(2, page.FindAll("[data-testid=refund]").Count);
        Assert.Contains("台账平衡", page.Find("[data-testid=ledger-balance]").TextContent, StringComparison.Ordinal);
        // The ledger's spreadsheet, a plain download link to the endpoint that checks access again.
        Assert.Equal(DepositLedgerExport.Path(section.SectionId), page.Find("[data-testid=ledger-export]").GetAttribute("href"));
    }

    [Fact]
    public async Task StaffOfTheCentre_WhileTheBidderIsInALiveSale_RefundAndRefundAllAreDisabledWithTheReason()
    {
        var (section, bidder, _, _) = await PaidAndFlaggedAsync();
        _guard.Held.Add(bidder);
        SignInAs("staff", PlatformRoles.Staff, Centre);
        RenderProviders();

        var page = Render<SectionDepositsPage>(p => p.Add(x => x.SectionId, section.SectionId));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=refund]").Count));
        var rows = page.FindAll("[data-testid=participants] tbody tr");
        var held = rows.Single(r => r.TextContent.Contains("甲建设集团有限公司", StringComparison.Ordinal));
        var free = rows.Single(r => r.TextContent.Contains("乙工程有限公司", StringComparison.Ordinal));
        Assert.True(held.QuerySelector("[data-testid=refund]")!.HasAttribute("disabled"));
        Assert.Contains("“测试市 2026-TD-01 号宗地”的竞价尚未结束", held.QuerySelector("[data-testid=refund-held]")!.TextContent, StringComparison.Ordinal);
        Assert.False(free.QuerySelector("[data-testid=refund]")!.HasAttribute("disabled"));
        Assert.Null(free.QuerySelector("[data-testid=refund-held]"));
        Assert.True(page.Find("[data-testid=refund-all]").HasAttribute("disabled"));
        Assert.Contains("甲建设集团有限公司", page.Find("[data-testid=refund-all-held]").TextContent, StringComparison.Ordinal);
        // Asked once for both bidders, never one by one (O(1) queries per guard, whatever the number of bidders).
        Assert.Equal(0, _guard.SingleCalls);
        Assert.NotEmpty(_guard.BatchSizes);
        Assert.All(_guard.BatchSizes, n => Assert.Equal(2, n));

        // The sale closed: nothing holds it any more.
        _guard.Held.Clear();
        var again = Render<SectionDepositsPage>(p => p.Add(x => x.SectionId, section.SectionId));
        again.WaitForAssertion(() => Assert.Equal(2, again.FindAll("[data-testid=refund]").Count));
        Assert.All(again.FindAll("[data-testid=refund]"), b => Assert.False(b.HasAttribute("disabled")));
        Assert.Empty(again.FindAll("[data-testid=refund-held]"));
        Assert.False(again.Find("[data-testid=refund-all]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task StaffOfTheCentre_Refund_AsksFirstNamingTheBidderAndTheAmount_CancelRefundsNothing()
    {
        var (section, bidder, _, _) = await PaidAndFlaggedAsync();
        SignInAs("staff", PlatformRoles.Staff, Centre);
        var dialogs = RenderProviders();
        var page = Render<SectionDepositsPage>(p => p.Add(x => x.SectionId, section.SectionId));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=refund]").Count));
        var row = page.FindAll("[data-testid=participants] tbody tr").Single(r => r.TextContent.Contains("甲建设集团有限公司", StringComparison.Ordinal));

        row.QuerySelector("[data-testid=refund]")!.Click();
        dialogs.WaitForAssertion(() => Assert.Contains("向 甲建设集团有限公司 退还保证金 20,000.00 元", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "取消").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("退还保证金 20,000.00 元", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty((await _database.GetRequiredService<DepositQueries>().SectionDepositsAsync(section.SectionId, CancellationToken.None))!.Instructions);

        row = page.FindAll("[data-testid=participants] tbody tr").Single(r => r.TextContent.Contains("甲建设集团有限公司", StringComparison.Ordinal));
        row.QuerySelector("[data-testid=refund]")!.Click();
        dialogs.WaitForAssertion(() => Assert.Contains("向 甲建设集团有限公司 退还保证金 20,000.00 元", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "退还").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=instructions] [data-testid=instruction-state]")));
        var instruction = Assert.Single((await _database.GetRequiredService<DepositQueries>().SectionDepositsAsync(section.SectionId, CancellationToken.None))!.Instructions);
        Assert.Equal(bidder, instruction.EntityId);
    }

    [Fact]
    public async Task StaffOfTheCentre_RefundAll_AsksFirstNamingEveryBidderAndTheTotal()
    {
        var (section, _, _, _) = await PaidAndFlaggedAsync();
        SignInAs("staff", PlatformRoles.Staff, Centre);
        var dialogs = RenderProviders();
        var page = Render<SectionDepositsPage>(p => p.Add(x => x.SectionId, section.SectionId));
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=refund-all]").HasAttribute("disabled")));

        page.Find("[data-testid=refund-all]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("向 2 家退还保证金共 40,000.00 元", dialogs.Markup, StringComparison.Ordinal));
        Assert.Contains("甲建设集团有限公司 20,000.00 元", dialogs.Markup, StringComparison.Ordinal);
        Assert.Contains("乙工程有限公司 20,000.00 元", dialogs.Markup, StringComparison.Ordinal);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "取消").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("向 2 家退还保证金共 40,000.00 元", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty((await _database.GetRequiredService<DepositQueries>().SectionDepositsAsync(section.SectionId, CancellationToken.None))!.Instructions);
    }

    [Fact]
    public async Task StaffOfTheCentre_SeeArrivalTimesInBeijingTime()
    {
        var section = await _deposits.ConfigureSectionAsync(DepositTestData.Terms(Centre), "staff", CancellationToken.None);
        var bidder = _entities.Add("甲建设集团有限公司", "6222000011112222");
        var account = await _deposits.OpenAccountAsync(section.SectionId, bidder, "甲建设集团有限公司", "bidder", CancellationToken.None);
        await ReceiveAsync("T-BJ", account.Number, "6222000011112222", new DateTimeOffset(2026, 12, 3, 1, 30, 0, TimeSpan.Zero));
        SignInAs("staff", PlatformRoles.Staff, Centre);
        RenderProviders();

        var page = Render<SectionDepositsPage>(p => p.Add(x => x.SectionId, section.SectionId));

        page.WaitForAssertion(() => Assert.Equal("2026-12-03 09:30", page.Find("[data-testid=payment-received-at]").TextContent.Trim()));
    }

    [Fact]
    public async Task NaturalPerson_IsToldToPayFromAnAccountInItsOwnName_NotABasicAccount()
    {
        var section = await _deposits.ConfigureSectionAsync(DepositTestData.Terms(Centre), "staff", CancellationToken.None);
        var person = _entities.Add("王演示", "6228480000000001", memberUserId: "user-buyer", naturalPerson: true);
        await _deposits.OpenAccountAsync(section.SectionId, person, "王演示", "buyer", CancellationToken.None);
        SignInAs("buyer", PlatformRoles.Bidder, userId: "user-buyer");
        RenderProviders();

        var page = Render<MyDeposits>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=sub-account]")));
        Assert.Contains("本人名下的银行账户", page.Find("[data-testid=deposit-intro]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("基本账户转账", page.Find("[data-testid=deposit-intro]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("本单位", page.Find("[data-testid=deposit-intro]").TextContent, StringComparison.Ordinal);
        Assert.Contains("他人账户", page.Find("[data-testid=deposit-pay-hint]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bidder_NeverPaidIntoAProjectThatEnded_ReadsNothingToPay_NotAwaitingPayment_AndIsNotOfferedIt()
    {
        // A real project, submitted, whose section the bidder opened a sub-account for and never paid into; then it is terminated.
        var project = Project.Register("DEMO-CITY-TD-2026-00009", Centre, TradeTypes.LandRights,
            new ProjectDetails(TradeMethods.Listing, "演示地块（演示数据）", new PartyRef(Guid.NewGuid(), "演示市自然资源和规划局"),
                null, null, true, "530102", "土地"),
            [new SectionDraft("地块", 50_000_000m, 10_000_000m, DepositForms.Transfer)], "grantor", DateTimeOffset.UtcNow);
        project.Submit("land-rights.listing", Guid.NewGuid(), DateTimeOffset.UtcNow);
        await using (var db = _database.GetRequiredService<ITradingDatabase>().Create())
        {
            db.Add(project);
            await db.SaveChangesAsync();
        }

        var section = await _deposits.ConfigureSectionAsync(DepositTestData.Terms(Centre) with
        {
            SectionId = project.Sections[0].Id, ProjectId = project.Id, ProjectCode = project.Code, ProjectName = project.Name,
        }, "staff", CancellationToken.None);
        var bidder = _entities.Add("甲置业有限公司", "6222000000000001", memberUserId: "user-bidder");
        await _deposits.OpenAccountAsync(section.SectionId, bidder, "甲置业有限公司", "bidder", CancellationToken.None);
        SignInAs("bidder", PlatformRoles.Bidder, userId: "user-bidder");
        RenderProviders();
        var running = Render<MyDeposits>();
        running.WaitForAssertion(() => Assert.Single(running.FindAll("[data-testid=deposit-state]")));
        Assert.Empty(running.FindAll("[data-testid=deposit-project-ended]"));

        await using (var db = _database.GetRequiredService<ITradingDatabase>().Create())
        {
            var stored = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Set<Project>(), p => p.Id == project.Id);
            stored.Terminate(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        var ended = Render<MyDeposits>();
        ended.WaitForAssertion(() => Assert.Equal("项目已结束，无需缴纳", ended.Find("[data-testid=deposit-project-ended]").TextContent.Trim()));
        Assert.Empty(ended.FindAll("[data-testid=deposit-state]"));
        Culture("en");
        var english = Render<MyDeposits>();
        english.WaitForAssertion(() => Assert.Equal("Project ended; nothing to pay", english.Find("[data-testid=deposit-project-ended]").TextContent.Trim()));
    }

    [Fact]
    public async Task Company_IsToldToPayFromItsBasicAccount()
    {
        await PaidAndFlaggedAsync();
        SignInAs("bidder", PlatformRoles.Bidder, userId: "user-bidder");
        RenderProviders();

        var page = Render<MyDeposits>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=sub-account]")));
        Assert.Contains("本单位基本账户", page.Find("[data-testid=deposit-intro]").TextContent, StringComparison.Ordinal);
        Assert.Contains("非基本账户", page.Find("[data-testid=deposit-pay-hint]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffOfAnotherCentre_AreNotShownTheSection()
    {
        var (section, _, _, _) = await PaidAndFlaggedAsync();
        SignInAs("staff2", PlatformRoles.Staff, Guid.NewGuid());

        var page = Render<SectionDepositsPage>(p => p.Add(x => x.SectionId, section.SectionId));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=not-visible]")));
        Assert.DoesNotContain("甲建设集团有限公司", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SupervisorOfTheRegion_SeesTheSectionReadOnly()
    {
        var (section, _, _, _) = await PaidAndFlaggedAsync();
        SignInAs("supervisor.city", PlatformRoles.Supervisor, Centre);

        var page = Render<SectionDepositsPage>(p => p.Add(x => x.SectionId, section.SectionId));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=participant-name]").Count));
        Assert.Empty(page.FindAll("[data-testid=refund]"));
    }

    [Fact]
    public async Task SupervisorOfAnotherRegion_IsNotShownTheSection()
    {
        var (section, _, _, _) = await PaidAndFlaggedAsync();
        SignInAs("supervisor.elsewhere", PlatformRoles.Supervisor, Guid.NewGuid());
        var other = Render<SectionDepositsPage>(p => p.Add(x => x.SectionId, section.SectionId));
        other.WaitForAssertion(() => Assert.NotNull(other.Find("[data-testid=not-visible]")));
        Assert.DoesNotContain("甲建设集团有限公司", other.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvinceSupervisor_SeesTheSectionReadOnly()
    {
        var (section, _, _, _) = await PaidAndFlaggedAsync();
        SignInAs("supervisor", PlatformRoles.Supervisor);

        var page = Render<SectionDepositsPage>(p => p.Add(x => x.SectionId, section.SectionId));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=participant-name]").Count));
        Assert.Empty(page.FindAll("[data-testid=refund]"));
        Assert.Empty(page.FindAll("[data-testid=refund-all]"));
    }

    [Fact]
    public async Task Supervisor_FlaggedList_ShowsOnlyThePaymentFromAnotherAccount()
    {
        await PaidAndFlaggedAsync();
        SignInAs("supervisor", PlatformRoles.Supervisor);
        RenderProviders();

        var page = Render<FlaggedPayments>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=payment-flagged]")));
        Assert.Contains("T-2", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("T-1", page.Markup, StringComparison.Ordinal);
        Assert.Contains("乙工程有限公司", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void StateChip_InEnglish_NamesTheState()
    {
        Culture("en");

        var chip = Render<DepositStateChip>(p => p.Add(x => x.State, DepositState.Refunding).Add(x => x.Flagged, true));

        Assert.Contains("Refund in progress", chip.Markup, StringComparison.Ordinal);
        Assert.Contains("Not from the basic (or own) account", chip.Markup, StringComparison.Ordinal);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _database.Dispose();
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // the OS cleans the temp folder
            }
        }
    }

    [Fact]
    public async Task Bidder_SeesItsRefundWithItsInterestAndTheInterestRule()
    {
        var (section, bidder, _, _) = await PaidAndFlaggedAsync();
        await _deposits.RefundAsync(section.SectionId, bidder, "staff", CancellationToken.None);
        SignInAs("bidder", PlatformRoles.Bidder, userId: "user-bidder");
        RenderProviders();

        var page = Render<MyDeposits>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=refunds] tbody tr")));
        Assert.Equal("0.00", page.Find("[data-testid=refund-interest]").TextContent.Trim());
        Assert.Contains("算头不算尾", page.Find("[data-testid=interest-rule]").TextContent, StringComparison.Ordinal);
        // A line of its own: with the no-interest rule beside it the two sentences ran together.
        Assert.Contains("d-block", page.Find("[data-testid=interest-rule]").ClassList);
        Assert.Empty(page.FindAll("[data-testid=no-interest-rule]"));
        Assert.Contains("已付款", page.Find("[data-testid=refunds]").TextContent, StringComparison.Ordinal);
        // The payment's time and reference on a line of their own, not run into the state ("已付款2026-12-08 05:06").
        Assert.NotNull(page.Find("[data-testid=refund-state]").QuerySelector("br + [data-testid=refund-paid]"));
    }

    [Fact]
    public async Task Bidder_LandRefund_SaysNoInterest_WithoutTheInterestRule()
    {
        var section = await _deposits.ConfigureSectionAsync(DepositTestData.Terms(Centre) with { TradeType = TradeTypes.LandRights }, "staff", CancellationToken.None);
        var bidder = _entities.Add("甲置业有限公司", "6222000055556666", memberUserId: "user-bidder");
        var account = await _deposits.OpenAccountAsync(section.SectionId, bidder, "甲置业有限公司", "bidder", CancellationToken.None);
        await ReceiveAsync("T-L1", account.Number, "6222000055556666");
        await _deposits.RefundAsync(section.SectionId, bidder, "staff", CancellationToken.None);
        SignInAs("bidder", PlatformRoles.Bidder, userId: "user-bidder");
        RenderProviders();

        var page = Render<MyDeposits>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=refunds] tbody tr")));
        Assert.Equal("不计息", page.Find("[data-testid=refund-interest]").TextContent.Trim());
        Assert.Contains("只退本金", page.Find("[data-testid=no-interest-rule]").TextContent, StringComparison.Ordinal);
        Assert.Contains("d-block", page.Find("[data-testid=no-interest-rule]").ClassList);
        Assert.Empty(page.FindAll("[data-testid=interest-rule]"));
    }

    [Fact]
    public async Task Bidder_SeesTheRefundOwedByLaw_WithItsDueTimeAndLateFlag()
    {
        var (section, bidder, _, _) = await PaidAndFlaggedAsync();
        await using (var db = _database.GetRequiredService<ITradingDatabase>().Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await _deposits.ScheduleRefundAsync(db, section.SectionId, bidder, ContractRefunds.Reason, null, DateTimeOffset.UtcNow.AddDays(-1), "system:procedure", CancellationToken.None);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        SignInAs("bidder", PlatformRoles.Bidder, userId: "user-bidder");
        RenderProviders();
        var mine = Render<MyDeposits>();
        mine.WaitForAssertion(() => Assert.Single(mine.FindAll("[data-testid=owed-refunds] tbody tr")));
        Assert.Contains("合同已签订", mine.Find("[data-testid=owed-refunds]").TextContent, StringComparison.Ordinal);
        Assert.Contains("逾期", mine.Find("[data-testid=owed-state]").TextContent, StringComparison.Ordinal);
        // Squeezed, the state broke inside its word ("Refunde" / "d").
        Assert.Contains("tw-nowrap", mine.Find("[data-testid=owed-state]").ClassList);
    }

    [Fact]
    public async Task LateRefunds_StaffOfTheCentreSeeTheLateRefund()
    {
        await LateRefundAsync();
        SignInAs("staff", PlatformRoles.Staff, Centre);
        RenderProviders();

        var page = Render<LateRefunds>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=late-refunds] tbody tr")));
        Assert.Contains("甲建设集团有限公司", page.Find("[data-testid=late-refunds]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LateRefunds_StaffOfAnotherCentreAreNotShownIt()
    {
        await LateRefundAsync();
        SignInAs("staff2", PlatformRoles.Staff, Guid.NewGuid());
        RenderProviders();

        var page = Render<LateRefunds>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=late-none]")));
    }

    private async Task LateRefundAsync()
    {
        var (section, bidder, _, _) = await PaidAndFlaggedAsync();
        await using var db = _database.GetRequiredService<ITradingDatabase>().Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        await _deposits.ScheduleRefundAsync(db, section.SectionId, bidder, ContractRefunds.Reason, null, DateTimeOffset.UtcNow.AddDays(-1), "system:procedure", CancellationToken.None);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    [Fact]
    public void MockBank_IsForBiddersAndStaffOnly()
    {
        var roles = typeof(MockBankPage).GetCustomAttributes(typeof(Microsoft.AspNetCore.Authorization.AuthorizeAttribute), false)
            .Cast<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>().Single().Roles;
        Assert.Equal([PlatformRoles.Bidder, PlatformRoles.Staff], roles!.Split(',').Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MockBank_Bidder_SeesOnlyItsOwnRefunds()
    {
        await TwoAcceptedRefundsAsync();
        SignInAs("bidder", PlatformRoles.Bidder, userId: "user-bidder");
        RenderProviders();

        var page = Render<MockBankPage>();

        page.WaitForAssertion(() => Assert.Equal("True", page.Find("[data-testid=mock-instructions]").GetAttribute("data-loaded")));
        Assert.Single(page.FindAll("[data-testid=mock-pay]"));
        Assert.Contains("甲建设集团有限公司", page.Find("[data-testid=mock-instructions]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("乙工程有限公司", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("6222000033334444", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MockBank_StaffOfTheCentre_SeeEveryAcceptedInstructionOfItsSections()
    {
        await TwoAcceptedRefundsAsync();
        SignInAs("staff", PlatformRoles.Staff, Centre);
        RenderProviders();

        var page = Render<MockBankPage>();

        page.WaitForAssertion(() => Assert.Equal("True", page.Find("[data-testid=mock-instructions]").GetAttribute("data-loaded")));
        Assert.Equal(2, page.FindAll("[data-testid=mock-pay]").Count);
    }

    [Fact]
    public async Task MockBank_StaffOfAnotherCentre_SeeNone()
    {
        await TwoAcceptedRefundsAsync();
        SignInAs("staff2", PlatformRoles.Staff, Guid.NewGuid());
        RenderProviders();

        var page = Render<MockBankPage>();

        page.WaitForAssertion(() => Assert.Equal("True", page.Find("[data-testid=mock-instructions]").GetAttribute("data-loaded")));
        Assert.Empty(page.FindAll("[data-testid=mock-pay]"));
        Assert.DoesNotContain("甲建设集团有限公司", page.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN", "操作", "已确认付款（退还）", "所属项目及标段", "平台应答状态：HTTP 200 OK")]
    [InlineData("en", "Actions", "Payment confirmed (Refund)", "Project and section", "The platform's reply: HTTP 200 OK")]
    public async Task MockBank_Staff_ConfirmsARefundPaid_ToldWhatWasPaidToWhomForWhichSection_NotTheRawReply(
        string culture, string actions, string paid, string ofSection, string status)
    {
        Culture(culture);
        await TwoAcceptedRefundsAsync();
        SignInAs("staff", PlatformRoles.Staff, Centre);
        RenderProviders();
        var page = Render<MockBankPage>();
        page.WaitForAssertion(() => Assert.Equal("True", page.Find("[data-testid=mock-instructions]").GetAttribute("data-loaded")));

        // Every column is headed, and each refund names its project and section.
        var headers = page.FindAll("[data-testid=mock-instructions] th").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(actions, headers[^1]);
        Assert.DoesNotContain(string.Empty, headers);
        var section = page.FindAll("[data-testid=mock-instruction-section]");
        Assert.Equal(2, section.Count);
        Assert.All(section, s => Assert.Contains("DEMO-CITY-GC-2026-00001 城市道路改造工程 · DEMO-CITY-GC-2026-00001-01", s.TextContent, StringComparison.Ordinal));

        var row = page.FindAll("[data-testid=mock-instructions] tbody tr").First(r => r.TextContent.Contains("甲建设集团有限公司", StringComparison.Ordinal));
        row.QuerySelector("[data-testid=mock-pay]")!.Click();

        page.WaitForAssertion(() => Assert.Contains(paid, page.Find("[data-testid=mock-result-headline]").TextContent, StringComparison.Ordinal));
        var result = page.Find("[data-testid=mock-result]");
        var headline = page.Find("[data-testid=mock-result-headline]").TextContent;
        Assert.Contains("甲建设集团有限公司", headline, StringComparison.Ordinal);
        Assert.Contains("6222000011112222", headline, StringComparison.Ordinal);
        Assert.Contains("20,0", headline, StringComparison.Ordinal);
        Assert.Contains(ofSection, result.TextContent, StringComparison.Ordinal);
        Assert.Equal(status, page.Find("[data-testid=mock-result-status]").TextContent.Trim());
        // The raw reply (its ids) only inside the folded view.
        var raw = page.Find("[data-testid=mock-result-raw]");
        Assert.Equal("details", raw.TagName, StringComparer.OrdinalIgnoreCase);
        Assert.False(raw.HasAttribute("open"));
        Assert.DoesNotContain("{", result.TextContent.Replace(raw.TextContent, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=mock-pay]")));
    }

    [Theory]
    [InlineData("zh-CN", "平台已入账：1,234.50 元", "匹配结果：已匹配", "已标记")]
    [InlineData("en", "The platform recorded the deposit: 1,234.50 yuan", "Match: Matched", "flagged")]
    public async Task MockBank_SendsADeposit_ToldItWasRecordedHowItMatchedAndThatItWasFlagged(string culture, string recorded, string matched, string flagged)
    {
        Culture(culture);
        var section = await _deposits.ConfigureSectionAsync(DepositTestData.Terms(Centre), "staff", CancellationToken.None);
        var bidder = _entities.Add("甲建设集团有限公司", "6222000011112222", memberUserId: "user-bidder");
        var account = await _deposits.OpenAccountAsync(section.SectionId, bidder, "甲建设集团有限公司", "bidder", CancellationToken.None);
        SignInAs("staff", PlatformRoles.Staff, Centre);
        RenderProviders();
        var page = Render<MockBankPage>();

        page.Find("[data-testid=mock-reference] input, input[data-testid=mock-reference]").Input(account.Number);
        page.Find("[data-testid=mock-amount] input, input[data-testid=mock-amount]").Input("1234.5");
        page.Find("[data-testid=mock-payer-name] input, input[data-testid=mock-payer-name]").Input("甲建设集团有限公司");
        page.Find("[data-testid=mock-payer-account] input, input[data-testid=mock-payer-account]").Input("6217000099998888");
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=mock-send]").HasAttribute("disabled")));
        page.Find("[data-testid=mock-send]").Click();

        page.WaitForAssertion(() => Assert.Contains(recorded, page.Find("[data-testid=mock-result-headline]").TextContent, StringComparison.Ordinal));
        var result = page.Find("[data-testid=mock-result]").TextContent;
        Assert.Contains(matched, result, StringComparison.Ordinal);
        Assert.Contains(flagged, result, StringComparison.Ordinal);
        Assert.Contains("6217000099998888", result, StringComparison.Ordinal);
        Assert.Contains("HTTP 200", page.Find("[data-testid=mock-result-status]").TextContent, StringComparison.Ordinal);
    }

    private async Task TwoAcceptedRefundsAsync()
    {
        var (section, bidder, other, _) = await PaidAndFlaggedAsync();
        _bank.AcceptOnly = true;
        Assert.Equal(InstructionState.Accepted, (await _deposits.RefundAsync(section.SectionId, bidder, "staff", CancellationToken.None)).State);
        Assert.Equal(InstructionState.Accepted, (await _deposits.RefundAsync(section.SectionId, other, "staff", CancellationToken.None)).State);
    }

    [Theory]
    [InlineData(Trading.Workflow.Domain.SealedBids.SealedBidService.WithdrawalRefundReason)]
    [InlineData(ContractRefunds.Reason)]
    [InlineData(Trading.Workflow.Domain.Grants.GrantRecordOutcomeHandler.NotWonRefundReason)]
    [InlineData(Trading.Workflow.Domain.Grants.GrantRecordOutcomeHandler.NoSaleRefundReason)]
    public void EveryRefundReason_IsNamedInBothLanguages_NotShownAsItsCode(string reason)
    {
        var text = Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<DepositsResource>>();
        foreach (var culture in new[] { "zh-CN", "en" })
        {
            var previous = System.Globalization.CultureInfo.CurrentUICulture;
            System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(culture);
            try
            {
                var named = text[$"Settle.Reason.{reason}"];
                Assert.False(named.ResourceNotFound, $"{reason} has no {culture} text");
                Assert.DoesNotContain(reason, named.Value, StringComparison.Ordinal);
            }
            finally
            {
                System.Globalization.CultureInfo.CurrentUICulture = previous;
            }
        }
    }
}

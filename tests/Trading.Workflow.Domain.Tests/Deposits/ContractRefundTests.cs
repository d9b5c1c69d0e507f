using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Deposits;

/// <summary>
/// After the contract (条例 57): every deposit refunded with interest by the refund timer within 5 日, late refunds
/// alerted, and forfeiture only on a ground the platform can check, with a reason; on SQLite and PostgreSQL.
/// </summary>
public sealed class ContractRefundTests
{
    private const string Bank = "icbc";
    private const string Secret = "a-bank-secret-of-at-least-32-characters!";
    private const string BasicAccount = "6222000011112222";

    // 10:00 on 2 November 2026 in China.
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 2, 0, 0, TimeSpan.Zero);

    private sealed class Candidates : IEvaluationResults
    {
        public EvaluationReport? Report { get; set; }

        public Task<EvaluationReport?> GetConfirmedReportAsync(Guid projectId, CancellationToken cancellationToken = default) =>
            Task.FromResult(Report?.ProjectId == projectId ? Report : null);

        public Task<EvaluationReport?> GetConfirmedReportAsync(Trading.Workflow.Domain.Persistence.TradingDbContext db, Guid projectId, CancellationToken cancellationToken = default) =>
            GetConfirmedReportAsync(projectId, cancellationToken);
    }

    private sealed record Fixture(TradingDatabaseHost Host, DepositPersistenceTests.Entities Entities, DepositPersistenceTests.Bank_ Bank, DepositClock Clock, Candidates Results)
        : IAsyncDisposable
    {
        public DepositService Service => Host.Services.GetRequiredService<DepositService>();

        public ContractRefunds Refunds => Host.Services.GetRequiredService<ContractRefunds>();

        public DepositForfeitures Forfeitures => Host.Services.GetRequiredService<DepositForfeitures>();

        public DepositSettlements Settlements => Host.Services.GetRequiredService<DepositSettlements>();

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }

    private static async Task<Fixture> StartAsync(DatabaseProvider provider)
    {
        var entities = new DepositPersistenceTests.Entities();
        var bank = new DepositPersistenceTests.Bank_();
        var clock = new DepositClock(Start);
        var results = new Candidates();
        var host = await TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.AddSingleton<IBasicAccountLookup>(entities);
            services.Replace(ServiceDescriptor.Singleton<IBankAdapter>(bank));
            services.AddSingleton<IEvaluationResults>(results);
            services.Configure<DepositOptions>(o =>
            {
                o.Banks[Bank] = new BankOptions { Name = "工商银行", Secret = Secret };
                o.ForfeitureAccount = "9555 0000 0000 0001";
                o.ForfeitureAccountName = "演示市财政局非税收入专户";
                o.ForfeitureBank = "中国银行";
            });
        }, clock);
        return new Fixture(host, entities, bank, clock, results);
    }

    /// <summary>A section asking 20,000 with the given bidders, each paying it now (when <paramref name="paid"/>).</summary>
    private static async Task<(SectionTerms Terms, Guid[] Bidders)> SectionAsync(Fixture f, int bidders, bool paid = true, bool basicAccounts = true)
    {
        var terms = DepositTermsTests.Terms();
        await f.Service.ConfigureSectionAsync(terms, "staff", CancellationToken.None);
        var ids = new Guid[bidders];
        for (var i = 0; i < bidders; i++)
        {
            var bidder = ids[i] = Guid.NewGuid();
            var name = $"演示建设集团第{i + 1}有限公司（演示数据）";
            if (basicAccounts)
            {
                f.Entities.Accounts[bidder] = new BasicAccount(bidder, name, "中国工商银行", name, BasicAccount);
            }

            var account = await f.Service.OpenAccountAsync(terms.SectionId, bidder, name, "bidder", CancellationToken.None);
            if (paid)
            {
                var body = BankCallbackBody.Deposit(new BankDeposit("ICBC-" + bidder.ToString("N")[..8], 20_000m, name, BasicAccount, "中国工商银行", account.Number, f.Clock.GetUtcNow()));
                var timestamp = f.Clock.GetUtcNow().ToUnixTimeSeconds();
                var signature = BankCallbackSignature.Sign(Encoding.UTF8.GetBytes(Secret), timestamp, body);
                await f.Service.HandleCallbackAsync(Bank, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), signature, body, CancellationToken.None);
            }
        }

        return (terms, ids);
    }

    private static async Task<IReadOnlyList<ScheduledRefund>> ContractSignedAsync(Fixture f, Guid projectId)
    {
        await using var db = f.Host.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        var scheduled = await f.Refunds.ScheduleAsync(db, projectId, f.Clock.GetUtcNow(), Guid.NewGuid(), "system:procedure", CancellationToken.None);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return scheduled;
    }

    private static async Task<List<AuditEntry>> TrailAsync(Fixture f)
    {
        await using var db = f.Host.Database.Create();
        var entries = await db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        Assert.True(AuditChain.Verify(entries).IsIntact);
        return entries;
    }

    [Fact]
    public void DueAfter_EndsAt24hChinaTimeOfTheFifthDayAfterSigning()
    {
        var refunds = new ContractRefunds(null!, new ServiceCollection().BuildServiceProvider());

        // Signed 15:00 on 2 December (CST): day 1 is the 3rd, day 5 the 7th; due 24:00 on the 7th = 16:00 UTC that day.
        var due = refunds.DueAfter(new DateTimeOffset(2026, 12, 2, 7, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 12, 7, 16, 0, 0, TimeSpan.Zero), due);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ARefundTheBankTookButHasNotPaid_IsDoneInLaw_ButNotShownAsRefunded_UntilTheBankPays(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (terms, bidders) = await SectionAsync(f, 1);
        f.Bank.AcceptOnly = true;
        await ContractSignedAsync(f, terms.ProjectId);
        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);

        var owed = Assert.Single((await f.Settlements.OfEntitiesAsync([bidders[0]])).Owed);
        Assert.Equal((ScheduledRefundState.Done, InstructionState.Accepted, true), (owed.State, owed.Instruction, owed.AwaitingPayment));

        var instruction = Assert.Single((await f.Settlements.OfEntitiesAsync([bidders[0]])).Refunds).InstructionId;
        var body = BankCallbackBody.InstructionOutcome(instruction, paid: true, "T-PAID");
        var timestamp = f.Clock.GetUtcNow().ToUnixTimeSeconds();
        await f.Service.HandleCallbackAsync(Bank, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            BankCallbackSignature.Sign(Encoding.UTF8.GetBytes(Secret), timestamp, body), body, CancellationToken.None);

        owed = Assert.Single((await f.Settlements.OfEntitiesAsync([bidders[0]])).Owed);
        Assert.Equal((ScheduledRefundState.Done, InstructionState.Paid, false), (owed.State, owed.Instruction, owed.AwaitingPayment));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ContractSigned_TimerRefundsEveryDepositWithInterest_OnceAndWithinFiveDays(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (terms, bidders) = await SectionAsync(f, 2);
        f.Clock.Advance(TimeSpan.FromDays(30));

        var scheduled = await ContractSignedAsync(f, terms.ProjectId);
        var again = await ContractSignedAsync(f, terms.ProjectId);
        var beforeTimer = f.Bank.Transfers.Count;
        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);

        Assert.Equal(2, scheduled.Count);
        Assert.Empty(again);
        Assert.Equal(0, beforeTimer);
        Assert.Equal(2, f.Bank.Transfers.Count);
        Assert.All(f.Bank.Transfers.Values, count => Assert.Equal(1, count));
        var mine = await f.Settlements.OfEntitiesAsync([bidders[0]]);
        var refund = Assert.Single(mine.Refunds);
        Assert.Equal(20_000m, refund.Principal);
        Assert.Equal(5.83m, refund.Interest); // 20,000 × 0.35% × 30 / 360
        Assert.Equal(InstructionState.Paid, refund.State);
        var owed = Assert.Single(mine.Owed);
        Assert.Equal(ContractRefunds.Reason, owed.Reason);
        Assert.Equal(ScheduledRefundState.Done, owed.State);
        Assert.False(owed.Overdue);
        Assert.True(owed.SettledAt <= owed.DueAt);
        Assert.Empty(await f.Settlements.LateAsync(null, includeSettled: true));
        var actions = (await TrailAsync(f)).Select(e => e.Action).ToList();
        Assert.Equal(2, actions.Count(a => a == "deposits.refund.scheduled"));
        Assert.Equal(2, actions.Count(a => a == "deposits.refund.paid"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ContractSigned_RefundStillOpenAtItsDueTime_IsReportedLateOnceAndListed(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (terms, bidders) = await SectionAsync(f, 1, basicAccounts: false);
        var scheduled = Assert.Single(await ContractSignedAsync(f, terms.ProjectId));

        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);
        var beforeDue = await f.Settlements.LateAsync(null, includeSettled: false);
        f.Clock.Advance(scheduled.DueAt - f.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);

        Assert.Empty(beforeDue);
        var late = Assert.Single(await f.Settlements.LateAsync([terms.CentreId], includeSettled: false));
        Assert.Equal(bidders[0], late.EntityId);
        Assert.True(late.Overdue);
        Assert.Contains(DepositRules.NoBasicAccount, late.LastError, StringComparison.Ordinal);
        Assert.Empty(await f.Settlements.LateAsync([Guid.NewGuid()], includeSettled: false));
        var overdue = Assert.Single(await TrailAsync(f), e => e.Action == "deposits.refund.overdue");
        Assert.Contains("条例 57", overdue.Data, StringComparison.Ordinal);
        Assert.Contains(terms.SectionCode, overdue.Data, StringComparison.Ordinal);

        // The bidder's basic account is fixed: the next tick pays it; it stays on record as settled late.
        f.Entities.Accounts[bidders[0]] = new BasicAccount(bidders[0], "演示建设集团第1有限公司（演示数据）", "中国工商银行", "演示建设集团第1有限公司", BasicAccount);
        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);
        Assert.Empty(await f.Settlements.LateAsync(null, includeSettled: false));
        Assert.True(Assert.Single(await f.Settlements.LateAsync(null, includeSettled: true)).Overdue);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Forfeit_WinnerRefusingToSign_IsRecordedWithGroundAndReason_AndNotRefundedAfterTheContract(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (terms, bidders) = await SectionAsync(f, 2);
        f.Results.Report = new EvaluationReport(Guid.NewGuid(), terms.ProjectId, Start, "评标委员会主任", "推荐中标候选人",
            [new SectionEvaluationResult(terms.SectionId, terms.SectionCode, "comprehensive",
                [new RankedCandidate(1, bidders[0], "演示建设集团第1有限公司（演示数据）", 4_800_000m, 92.5m)], [])]);

        var forfeited = await f.Forfeitures.ForfeitAsync(
            new ForfeitureRequest(terms.SectionId, bidders[0], ForfeitureGround.WinnerRefusedToSign, "中标人收到中标通知书后 30 日内无正当理由拒不签订合同。"), "staff");
        var scheduled = await ContractSignedAsync(f, terms.ProjectId);
        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);

        Assert.Equal(InstructionKind.Forfeiture, forfeited.Kind);
        var line = Assert.Single((await f.Settlements.OfEntitiesAsync([bidders[0]])).Forfeitures);
        Assert.Equal(ForfeitureGround.WinnerRefusedToSign, line.Ground);
        Assert.Equal("中标人收到中标通知书后 30 日内无正当理由拒不签订合同。", line.Reason);
        Assert.Equal(20_000m, line.Amount);
        Assert.Equal("staff", line.By);
        // Only the other bidder is refunded after the contract.
        Assert.Equal(bidders[1], Assert.Single(scheduled).EntityId);
        Assert.Empty((await f.Settlements.OfEntitiesAsync([bidders[0]])).Refunds);
        Assert.Single((await f.Settlements.OfEntitiesAsync([bidders[1]])).Refunds);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Forfeit_OnAGroundThePlatformCannotConfirm_OrWithoutAReason_IsRefused(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (terms, bidders) = await SectionAsync(f, 1);
        const string Reason = "投标人在投标有效期内撤销投标文件，书面通知已存档。";

        var noReason = await Assert.ThrowsAsync<DomainRuleException>(() =>
            f.Forfeitures.ForfeitAsync(new ForfeitureRequest(terms.SectionId, bidders[0], ForfeitureGround.WinnerRefusedToSign, "拒签"), "staff"));
        var notCandidate = await Assert.ThrowsAsync<DomainRuleException>(() =>
            f.Forfeitures.ForfeitAsync(new ForfeitureRequest(terms.SectionId, bidders[0], ForfeitureGround.WinnerRefusedToSign, Reason), "staff"));
        var noOpening = await Assert.ThrowsAsync<DomainRuleException>(() =>
            f.Forfeitures.ForfeitAsync(new ForfeitureRequest(terms.SectionId, bidders[0], ForfeitureGround.BidderDecryptionFailure, Reason), "staff"));
        var beforeDeadline = await Assert.ThrowsAsync<DomainRuleException>(() =>
            f.Forfeitures.ForfeitAsync(new ForfeitureRequest(terms.SectionId, bidders[0], ForfeitureGround.WithdrawnAfterDeadline, Reason), "staff"));

        Assert.Equal(DepositRules.ForfeitureReasonRequired, noReason.RuleCode);
        Assert.Equal(DepositRules.ForfeitureGroundNotMet, notCandidate.RuleCode);
        Assert.Equal(DepositRules.ForfeitureGroundNotMet, noOpening.RuleCode);
        Assert.Equal(DepositRules.ForfeitureGroundNotMet, beforeDeadline.RuleCode);
        Assert.Empty((await f.Settlements.OfEntitiesAsync([bidders[0]])).Forfeitures);
    }
}

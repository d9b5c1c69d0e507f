using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Deposits;

/// <summary>The deposits on a real SQLite file and a real PostgreSQL database: callbacks, matching, refunds, the trail.</summary>
public sealed class DepositPersistenceTests
{
    private const string Bank = "icbc";
    private const string Secret = "a-bank-secret-of-at-least-32-characters!";
    private const string BasicAccount = "6222 0000 1111 2222";
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Basic accounts as the market module would answer them.</summary>
    internal sealed class Entities : IBasicAccountLookup
    {
        public readonly Dictionary<Guid, BasicAccount> Accounts = [];

        public Task<BasicAccount?> FindAsync(Guid entityId, CancellationToken cancellationToken) => Task.FromResult(Accounts.GetValueOrDefault(entityId));

        public Task<IReadOnlyList<DepositorEntity>> EntitiesOfUserAsync(string userId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DepositorEntity>>([.. Accounts.Values.Select(a => new DepositorEntity(a.EntityId, a.EntityName))]);
    }

    /// <summary>A bank that pays each instruction id once and can lose its next answer (the platform sees a time-out).</summary>
    internal sealed class Bank_ : IBankAdapter
    {
        public readonly Dictionary<Guid, int> Transfers = [];
        public bool LoseNextAnswer;

        /// <summary>The bank takes instructions without paying them yet (the payment comes by its callback).</summary>
        public bool AcceptOnly;

        public string Name => "test";

        public Task<BankInstructionReply> SendAsync(BankInstructionMessage instruction, CancellationToken cancellationToken)
        {
            lock (Transfers)
            {
                Transfers[instruction.Id] = Transfers.GetValueOrDefault(instruction.Id) + 1;
            }

            if (LoseNextAnswer)
            {
                LoseNextAnswer = false;
                throw new TimeoutException("The bank did not answer in 20 s.");
            }

            return Task.FromResult(AcceptOnly
                ? new BankInstructionReply(BankInstructionStatus.Accepted)
                : new BankInstructionReply(BankInstructionStatus.Paid, "T-" + instruction.Id.ToString("N")[..8]));
        }

        public Task<BankInstructionReply> QueryAsync(Guid instructionId, CancellationToken cancellationToken) =>
            Task.FromResult(Transfers.ContainsKey(instructionId)
                ? new BankInstructionReply(AcceptOnly ? BankInstructionStatus.Accepted : BankInstructionStatus.Paid, "T-" + instructionId.ToString("N")[..8])
                : new BankInstructionReply(BankInstructionStatus.Unknown));
    }

    private sealed class Fixture(TradingDatabaseHost host, Entities entities, Bank_ bank, DepositClock clock) : IAsyncDisposable
    {
        public TradingDatabaseHost Host => host;

        public Entities Entities => entities;

        public Bank_ Bank => bank;

        public DepositClock Clock => clock;

        public DepositService Service => host.Services.GetRequiredService<DepositService>();

        public DepositQueries Queries => host.Services.GetRequiredService<DepositQueries>();

        public ValueTask DisposeAsync() => host.DisposeAsync();
    }

    private static async Task<Fixture> StartAsync(DatabaseProvider provider)
    {
        var entities = new Entities();
        var bank = new Bank_();
        var clock = new DepositClock(Start);
        var host = await TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.AddSingleton<IBasicAccountLookup>(entities);
            services.Replace(ServiceDescriptor.Singleton<IBankAdapter>(bank));
            services.Configure<DepositOptions>(o =>
            {
                o.Banks[Bank] = new BankOptions { Name = "工商银行", Secret = Secret };
                o.ForfeitureAccount = "9555 0000 0000 0001";
                o.ForfeitureAccountName = "演示市财政局非税收入专户";
                o.ForfeitureBank = "中国银行";
            });
        }, clock);
        return new Fixture(host, entities, bank, clock);
    }

    private static async Task<(DepositSection Section, Guid Bidder, DepositAccount Account)> SectionWithBidderAsync(Fixture f, decimal amount = 20_000m)
    {
        var section = await f.Service.ConfigureSectionAsync(DepositTermsTests.Terms(amount), "staff", CancellationToken.None);
        var bidder = Guid.NewGuid();
        f.Entities.Accounts[bidder] = new BasicAccount(bidder, "演示建设集团有限公司（演示数据）", "中国工商银行", "演示建设集团有限公司", "6222000011112222");
        var account = await f.Service.OpenAccountAsync(section.SectionId, bidder, "演示建设集团有限公司（演示数据）", "bidder", CancellationToken.None);
        return (section, bidder, account);
    }

    private static (byte[] Body, string Timestamp, string Signature) Signed(BankDeposit deposit, DateTimeOffset at)
    {
        var body = BankCallbackBody.Deposit(deposit);
        var timestamp = at.ToUnixTimeSeconds();
        return (body, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), BankCallbackSignature.Sign(Encoding.UTF8.GetBytes(Secret), timestamp, body));
    }

    private static Task<CallbackResult> CallbackAsync(Fixture f, BankDeposit deposit, DateTimeOffset? signedAt = null)
    {
        var (body, timestamp, signature) = Signed(deposit, signedAt ?? f.Clock.GetUtcNow());
        return f.Service.HandleCallbackAsync(Bank, timestamp, signature, body, CancellationToken.None);
    }

    private static BankDeposit Deposit(string id, decimal amount, string reference, string payer = BasicAccount) =>
        new(id, amount, "演示建设集团有限公司", payer, "中国工商银行", reference, Start);

    private static async Task<List<AuditEntry>> TrailAsync(Fixture f)
    {
        await using var db = f.Host.Database.Create();
        return await db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
    }

    /// <summary>
    /// PostgreSQL only (SQLite has one writer at a time): a step that records on the trail and then decides on a
    /// section's deposits, beside one that locks the section first and then records (a refund asking its guards),
    /// must both commit. They took the two locks in opposite orders, and the server aborted one as a deadlock.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task TrailFirstAndSectionFirst_SideBySide_BothCommit_NoDeadlock(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (section, _, _) = await SectionWithBidderAsync(f);
        var trail = f.Host.Services.GetRequiredService<IAuditTrail>();
        AuditRecord Record(string action) => new("staff", null, "deposit-section", section.SectionId.ToString(), action);

        await using var first = f.Host.Database.Create();
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        await trail.AppendAsync(first, Record("test.trail-first"));
        await first.SaveChangesAsync();

        var second = Task.Run(async () =>
        {
            await using var db = f.Host.Database.Create();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await DepositSectionLock.TakeAsync(db, section.SectionId, CancellationToken.None);
            await trail.AppendAsync(db, Record("test.section-first"));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        });

        // The second is waiting on a lock the first holds before the first asks for the section.
        await using (var probe = f.Host.Database.Create())
        {
            var waiting = 0;
            for (var i = 0; i < 500 && waiting == 0 && !second.IsCompleted; i++)
            {
                waiting = await probe.Database.SqlQueryRaw<int>(
                    "SELECT COUNT(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync();
                await Task.Delay(10);
            }

            Assert.Equal(1, waiting);
        }

        await DepositSectionLock.TakeAsync(first, section.SectionId, CancellationToken.None);
        await firstTransaction.CommitAsync();
        await second;

        var actions = (await TrailAsync(f)).Select(e => e.Action).ToList();
        Assert.Equal(["test.trail-first", "test.section-first"], actions[^2..]);
        Assert.True(AuditChain.Verify(await TrailAsync(f)).IsIntact);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Callback_IntoTheSubAccount_PaysTheDepositOnceAndWritesTheTrail(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (section, bidder, account) = await SectionWithBidderAsync(f);

        var first = await CallbackAsync(f, Deposit("ICBC-0001", 20_000m, account.Number));
        f.Clock.Advance(TimeSpan.FromSeconds(30));
        var again = await CallbackAsync(f, Deposit("ICBC-0001", 20_000m, account.Number));

        Assert.Equal(CallbackOutcome.Recorded, first.Outcome);
        Assert.Equal(PaymentMatch.Matched, first.Match);
        Assert.False(first.Flagged);
        Assert.Equal(CallbackOutcome.Duplicate, again.Outcome);
        Assert.Equal(first.PaymentId, again.PaymentId);
        var view = await f.Queries.SectionDepositsAsync(section.SectionId, CancellationToken.None);
        var participant = Assert.Single(view!.Participants);
        Assert.Equal(DepositState.Paid, participant.State);
        Assert.Equal(20_000m, participant.Held);
        Assert.Equal(20_000m, view.Totals.Received);
        Assert.True(view.Totals.Balanced);
        var trail = await TrailAsync(f);
        Assert.Equal(["deposits.section.configured", "deposits.account.opened", "deposits.payment.received"], trail.Select(e => e.Action));
        Assert.Contains(bidder.ToString(), trail[^1].Data, StringComparison.Ordinal);
        Assert.True(AuditChain.Verify(trail).IsIntact);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Callback_Replayed_Stale_OrBadlySigned_IsRefusedAndChangesNothing(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (section, _, account) = await SectionWithBidderAsync(f);
        var (body, timestamp, signature) = Signed(Deposit("ICBC-0002", 20_000m, account.Number), f.Clock.GetUtcNow());

        var accepted = await f.Service.HandleCallbackAsync(Bank, timestamp, signature, body, CancellationToken.None);
        var replayed = await f.Service.HandleCallbackAsync(Bank, timestamp, signature, body, CancellationToken.None);
        var stale = await CallbackAsync(f, Deposit("ICBC-0003", 20_000m, account.Number), f.Clock.GetUtcNow().AddMinutes(-6));
        var forged = await f.Service.HandleCallbackAsync(Bank, timestamp, signature,
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("20000", "2000000", StringComparison.Ordinal)), CancellationToken.None);
        var unknownBank = await f.Service.HandleCallbackAsync("nobank", timestamp, signature, body, CancellationToken.None);
        var unsigned = await f.Service.HandleCallbackAsync(Bank, null, null, body, CancellationToken.None);

        Assert.Equal(CallbackOutcome.Recorded, accepted.Outcome);
        Assert.Equal(CallbackOutcome.Replayed, replayed.Outcome);
        Assert.Equal(CallbackOutcome.Stale, stale.Outcome);
        Assert.Equal(CallbackOutcome.BadSignature, forged.Outcome);
        Assert.Equal(CallbackOutcome.UnknownBank, unknownBank.Outcome);
        Assert.Equal(CallbackOutcome.BadSignature, unsigned.Outcome);
        var view = await f.Queries.SectionDepositsAsync(section.SectionId, CancellationToken.None);
        Assert.Equal(20_000m, view!.Totals.Received);
        Assert.Single(view.Payments);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Callback_SameTransactionWithAnotherAmount_IsRefused(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (_, _, account) = await SectionWithBidderAsync(f);
        await CallbackAsync(f, Deposit("ICBC-0004", 20_000m, account.Number));

        var error = await Assert.ThrowsAsync<DomainRuleException>(() => CallbackAsync(f, Deposit("ICBC-0004", 25_000m, account.Number)));

        Assert.Equal(DepositRules.TransactionReused, error.RuleCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Callback_FromAnotherAccount_IsPaidButFlaggedForSupervisors(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (section, _, account) = await SectionWithBidderAsync(f);

        var result = await CallbackAsync(f, Deposit("ICBC-0005", 20_000m, account.Number, payer: "6217 9999 0000 1111"));

        Assert.True(result.Flagged);
        var flagged = await f.Queries.PaymentsAsync(flaggedOnly: true, [section.CentreId], 0, 20, CancellationToken.None);
        Assert.Equal("ICBC-0005", Assert.Single(flagged.Items).BankTransactionId);
        var elsewhere = await f.Queries.PaymentsAsync(flaggedOnly: true, [Guid.NewGuid()], 0, 20, CancellationToken.None);
        Assert.Empty(elsewhere.Items);
        var participant = Assert.Single((await f.Queries.SectionDepositsAsync(section.SectionId, CancellationToken.None))!.Participants);
        Assert.Equal(DepositState.Paid, participant.State);
        Assert.True(participant.Flagged);
        Assert.Contains("deposits.payment.flagged", (await TrailAsync(f)).Select(e => e.Action));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Callback_WithAMistypedOrUnknownReference_WaitsForStaffWhoAssignIt(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (section, bidder, account) = await SectionWithBidderAsync(f);
        var typo = account.Number[..12] + (char)('0' + ((account.Number[12] - '0' + 1) % 10));

        var suspense = await CallbackAsync(f, Deposit("ICBC-0006", 20_000m, typo));
        var unmatched = await CallbackAsync(f, Deposit("ICBC-0007", 5_000m, "保证金"));

        Assert.Equal(PaymentMatch.InSuspense, suspense.Match);
        Assert.Equal(PaymentMatch.Unmatched, unmatched.Match);
        var waiting = await f.Queries.PaymentsAsync(flaggedOnly: false, [section.CentreId], 0, 20, CancellationToken.None);
        Assert.Equal(2, waiting.Total);
        var before = await f.Queries.SectionDepositsAsync(section.SectionId, CancellationToken.None);
        Assert.Equal(20_000m, before!.Totals.InSuspense);
        Assert.True(before.Totals.Balanced);

        await f.Service.AssignPaymentAsync(suspense.PaymentId!.Value, section.SectionId, bidder, "演示建设集团有限公司（演示数据）", "staff", CancellationToken.None);
        await f.Service.AssignPaymentAsync(unmatched.PaymentId!.Value, section.SectionId, bidder, "演示建设集团有限公司（演示数据）", "staff", CancellationToken.None);

        var after = await f.Queries.SectionDepositsAsync(section.SectionId, CancellationToken.None);
        Assert.Equal(0m, after!.Totals.InSuspense);
        Assert.Equal(25_000m, after.Totals.Held);
        Assert.Equal(25_000m, after.Totals.Received);
        Assert.True(after.Totals.Balanced);
        Assert.Equal(DepositState.Paid, Assert.Single(after.Participants).State);
        Assert.Equal(0, (await f.Queries.PaymentsAsync(false, [section.CentreId], 0, 20, CancellationToken.None)).Total);
        await Assert.ThrowsAsync<DomainRuleException>(() =>
            f.Service.AssignPaymentAsync(unmatched.PaymentId!.Value, section.SectionId, bidder, "x", "staff", CancellationToken.None));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Refund_WhoseAnswerTimedOut_IsPaidOnceWhenRetried_WithInterest(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (section, bidder, account) = await SectionWithBidderAsync(f);
        await CallbackAsync(f, Deposit("ICBC-0008", 20_000m, account.Number));
        f.Clock.Advance(TimeSpan.FromDays(36));
        f.Bank.LoseNextAnswer = true;

        var first = await f.Service.RefundAsync(section.SectionId, bidder, "staff", CancellationToken.None);
        var askedAgain = await f.Service.RefundAsync(section.SectionId, bidder, "staff", CancellationToken.None);
        var retried = await f.Service.DispatchAsync(first.Id, CancellationToken.None);

        Assert.Equal(InstructionState.Decided, first.State);
        Assert.Contains("did not answer", first.LastError, StringComparison.Ordinal);
        Assert.Equal(first.Id, askedAgain.Id);
        Assert.Equal(InstructionState.Paid, askedAgain.State);
        Assert.Equal(InstructionState.Paid, retried.State);
        Assert.Equal(1, Assert.Single(f.Bank.Transfers).Value);
        // 20,000 yuan for 36 days at 0.35% a year on a 360-day year.
        Assert.Equal(7.00m, first.Interest);
        var view = await f.Queries.SectionDepositsAsync(section.SectionId, CancellationToken.None);
        Assert.Equal(20_000m, view!.Totals.Refunded);
        Assert.Equal(7.00m, view.Totals.InterestPaid);
        Assert.Equal(0m, view.Totals.Held);
        Assert.True(view.Totals.Balanced);
        Assert.Equal(DepositState.Refunded, Assert.Single(view.Participants).State);
        var error = await Assert.ThrowsAsync<DomainRuleException>(() => f.Service.RefundAsync(section.SectionId, bidder, "staff", CancellationToken.None));
        Assert.Equal(DepositRules.NothingHeld, error.RuleCode);
        var actions = (await TrailAsync(f)).Select(e => e.Action).ToList();
        Assert.Equal(1, actions.Count(a => a == "deposits.refund.paid"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Refund_ConfirmedByABankCallbackTwice_IsRecordedOnce(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (section, bidder, account) = await SectionWithBidderAsync(f);
        await CallbackAsync(f, Deposit("ICBC-0009", 20_000m, account.Number));
        f.Bank.LoseNextAnswer = true;
        var instruction = await f.Service.RefundAsync(section.SectionId, bidder, "staff", CancellationToken.None);

        async Task<CallbackResult> ConfirmAsync()
        {
            f.Clock.Advance(TimeSpan.FromSeconds(1));
            var body = BankCallbackBody.InstructionOutcome(instruction.Id, paid: true, "ICBC-R-1");
            var timestamp = f.Clock.GetUtcNow().ToUnixTimeSeconds();
            return await f.Service.HandleCallbackAsync(Bank, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
                BankCallbackSignature.Sign(Encoding.UTF8.GetBytes(Secret), timestamp, body), body, CancellationToken.None);
        }

        Assert.Equal(CallbackOutcome.Recorded, (await ConfirmAsync()).Outcome);
        Assert.Equal(CallbackOutcome.Duplicate, (await ConfirmAsync()).Outcome);
        var retried = await f.Service.DispatchAsync(instruction.Id, CancellationToken.None);

        Assert.Equal(InstructionState.Paid, retried.State);
        var view = await f.Queries.SectionDepositsAsync(section.SectionId, CancellationToken.None);
        Assert.Equal(20_000m, view!.Totals.Refunded);
        Assert.True(view.Totals.Balanced);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Forfeit_RecordsTheLossAndInstructsTheTransfer(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (section, bidder, account) = await SectionWithBidderAsync(f);
        await CallbackAsync(f, Deposit("ICBC-0010", 20_000m, account.Number));

        var instruction = await f.Service.ForfeitAsync(section.SectionId, bidder, "中标后拒绝签订合同", "staff", CancellationToken.None);

        Assert.Equal(InstructionKind.Forfeiture, instruction.Kind);
        Assert.Equal(InstructionState.Paid, instruction.State);
        Assert.Equal("9555000000000001", instruction.ToAccount);
        var view = await f.Queries.SectionDepositsAsync(section.SectionId, CancellationToken.None);
        Assert.Equal(20_000m, view!.Totals.Forfeited);
        Assert.True(view.Totals.Balanced);
        Assert.Equal(DepositState.Forfeited, Assert.Single(view.Participants).State);
        Assert.Contains("deposits.deposit.forfeited", (await TrailAsync(f)).Select(e => e.Action));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Callbacks_ArrivingTogetherForOneSection_AreAllRecordedAndTheLedgerBalances(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (section, _, _) = await SectionWithBidderAsync(f, amount: 1_000m);
        var accounts = new List<DepositAccount>();
        for (var i = 0; i < 6; i++)
        {
            var entity = Guid.NewGuid();
            f.Entities.Accounts[entity] = new BasicAccount(entity, $"公司{i}", "银行", $"公司{i}", $"62220000{i:D8}");
            accounts.Add(await f.Service.OpenAccountAsync(section.SectionId, entity, $"公司{i}", "bidder", CancellationToken.None));
        }

        var results = await Task.WhenAll(accounts.Select((a, i) =>
            Task.Run(() => CallbackAsync(f, Deposit($"ICBC-P{i}", 1_000m, a.Number, payer: $"62220000{i:D8}")))));

        Assert.All(results, r => Assert.Equal(CallbackOutcome.Recorded, r.Outcome));
        var view = await f.Queries.SectionDepositsAsync(section.SectionId, CancellationToken.None);
        Assert.Equal(6_000m, view!.Totals.Received);
        Assert.True(view.Totals.Balanced);
        Assert.Equal(6, view.Participants.Count(p => p.State == DepositState.Paid));
        await using var db = f.Host.Database.Create();
        var sequences = await db.Set<LedgerEntry>().Where(e => e.SectionId == section.SectionId).Select(e => e.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), sequences.Order());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Guarantee_IsRecordedCheckedAndStandsInForTheDeposit(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (section, bidder, _) = await SectionWithBidderAsync(f);
        var details = new GuaranteeDetails("中国银行演示分行", "BH-0001", 20_000m, new DateOnly(2026, 12, 1), new DateOnly(2027, 6, 30), section.Beneficiary);

        var refused = await f.Service.RecordGuaranteeAsync(section.SectionId, bidder, "x", details with { Number = "BH-0000", Amount = 100m }, "bidder", CancellationToken.None);
        var accepted = await f.Service.RecordGuaranteeAsync(section.SectionId, bidder, "x", details, "bidder", CancellationToken.None);
        var duplicate = await Assert.ThrowsAsync<DomainRuleException>(() =>
            f.Service.RecordGuaranteeAsync(section.SectionId, Guid.NewGuid(), "y", details, "bidder", CancellationToken.None));

        Assert.False(refused.Accepted);
        Assert.True(accepted.Accepted);
        Assert.Equal(DepositRules.GuaranteeDuplicate, duplicate.RuleCode);
        var participant = Assert.Single((await f.Queries.SectionDepositsAsync(section.SectionId, CancellationToken.None))!.Participants);
        Assert.Equal(DepositState.Guaranteed, participant.State);
        Assert.Equal(["deposits.guarantee.refused", "deposits.guarantee.accepted"], (await TrailAsync(f)).Select(e => e.Action).Where(a => a.Contains("guarantee", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Terms_AmountIsFixedOncePaid(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (section, _, account) = await SectionWithBidderAsync(f);
        await CallbackAsync(f, Deposit("ICBC-0011", 20_000m, account.Number));
        var terms = DepositTermsTests.Terms(30_000m) with { SectionId = section.SectionId };

        var error = await Assert.ThrowsAsync<DomainRuleException>(() => f.Service.ConfigureSectionAsync(terms, "staff", CancellationToken.None));

        Assert.Equal(DepositRules.AmountFixed, error.RuleCode);
        var unchanged = await f.Queries.SectionAsync(section.SectionId, CancellationToken.None);
        Assert.Equal(20_000m, unchanged!.Amount);
        Assert.NotNull(f.Host.Services.GetRequiredService<IOptions<DepositOptions>>().Value.Banks[Bank]);
    }
}

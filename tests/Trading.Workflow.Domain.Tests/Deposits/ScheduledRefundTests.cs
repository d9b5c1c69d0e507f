using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Deposits;

/// <summary>
/// Refunds owed by a date (a bid withdrawn before the deadline, 条例 35) carried out by the refund timer through the
/// section's ledger, on a real SQLite file and a real PostgreSQL database.
/// </summary>
public sealed class ScheduledRefundTests
{
    private const string Bank = "icbc";
    private const string Secret = "a-bank-secret-of-at-least-32-characters!";
    private const string BasicAccount = "6222000011112222";
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);

    private sealed record Fixture(TradingDatabaseHost Host, DepositPersistenceTests.Entities Entities, DepositPersistenceTests.Bank_ Bank, DepositClock Clock) : IAsyncDisposable
    {
        public DepositService Service => Host.Services.GetRequiredService<DepositService>();

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }

    private static async Task<Fixture> StartAsync(DatabaseProvider provider)
    {
        var entities = new DepositPersistenceTests.Entities();
        var bank = new DepositPersistenceTests.Bank_();
        var clock = new DepositClock(Start);
        var host = await TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.AddSingleton<IBasicAccountLookup>(entities);
            services.Replace(ServiceDescriptor.Singleton<IBankAdapter>(bank));
            services.Configure<DepositOptions>(o => o.Banks[Bank] = new BankOptions { Name = "工商银行", Secret = Secret });
        }, clock);
        return new Fixture(host, entities, bank, clock);
    }

    /// <summary>A section asking 20,000 with one bidder; <paramref name="paid"/> pays it into the sub-account.</summary>
    private static async Task<(Guid SectionId, Guid Bidder)> SectionAsync(Fixture f, bool paid, bool basicAccount = true)
    {
        var section = await f.Service.ConfigureSectionAsync(DepositTermsTests.Terms(), "staff", CancellationToken.None);
        var bidder = Guid.NewGuid();
        if (basicAccount)
        {
            f.Entities.Accounts[bidder] = new BasicAccount(bidder, "演示建设集团有限公司（演示数据）", "中国工商银行", "演示建设集团有限公司", BasicAccount);
        }

        var account = await f.Service.OpenAccountAsync(section.SectionId, bidder, "演示建设集团有限公司（演示数据）", "bidder", CancellationToken.None);
        if (paid)
        {
            var body = BankCallbackBody.Deposit(new BankDeposit("ICBC-" + bidder.ToString("N")[..8], 20_000m, "演示建设集团有限公司", BasicAccount, "中国工商银行", account.Number, Start));
            var timestamp = f.Clock.GetUtcNow().ToUnixTimeSeconds();
            var signature = BankCallbackSignature.Sign(Encoding.UTF8.GetBytes(Secret), timestamp, body);
            await f.Service.HandleCallbackAsync(Bank, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), signature, body, CancellationToken.None);
        }

        return (section.SectionId, bidder);
    }

    /// <summary>What the withdrawal does: the refund is owed in the caller's transaction, due in 5 日.</summary>
    private static async Task<ScheduledRefund> ScheduleAsync(Fixture f, Guid sectionId, Guid bidder)
    {
        await using var db = f.Host.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        var refund = await f.Service.ScheduleRefundAsync(db, sectionId, bidder, "bid-withdrawn", Guid.NewGuid(), f.Clock.GetUtcNow().AddDays(5), "bidder", CancellationToken.None);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return refund!;
    }

    private static async Task<ScheduledRefund> RowAsync(Fixture f, Guid id)
    {
        await using var db = f.Host.Database.Create();
        return await db.Set<ScheduledRefund>().AsNoTracking().SingleAsync(r => r.Id == id);
    }

    private static async Task<List<string>> ActionsAsync(Fixture f)
    {
        await using var db = f.Host.Database.Create();
        var entries = await db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        Assert.True(AuditChain.Verify(entries).IsIntact);
        return [.. entries.Select(e => e.Action)];
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Timer_RefundsTheHeldDepositThroughTheLedger_OnceAndNotBeforeItRuns(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (sectionId, bidder) = await SectionAsync(f, paid: true);

        var scheduled = await ScheduleAsync(f, sectionId, bidder);
        var beforeTimer = f.Bank.Transfers.Count;
        var looked = await f.Service.RunDueRefundsAsync(10, CancellationToken.None);
        var again = await f.Service.RunDueRefundsAsync(10, CancellationToken.None);

        Assert.Equal(0, beforeTimer);
        Assert.Equal(1, looked);
        Assert.Equal(0, again);
        var row = await RowAsync(f, scheduled.Id);
        Assert.Equal(ScheduledRefundState.Done, row.State);
        Assert.Equal(Start.AddDays(5), row.DueAt);
        var transfer = Assert.Single(f.Bank.Transfers);
        Assert.Equal(row.InstructionId, transfer.Key);
        Assert.Equal(1, transfer.Value);
        var view = await f.Host.Services.GetRequiredService<DepositQueries>().SectionDepositsAsync(sectionId, CancellationToken.None);
        Assert.Equal(0m, Assert.Single(view!.Participants).Held);
        var actions = await ActionsAsync(f);
        Assert.Equal(["deposits.refund.scheduled", "deposits.refund.decided", "deposits.refund.paid"], actions.SkipWhile(a => a != "deposits.refund.scheduled"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Timer_BankTimesOut_SendsTheSameInstructionAtTheNextTick(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (sectionId, bidder) = await SectionAsync(f, paid: true);
        var scheduled = await ScheduleAsync(f, sectionId, bidder);
        f.Bank.LoseNextAnswer = true;

        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);
        var afterTimeout = await RowAsync(f, scheduled.Id);
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);

        Assert.Equal(ScheduledRefundState.Instructed, afterTimeout.State);
        var row = await RowAsync(f, scheduled.Id);
        Assert.Equal(ScheduledRefundState.Done, row.State);
        Assert.Equal(afterTimeout.InstructionId, row.InstructionId);
        // The bank was asked first and had it: paid once, never twice.
        Assert.Equal(1, Assert.Single(f.Bank.Transfers).Value);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Timer_NoBasicAccount_RetriesEveryTick_ReportsOverdueOnce_ThenRefunds(DatabaseProvider provider)
    {
        await using var f = await StartAsync(provider);
        var (sectionId, bidder) = await SectionAsync(f, paid: true, basicAccount: false);
        var scheduled = await ScheduleAsync(f, sectionId, bidder);

        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);
        var failing = await RowAsync(f, scheduled.Id);
        f.Clock.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);
        var overdue = await RowAsync(f, scheduled.Id);
        f.Entities.Accounts[bidder] = new BasicAccount(bidder, "演示建设集团有限公司（演示数据）", "中国工商银行", "演示建设集团有限公司", BasicAccount);
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);

        Assert.Equal(ScheduledRefundState.Pending, failing.State);
        Assert.StartsWith(DepositRules.NoBasicAccount, failing.LastError, StringComparison.Ordinal);
        Assert.Equal(ScheduledRefundState.Pending, overdue.State);
        Assert.Equal(3, overdue.Attempts);
        Assert.True(overdue.OverdueReported);
        Assert.Equal(ScheduledRefundState.Done, (await RowAsync(f, scheduled.Id)).State);
        Assert.Single(await ActionsAsync(f), a => a == "deposits.refund.overdue");
        Assert.Single(f.Bank.Transfers);
    }

    [Fact]
    public async Task Timer_NothingHeld_SettlesWithoutAnInstruction()
    {
        await using var f = await StartAsync(DatabaseProvider.Sqlite);
        var (sectionId, bidder) = await SectionAsync(f, paid: false);
        var scheduled = await ScheduleAsync(f, sectionId, bidder);

        await f.Service.RunDueRefundsAsync(10, CancellationToken.None);

        var row = await RowAsync(f, scheduled.Id);
        Assert.Equal(ScheduledRefundState.NothingHeld, row.State);
        Assert.Null(row.InstructionId);
        Assert.Empty(f.Bank.Transfers);
        Assert.Contains("deposits.refund.nothing-held", await ActionsAsync(f));
    }

    [Fact]
    public async Task Schedule_SectionWithoutDeposit_OwesNothing()
    {
        await using var f = await StartAsync(DatabaseProvider.Sqlite);
        await using var db = f.Host.Database.Create();

        var refund = await f.Service.ScheduleRefundAsync(db, Guid.NewGuid(), Guid.NewGuid(), "bid-withdrawn", null, Start.AddDays(5), "bidder", CancellationToken.None);

        Assert.Null(refund);
    }
}

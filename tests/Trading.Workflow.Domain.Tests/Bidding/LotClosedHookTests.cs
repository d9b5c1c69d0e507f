using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Tests.Runtime.Support;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Bidding;

/// <summary>The close hook (<see cref="ILotClosedHandler"/>) and the engine's trail records, on real databases.</summary>
public sealed class LotClosedHookTests
{
    /// <summary>A slice's handler: fails the first time it is called (a crash before the hand-over finished), then records.</summary>
    internal sealed class FlakyHandler : ILotClosedHandler
    {
        public List<LotClosed> Calls { get; } = [];

        public int Failures { get; set; } = 1;

        public Task OnLotClosedAsync(LotClosed closed, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add(closed);
                if (Failures-- > 0)
                {
                    throw new InvalidOperationException("the slice's database was away");
                }
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>Fails with what it is given, once per exception, then records.</summary>
    private sealed class FailingHandler(params Exception[] failures) : ILotClosedHandler
    {
        private readonly Queue<Exception> _failures = new(failures);

        public int Calls { get; private set; }

        public Task OnLotClosedAsync(LotClosed closed, CancellationToken cancellationToken)
        {
            Calls++;
            return _failures.TryDequeue(out var failure) ? Task.FromException(failure) : Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_handler_that_loses_to_a_concurrent_change_is_logged_as_information_and_a_real_failure_as_an_error_both_retried()
    {
        var start = new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);
        var time = new BiddingEngineTests.ManualTime(start);
        var handler = new FailingHandler(
            WorkflowConflictException.Concurrency(Guid.NewGuid()),
            new DbUpdateConcurrencyException("the offering changed meanwhile"),
            new InvalidOperationException("the slice's database was away"));
        var log = new CapturingLoggerProvider();
        await using var host = await TradingDatabaseHost.StartAsync(DatabaseProvider.Sqlite, s =>
        {
            s.AddSingleton<IBiddingEligibility>(new BiddingEngineTests.AdmitAll());
            s.AddSingleton<ILotClosedHandler>(handler);
            s.AddSingleton<ILogger<LotClosedDispatcher>>(new Logger<LotClosedDispatcher>(new LoggerFactory([log])));
        }, time);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        var timer = host.Services.GetRequiredService<BiddingTimer>();
        var lot = await engine.CreateLotAsync(new LotDefinition(null, null, "演示国有资产 拍卖（测试）",
            new LotSettings(BiddingMode.Ascending, 1_000m, 10m, [], start.AddMinutes(1), start.AddMinutes(10), TimeSpan.Zero, TimeSpan.FromMinutes(1)), null), "staff");
        var a = await engine.AdmitAsync(lot, Guid.NewGuid(), "竞买人甲", "staff");
        time.Advance(TimeSpan.FromMinutes(2));
        await timer.RunDueAsync();
        Assert.True((await engine.SubmitAsync(lot, a.Number, 1_000m, "1")).Accepted);

        time.Advance(TimeSpan.FromMinutes(10));
        for (var poll = 0; poll < 4; poll++)
        {
            await timer.RunDueAsync();
        }

        Assert.Equal(4, handler.Calls);
        Assert.Empty(await engine.Store.PendingClosesAsync());
        var entries = log.Entries.Where(e => e.Category == typeof(LotClosedDispatcher).FullName).ToList();
        var information = entries.Where(e => e.Level == LogLevel.Information).ToList();
        Assert.Equal(2, information.Count);
        Assert.All(information, e => Assert.Null(e.Exception));
        Assert.All(information, e => Assert.Contains(lot.ToString(), e.Message, StringComparison.Ordinal));
        var error = Assert.Single(entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.IsType<InvalidOperationException>(error.Exception);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Close_IsHandedToEveryHandler_AfterTheClosedEntryCommits_RetriedOnFailure_AndRecordedInTheTrailOnce(DatabaseProvider provider)
    {
        var start = new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);
        var time = new BiddingEngineTests.ManualTime(start);
        var handler = new FlakyHandler();
        await using var host = await TradingDatabaseHost.StartAsync(provider, s =>
        {
            s.AddSingleton<IBiddingEligibility>(new BiddingEngineTests.AdmitAll());
            s.AddSingleton<ILotClosedHandler>(handler);
        }, time);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        var timer = host.Services.GetRequiredService<BiddingTimer>();
        var lot = await engine.CreateLotAsync(new LotDefinition(null, null, "演示国有资产 拍卖（测试）",
            new LotSettings(BiddingMode.Ascending, 1_000m, 10m, [], start.AddMinutes(1), start.AddMinutes(10), TimeSpan.Zero, TimeSpan.FromMinutes(1)), 1_005m), "staff");
        var entity = Guid.NewGuid();
        var a = await engine.AdmitAsync(lot, entity, "竞买人甲", "staff");
        var b = await engine.AdmitAsync(lot, Guid.NewGuid(), "竞买人乙", "staff");

        time.Advance(TimeSpan.FromMinutes(2));
        await timer.RunDueAsync();
        Assert.True((await engine.SubmitAsync(lot, a.Number, 1_000m, "1")).Accepted);
        Assert.True((await engine.SubmitAsync(lot, b.Number, 1_010m, "2")).Accepted);
        Assert.Empty(handler.Calls);

        // The close: the handler throws once, so the lot stays pending and is handed over again at the next poll.
        time.Advance(TimeSpan.FromMinutes(10));
        await timer.RunDueAsync();
        Assert.Single(handler.Calls);
        Assert.Single(await engine.Store.PendingClosesAsync());
        await timer.RunDueAsync();
        Assert.Equal(2, handler.Calls.Count);
        Assert.Empty(await engine.Store.PendingClosesAsync());
        await timer.RunDueAsync();
        Assert.Equal(2, handler.Calls.Count);

        var closed = handler.Calls[^1];
        Assert.Equal(lot, closed.LotId);
        Assert.True(closed.Outcome.Sold);
        Assert.Equal(b.Number, closed.Outcome.WinnerNumber);
        Assert.Equal(1_010m, closed.Outcome.Price);
        Assert.Equal("竞买人乙", closed.Winner!.EntityName);
        var log = await engine.Store.ReadLogAsync(lot, 0);
        Assert.Equal(log[^1].Hash, closed.ClosedHash);
        Assert.Equal(BidLogKind.Closed, log[^1].Kind);

        // The trail: two admissions naming the entity but not the number, one close (the built-in handler ran twice).
        await using var db = host.Services.GetRequiredService<ITradingDatabase>().Create();
        var records = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.SubjectType == BiddingTrail.SubjectType && e.SubjectId == lot.ToString()).ToListAsync();
        var admitted = records.Where(r => r.Action == BiddingTrail.Admitted).ToList();
        Assert.Equal(2, admitted.Count);
        Assert.Contains(admitted, r => r.Data.Contains(entity.ToString(), StringComparison.Ordinal));
        Assert.All(admitted, r => Assert.DoesNotContain("umber", r.Data, StringComparison.OrdinalIgnoreCase));
        var close = Assert.Single(records, r => r.Action == BiddingTrail.Closed);
        Assert.Contains(closed.ClosedHash, close.Data, StringComparison.Ordinal);
    }
}

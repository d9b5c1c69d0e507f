using Microsoft.Extensions.Logging;
using Npgsql;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>
/// The durable close timer: each lot row carries <c>next_due</c> (its opening, free-period end, countdown end or
/// close), written in the same transaction as the entry that moved it (an extension moves it with the bid). Every
/// node polls the due rows and hands them to its sequencer; the lot's row lock and the book's deadlines make a second
/// node's tick a no-op, and a restart finds the timer where the last commit left it. A bid that arrives after the
/// deadline but before the tick is refused by the deadline itself, so the tick's latency never changes an outcome.
/// </summary>
public sealed partial class BiddingTimer(BiddingEngine engine, LotClosedDispatcher closes, TimeProvider time, ILogger<BiddingTimer> logger)
{
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var due = await engine.Store.DueLotsAsync(time.GetUtcNow(), cancellationToken);
        foreach (var lot in due)
        {
            try
            {
                await engine.TickAsync(lot, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogTickFailed(logger, e, lot);
            }
        }

        // Then the close hook: every closed lot (closed by this tick, by another node, or before a restart) whose
        // handlers have not all run.
        await closes.DispatchPendingAsync(cancellationToken);
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Bidding lot {LotId}: the timer's tick failed; it is retried at the next poll")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, Guid lotId);
}

/// <summary>
/// Live updates across nodes through PostgreSQL LISTEN/NOTIFY: each commit that grows a lot's log sends
/// <c>pg_notify('tr_bidding', 'lotId:lastSeq')</c> inside its transaction (delivered at commit, in commit order); every
/// node listens on one connection and has its feed read the new entries from the log. No extra server to run, and the
/// log remains the only source (a lost notification is caught up at the next one or at reconnect).
/// </summary>
public sealed partial class PostgresBidListener(BidLogStore store, BidFeed feed, Engine.Persistence.Data.WorkflowDatabase database, ILogger<PostgresBidListener> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (store.Provider != DatabaseProvider.PostgreSql)
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Its own connection, outside the pool: pooled connections go back without a reset (see
                // WorkflowDatabase), and this one must never reach another user still listening.
                var builder = new NpgsqlConnectionStringBuilder(database.Options.ConnectionString) { KeepAlive = 30, Pooling = false };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                connection.Notification += (_, args) =>
                {
                    var colon = args.Payload.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0 && Guid.TryParse(args.Payload.AsSpan(0, colon), out var lotId)
                        && long.TryParse(args.Payload.AsSpan(colon + 1), out var sequence) && sequence > feed.SequenceOf(lotId))
                    {
                        _ = feed.CatchUpAsync(lotId, CancellationToken.None);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {BidLogStore.NotifyChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                foreach (var lot in feed.WatchedLots)
                {
                    await feed.CatchUpAsync(lot, cancellationToken);
                }

                while (!cancellationToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogListenerFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bidding: the LISTEN connection failed; reconnecting")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception);
}

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>
/// A closed lot as the trade slices receive it: the lot, its outcome (derived from the log: the <c>Closed</c> entry),
/// and the winner's identity (public with the result). <see cref="ClosedSequence"/>/<see cref="ClosedHash"/> name the
/// <c>Closed</c> entry, so a slice can keep them as proof of what it acted on.
/// </summary>
public sealed record LotClosed(
    Guid LotId, Guid? SectionId, Guid? ProjectId, string Title, BiddingMode Mode, LotOutcome Outcome, LotBidder? Winner,
    long ClosedSequence, string ClosedHash, DateTimeOffset ClosedAt);

/// <summary>
/// The close hook for trade slices (land, mineral rights, state assets …): every implementation registered in DI
/// (<c>services.AddScoped&lt;ILotClosedHandler, MyHandler&gt;()</c>, any number) is called once the lot's <c>Closed</c>
/// entry has committed, from a fresh DI scope. Delivery is at least once, durable across restarts and nodes: the lot
/// row's <c>close_handled</c> flag is set only after every handler returned, so a crash, an exception or a second node
/// means a handler can be called again for the same lot; <b>handlers must be idempotent</b> (key on
/// <see cref="LotClosed.LotId"/>). A handler that throws is retried at the next timer poll (every
/// <c>Bidding:TimerInterval</c>), the other handlers too (hence idempotent).
/// </summary>
public interface ILotClosedHandler
{
    Task OnLotClosedAsync(LotClosed closed, CancellationToken cancellationToken);
}

/// <summary>
/// Hands closed lots to the <see cref="ILotClosedHandler"/>s: called by the durable timer's poll on every node after
/// its ticks (<see cref="BiddingTimer"/>), so a close decided by any node, before any restart, is handed over.
/// </summary>
public sealed partial class LotClosedDispatcher(BidLogStore store, IServiceScopeFactory scopes, ILogger<LotClosedDispatcher> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Runs the handlers for every closed lot not yet handed over; returns how many lots were handed over.</summary>
    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken = default)
    {
        if (!await _gate.WaitAsync(0, cancellationToken))
        {
            return 0; // the previous poll is still handing over
        }

        try
        {
            var pending = await store.PendingClosesAsync(cancellationToken);
            var handed = 0;
            foreach (var lotId in pending)
            {
                try
                {
                    if (await ClosedOfAsync(lotId, cancellationToken) is not { } closed)
                    {
                        continue;
                    }

                    await using (var scope = scopes.CreateAsyncScope())
                    {
                        foreach (var handler in scope.ServiceProvider.GetServices<ILotClosedHandler>())
                        {
                            await handler.OnLotClosedAsync(closed, cancellationToken);
                        }
                    }

                    await store.MarkCloseHandledAsync(lotId, cancellationToken);
                    handed++;
                }
                catch (Exception e) when (IsConflict(e))
                {
                    // Another node or command changed the same rows first (optimistic concurrency): expected, not a fault.
                    LogHandlerConflicted(logger, lotId, e.Message);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogHandlerFailed(logger, e, lotId);
                }
            }

            return handed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The closed lot as handlers see it, read from the log (null while the lot is not closed).</summary>
    public async Task<LotClosed?> ClosedOfAsync(Guid lotId, CancellationToken cancellationToken = default)
    {
        var lot = await store.FindLotAsync(lotId, cancellationToken);
        if (lot is not { Phase: LotPhase.Closed })
        {
            return null;
        }

        var entry = (await store.ReadLogAsync(lotId, lot.LastSequence - 1, cancellationToken)).LastOrDefault(e => e.Kind == BidLogKind.Closed)
            ?? (await store.ReadLogAsync(lotId, 0, cancellationToken)).Last(e => e.Kind == BidLogKind.Closed);
        var outcome = JsonSerializer.Deserialize<ClosedData>(entry.Data!, LotBook.Json)!.Outcome;
        var winner = outcome.WinnerNumber is { } number ? (await store.BiddersAsync(lotId, cancellationToken)).FirstOrDefault(b => b.Number == number) : null;
        return new LotClosed(lot.Id, lot.SectionId, lot.ProjectId, lot.Title, lot.Mode, outcome, winner, entry.Sequence, entry.Hash, entry.At);
    }

    private static bool IsConflict(Exception e) =>
        e is Trading.Workflow.Engine.Runtime.WorkflowConflictException or Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException;

    [LoggerMessage(Level = LogLevel.Error, Message = "Bidding lot {LotId}: a close handler failed; every handler is called again at the next poll")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, Guid lotId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bidding lot {LotId}: a close handler met a concurrent change ({Reason}); every handler is called again at the next poll")]
    private static partial void LogHandlerConflicted(ILogger logger, Guid lotId, string reason);
}

using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>
/// What the server answered to one bid: its log entry's <see cref="Sequence"/> and, when accepted, its
/// <see cref="Ordinal"/> among the lot's accepted bids (<see cref="LotBook.AcceptedOrdinal"/>, 第 N 次出价).
/// </summary>
public sealed record BidReceipt(Guid LotId, long Sequence, bool Accepted, string? Reason, DateTimeOffset At, decimal Amount, decimal? CurrentPrice, decimal? NextValidPrice, DateTimeOffset EndsAt, bool Repeated, int? Ordinal = null);

/// <summary>
/// The single writer of one lot on this node. Commands are stamped with the server clock as they arrive (in arrival
/// order, under a lock, so the stamps never go backwards in the queue) and judged one by one in that order by the
/// lot's <see cref="LotBook"/>; the entries of a whole batch are written in one transaction (group commit) and only
/// then acknowledged and published. Under the transaction the lot's row is taken first (FOR UPDATE on PostgreSQL), and
/// entries other nodes appended meanwhile are applied before judging, so the log has one order for every node.
/// A failed write drops the in-memory book (reloaded from the log at the next batch) and fails the batch's
/// commands: a client retries with the same idempotency key, which can neither lose nor double a bid.
/// </summary>
internal sealed partial class LotSequencer : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly Guid _lotId;
    private readonly BidLogStore _store;
    private readonly BidFeed _feed;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OpeningGate? _gate;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Lock _stampGate = new();
    private readonly Task _loop;
    private DateTimeOffset _lastStamp;
    private long _commits;
    private long _commands;

    /// <summary>Transactions committed by this sequencer and the commands they carried (their ratio is the group-commit batch).</summary>
    public (long Commits, long Commands) Stats => (Interlocked.Read(ref _commits), Interlocked.Read(ref _commands));
    private LotBook? _book;
    private DbConnection? _connection;

    public LotSequencer(Guid lotId, BidLogStore store, BidFeed feed, TimeProvider time, ILogger logger, OpeningGate? gate = null)
    {
        _lotId = lotId;
        _store = store;
        _feed = feed;
        _time = time;
        _logger = logger;
        _gate = gate;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// The engine's side of the <see cref="ILotOpeningGate"/>s: <see cref="RefusalAsync"/> asks them (the one that
    /// refused and why, or null), <see cref="ShelvedAsync"/> runs after the Shelved entry it caused has committed.
    /// </summary>
    internal sealed record OpeningGate(
        Func<Guid, DateTimeOffset, Task<(ILotOpeningGate Gate, string Reason)?>> RefusalAsync,
        Func<Guid, ILotOpeningGate, BidLogEntry, string, Task> ShelvedAsync);

    internal abstract class Work
    {
        public DateTimeOffset At { get; set; }

        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    internal sealed class BidWork(BidAttempt bid) : Work
    {
        public BidAttempt Bid { get; } = bid;
    }

    /// <summary>
    /// An admission; <paramref name="check"/> (the eligibility, under the deposit section's lock) runs in the batch's
    /// transaction before the book judges it, and a non-null answer refuses it.
    /// </summary>
    internal sealed class AdmitWork(int number, Guid entityId, string entityName, string actor,
        Func<DbConnection, DbTransaction?, Task<DomainRuleException?>>? check = null) : Work
    {
        public Func<DbConnection, DbTransaction?, Task<DomainRuleException?>>? Check { get; } = check;

        public int Number { get; } = number;

        public Guid EntityId { get; } = entityId;

        public string EntityName { get; } = entityName;

        public string Actor { get; } = actor;
    }

    internal sealed class IncrementWork(decimal increment, IReadOnlyList<int> multiples) : Work
    {
        public decimal Increment { get; } = increment;

        public IReadOnlyList<int> Multiples { get; } = multiples;
    }

    /// <summary>Withdraws a bidder number's admission (<see cref="LotBook.Exclude"/>).</summary>
    internal sealed class ExcludeWork(int number) : Work
    {
        public int Number { get; } = number;
    }

    internal sealed class TickWork : Work;

    /// <summary>Calls the sale off (<see cref="LotBook.CallOff"/>).</summary>
    internal sealed class CallOffWork(string reason) : Work
    {
        public string Reason { get; } = reason;
    }

    /// <summary>Shelves the lot (<see cref="LotBook.Shelve"/>).</summary>
    internal sealed class ShelveWork(string reason, string by) : Work
    {
        public string Reason { get; } = reason;

        public string By { get; } = by;
    }

    internal sealed class ReadWork(Func<LotBook, object?> read) : Work
    {
        public Func<LotBook, object?> Read { get; } = read;
    }

    /// <summary>Stamps the command with the server clock on arrival and queues it; completes after the commit.</summary>
    public Task<object?> EnqueueAsync(Work work)
    {
        lock (_stampGate)
        {
            var now = _time.GetUtcNow();
            _lastStamp = work.At = now > _lastStamp ? now : _lastStamp;
            if (!_queue.Writer.TryWrite(work))
            {
                work.Done.TrySetException(new ObjectDisposedException(nameof(LotSequencer)));
            }
        }

        return work.Done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Work>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var work))
            {
                batch.Add(work);
            }

            await ProcessAsync(batch);
        }
    }

    private async Task ProcessAsync(List<Work> batch)
    {
        var results = new object?[batch.Count];
        var bidders = new List<LotBidder>();
        IReadOnlyList<BidLogEntry> others = [];
        IReadOnlyList<BidLogEntry> appended = [];
        BidLogStore.Batch? open = null;
        (ILotOpeningGate Gate, BidLogEntry Entry, string Reason)? shelvedAtOpening = null;
        try
        {
            _connection ??= await _store.OpenAsync();
            if (_book is null)
            {
                open = await _store.BeginAsync(_connection, _lotId, null, CancellationToken.None);
                _book = LotBook.Restore(await _store.ReadLogAsync(_connection, open.Transaction, _lotId, 0, CancellationToken.None));
                var (reserve, salt, timerStopped) = await _store.ReadReserveAsync(_connection, open.Transaction, _lotId, CancellationToken.None);
                if (!_book.IsClosed)
                {
                    _book.KnowReserve(reserve, salt);
                }

                if (timerStopped && !_book.IsEnded && batch[0] is not ShelveWork)
                {
                    // Shelved before shelving was a state (only its timer stopped): recorded now, ahead of this batch,
                    // so the batch's commands are refused instead of setting the timer again (a shelving first in the
                    // batch records it itself, with its own reason).
                    _book.Shelve(BiddingEngine.StoppedTimerReason, BiddingEngine.SystemActor, batch[0].At);
                }
            }
            else
            {
                // The lot's row taken and, in the same round trip, what other nodes appended since this book's head.
                open = await _store.BeginAsync(_connection, _lotId, _book.LastSequence, CancellationToken.None);
                if (open.Appended.Count > 0)
                {
                    _book.ApplyStored(open.Appended);
                    others = open.Appended;
                }
            }

            // The opening gates, asked under the lot's row lock (after other nodes' entries were applied) when a command of
            // this batch would open the lot: a refusal shelves it below, before that command, in this same transaction.
            (ILotOpeningGate Gate, string Reason)? refusal = null;
            var opens = _book.Settings.Opens;
            if (_gate is not null && _book.Phase == LotPhase.Scheduled && batch.Exists(w => WouldOpen(opens, w)))
            {
                refusal = await _gate.RefusalAsync(_lotId, opens);
            }

            // Admissions are rare: their eligibility is read here, inside this transaction (never for a bid). A lot that
            // has ended refuses them itself, with its own reason (shelved, called off, closed), before any eligibility.
            for (var i = 0; i < batch.Count; i++)
            {
                if (batch[i] is AdmitWork { Check: { } check } && !_book.IsEnded && !(refusal is not null && WouldOpen(opens, batch[i])))
                {
                    results[i] = await check(_connection, open.Transaction);
                }
            }

            for (var i = 0; i < batch.Count; i++)
            {
                if (refusal is { } refused && _book.Phase == LotPhase.Scheduled && WouldOpen(_book.Settings.Opens, batch[i]))
                {
                    shelvedAtOpening = (refused.Gate, _book.Shelve(refused.Reason, BiddingEngine.SystemActor, batch[i].At)!, refused.Reason);
                }

                results[i] ??= Judge(_book, batch[i], bidders);
            }

            appended = _book.TakeAppended();
            var head = appended.Count > 0
                ? new BidLogStore.Head(_book.LastSequence, _book.LastHash, _book.Phase, _book.IsEnded ? null : NextDue(_book),
                    appended.LastOrDefault(e => e.Kind == BidLogKind.Closed)?.Data)
                : null;
            // The entries, the bidders, the head and the timer, (PostgreSQL) the notification and the COMMIT.
            await _store.CommitAsync(_connection, open, _lotId, appended, bidders, head, CancellationToken.None);
            Interlocked.Increment(ref _commits);
            Interlocked.Add(ref _commands, batch.Count);
        }
        catch (Exception e)
        {
            LogBatchFailed(_logger, e, _lotId, batch.Count);
            _book = null;
            if (_connection is not null)
            {
                await BidLogStore.AbandonAsync(_connection, open);
                await _connection.DisposeAsync();
                _connection = null;
            }

            foreach (var work in batch)
            {
                work.Done.TrySetException(e);
            }

            return;
        }

        if (shelvedAtOpening is { } shelved)
        {
            // Committed: the slice's records next, before the answers, so a tick returns with them written.
            try
            {
                await _gate!.ShelvedAsync(_lotId, shelved.Gate, shelved.Entry, shelved.Reason);
            }
            catch (Exception e)
            {
                LogShelvedHookFailed(_logger, e, _lotId);
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i] is Exception failure)
            {
                batch[i].Done.TrySetException(failure);
            }
            else
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }

        // Answers first (committed, so final), then this node's feed, in log order: the other nodes' entries read under
        // the lock, then this batch. The feed only takes them into its mirror here; its watchers get them at its pace.
        if (others.Count + appended.Count > 0)
        {
            try
            {
                _feed.Publish(_lotId, others.Count == 0 ? appended : [.. others, .. appended]);
            }
            catch (Exception e)
            {
                // The feed reads what it missed from the log at the next delivery (its gap check).
                LogPublishFailed(_logger, e, _lotId);
            }
        }
    }

    /// <summary>Whether judging the command would apply the opening (every command but a shelving or a read advances the deadlines).</summary>
    private static bool WouldOpen(DateTimeOffset opens, Work work) => work.At >= opens && work is not (ShelveWork or ReadWork);

    /// <summary>The durable timer: the next moment the server must look at the lot (opening, a deadline).</summary>
    private static DateTimeOffset NextDue(LotBook book) => book.Phase == LotPhase.Scheduled ? book.Settings.Opens : book.EndsAt;

    private object? Judge(LotBook book, Work work, List<LotBidder> bidders)
    {
        try
        {
            switch (work)
            {
                case BidWork bid:
                    var before = book.LastSequence;
                    var entry = book.Submit(bid.Bid, work.At);
                    return new BidReceipt(_lotId, entry.Sequence, entry.Accepted, entry.Reason, entry.At, entry.Amount ?? 0m,
                        book.CurrentPrice, book.NextValidPrice, book.EndsAt, entry.Sequence <= before, entry.Accepted ? book.AcceptedOrdinal(entry.Sequence) : null);
                case AdmitWork admit:
                    var admitted = book.Admit(admit.Number, work.At);
                    bidders.Add(new LotBidder(_lotId, admit.Number, admit.EntityId, admit.EntityName, admitted.At, admit.Actor));
                    return admitted;
                case ExcludeWork exclude:
                    return book.Exclude(exclude.Number, work.At);
                case IncrementWork increment:
                    return book.ChangeIncrement(increment.Increment, increment.Multiples, work.At);
                case TickWork:
                    return book.Advance(work.At);
                case CallOffWork callOff:
                    return book.CallOff(callOff.Reason, work.At);
                case ShelveWork shelve:
                    return book.Shelve(shelve.Reason, shelve.By, work.At);
                case ReadWork read:
                    return read.Read(book);
                default:
                    return null;
            }
        }
        catch (DomainRuleException e)
        {
            return e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Bidding lot {LotId}: shelved by an opening gate; recording it (the trail, the slice's hook) failed")]
    private static partial void LogShelvedHookFailed(ILogger logger, Exception exception, Guid lotId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bidding lot {LotId}: publishing committed entries to this node's watchers failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid lotId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bidding lot {LotId}: a batch of {Count} commands failed to commit; the lot's book is reloaded from its log")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, Guid lotId, int count);
}

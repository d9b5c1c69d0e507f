using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>What a trade slice (land, mineral rights, state assets, environmental rights) puts up for online bidding.</summary>
public sealed record LotDefinition(Guid? SectionId, Guid? ProjectId, string Title, LotSettings Settings, decimal? Reserve);

/// <summary>
/// The shared online bidding engine (issue 14): creates lots, admits eligible bidders under numbers, and hands every
/// command for a lot to that lot's single writer (<see cref="LotSequencer"/>) on this node. Any number of nodes may run
/// it on one PostgreSQL database: their writers serialise on the lot's row.
/// </summary>
public sealed class BiddingEngine(
    BidLogStore store, BidFeed feed, IBiddingEligibility eligibility, TimeProvider time, ILoggerFactory loggers, BiddingTrail? trail = null,
    IEnumerable<ILotOpeningGate>? gates = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, Lazy<LotSequencer>> _sequencers = new();
    private readonly ILogger _logger = loggers.CreateLogger<BiddingEngine>();
    private readonly ILotOpeningGate[] _gates = gates?.ToArray() ?? [];

    public BidLogStore Store => store;

    public BidFeed Feed => feed;

    /// <summary>Registers a lot and writes its Opened entry (settings and the reserve's commitment; the reserve stays in the lot row).</summary>
    public async Task<Guid> CreateLotAsync(LotDefinition definition, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Reserve is <= 0)
        {
            throw new DomainRuleException(BiddingRules.SettingsInvalid, "The reserve must be positive.");
        }

        var id = Guid.CreateVersion7();
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow();
        var book = LotBook.Open(id, definition.Settings, definition.Reserve, salt, now);
        var opened = book.TakeAppended().Single();
        var record = new LotRecord(id, definition.SectionId, definition.ProjectId, definition.Title, definition.Settings.Mode, now, actor,
            opened.Sequence, opened.Hash, book.Phase, definition.Settings.Opens);
        await store.CreateLotAsync(record, definition.Reserve, salt, opened, cancellationToken);
        return id;
    }

    /// <summary>
    /// Admits an entity to bid under a number drawn at random (so the order of registration does not show), after
    /// checking its eligibility for the lot's section (<see cref="IBiddingEligibility"/>) inside the transaction that
    /// records the admission, under the deposit section's lock: a refund decided at the same moment either came first
    /// (the deposit reads as refunding and the admission is refused) or waits and is held by <see cref="LotDepositRefundGuard"/>.
    /// </summary>
    public async Task<LotBidder> AdmitAsync(Guid lotId, Guid entityId, string entityName, string actor, CancellationToken cancellationToken = default)
    {
        var lot = await store.FindLotAsync(lotId, cancellationToken) ?? throw new DomainRuleException(BiddingRules.LotUnknown, $"Lot {lotId} does not exist.");
        var bidders = await store.BiddersAsync(lotId, cancellationToken);
        if (bidders.FirstOrDefault(b => b.EntityId == entityId) is { } existing)
        {
            return existing;
        }

        var taken = bidders.Select(b => b.Number).ToHashSet();
        int number;
        do
        {
            number = RandomNumberGenerator.GetInt32(1000, 10000);
        }
        while (taken.Contains(number));

        var sectionId = lot.SectionId ?? Guid.Empty;
        await Run(lotId, new LotSequencer.AdmitWork(number, entityId, entityName, actor, async (connection, transaction) =>
        {
            // Not the caller's token: this runs in the lot writer's batch, and a cancelled request must not fail the
            // bids judged with it.
            var problems = await eligibility.ProblemsForAdmissionAsync(connection, transaction, sectionId, entityId, CancellationToken.None);
            return problems.Count == 0 ? null : new DomainRuleException(problems[0], $"The entity may not bid for lot {lotId}: {string.Join(", ", problems)}.");
        }));
        if (trail is not null)
        {
            // After the admission committed to the log (a separate store); the record names the entity, not its number.
            await trail.RecordAdmissionAsync(lot, entityId, actor, cancellationToken);
        }

        return new LotBidder(lotId, number, entityId, entityName, time.GetUtcNow(), actor);
    }

    /// <summary>
    /// Withdraws a bidder number's admission to the lot (its deposit left the held state): the entry goes through the
    /// lot's writer and log, so every node's book and the verifier drop it from the admission set, and its next bid is
    /// refused as <see cref="BiddingRules.NotEligible"/> with no query on the bid path. False when there was nothing to
    /// withdraw (not admitted, or the sale closed).
    /// </summary>
    public async Task<bool> ExcludeAsync(Guid lotId, int bidderNumber) =>
        await Run(lotId, new LotSequencer.ExcludeWork(bidderNumber)) is not null;

    /// <summary>A bid as it arrives: stamped, judged in arrival order, written, then answered.</summary>
    public async Task<BidReceipt> SubmitAsync(Guid lotId, int bidderNumber, decimal amount, string? idempotencyKey, CancellationToken cancellationToken = default) =>
        (BidReceipt)(await Run(lotId, new LotSequencer.BidWork(new BidAttempt(bidderNumber, amount, idempotencyKey))))!;

    /// <summary>Staff change the increment or its multiples during a listing; the change is announced through the log.</summary>
    public async Task ChangeIncrementAsync(Guid lotId, decimal increment, IReadOnlyList<int> multiples, CancellationToken cancellationToken = default) =>
        await Run(lotId, new LotSequencer.IncrementWork(increment, multiples));

    /// <summary>The durable timer's call: applies the deadlines that have passed (opening, timed phase, close).</summary>
    public async Task<IReadOnlyList<BidLogEntry>> TickAsync(Guid lotId, CancellationToken cancellationToken = default) =>
        (IReadOnlyList<BidLogEntry>)(await Run(lotId, new LotSequencer.TickWork()))!;

    /// <summary>The reason of the Shelved entry recorded for a lot whose timer was stopped before shelving was logged.</summary>
    public const string StoppedTimerReason = "Timer stopped before shelving was logged";

    /// <summary>Who the engine itself records as acting (the Shelved entry of a lot whose timer was stopped).</summary>
    public const string SystemActor = "system";

    /// <summary>
    /// A sale taken off before it was announced (the offering returned to its owner or withdrawn, its submission
    /// failed): the Shelved entry (reason, who) goes through the lot's writer, so the phase becomes Shelved for good, the
    /// timer stops and nothing sets it again: the lot never opens or closes, its reserve stays sealed (a resubmitted
    /// sale, on a new lot, usually has the same one), bids are refused and every other command throws, both with
    /// <see cref="BiddingRules.Shelved"/>. Deadlines passed are not applied first. True when shelved now; false when the
    /// lot is unknown or has ended (closed, called off, shelved already). A sale with bidders is called off instead.
    /// </summary>
    public async Task<bool> ShelveAsync(Guid lotId, string reason, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (await store.FindLotAsync(lotId, cancellationToken) is not { } lot
            || await Run(lotId, new LotSequencer.ShelveWork(reason.Trim(), actor)) is not BidLogEntry entry)
        {
            return false;
        }

        if (trail is not null)
        {
            await trail.RecordShelveAsync(lot, entry, reason.Trim(), actor, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// Records as shelved every lot whose timer was stopped before shelving was logged (<see cref="BidLogStore.StoppedLotsAsync"/>),
    /// so pages show them shelved. Their first command would do it anyway, ahead of itself. Returns how many.
    /// </summary>
    public async Task<int> ShelveStoppedLotsAsync(CancellationToken cancellationToken = default)
    {
        var shelved = 0;
        foreach (var lotId in await store.StoppedLotsAsync(cancellationToken))
        {
            shelved += await ShelveAsync(lotId, StoppedTimerReason, SystemActor, cancellationToken) ? 1 : 0;
        }

        return shelved;
    }

    /// <summary>
    /// Calls a sale off before its result (终止), scheduled or running: the CalledOff entry goes through the lot's writer,
    /// so the lot stops taking bids at once, its timer stops, it never closes (no outcome, the reserve never revealed) and
    /// every watcher sees it ended. True when called off now, false when it was already; a sale whose end has passed is
    /// closed with its result first and refused with <see cref="BiddingRules.AfterClose"/>.
    /// </summary>
    public async Task<bool> CallOffAsync(Guid lotId, string reason, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var lot = await store.FindLotAsync(lotId, cancellationToken) ?? throw new DomainRuleException(BiddingRules.LotUnknown, $"Lot {lotId} does not exist.");
        if (await Run(lotId, new LotSequencer.CallOffWork(reason.Trim())) is not BidLogEntry entry)
        {
            return false;
        }

        if (trail is not null)
        {
            await trail.RecordCallOffAsync(lot, entry, reason.Trim(), actor, cancellationToken);
        }

        return true;
    }

    /// <summary>Replays the stored log (<see cref="BidLogVerifier"/>).</summary>
    public async Task<BidLogVerification> VerifyAsync(Guid lotId, CancellationToken cancellationToken = default) =>
        BidLogVerifier.Verify(await store.ReadLogAsync(lotId, 0, cancellationToken));

    /// <summary>
    /// What this node's sequencer of the lot committed so far: transactions, and the commands (bids, admissions, ticks)
    /// judged in them. Commands ÷ commits is the group-commit batch (the bench prints it; tests check grouping with it).
    /// </summary>
    public (long Commits, long Commands) CommitStats(Guid lotId) =>
        _sequencers.TryGetValue(lotId, out var sequencer) && sequencer.IsValueCreated ? sequencer.Value.Stats : (0, 0);

    public async Task<LotBidder?> BidderOfAsync(Guid lotId, Guid entityId, CancellationToken cancellationToken = default) =>
        (await store.BiddersAsync(lotId, cancellationToken)).FirstOrDefault(b => b.EntityId == entityId);

    private async Task<object?> Run(Guid lotId, LotSequencer.Work work)
    {
        // The gate's delegates are made with the lot's writer, once per lot, not on every bid.
        var sequencer = _sequencers.GetOrAdd(lotId, id => new Lazy<LotSequencer>(() => new LotSequencer(id, store, feed, time, _logger,
            _gates.Length == 0 ? null : new LotSequencer.OpeningGate(OpeningRefusalAsync, ShelvedAtOpeningAsync)))).Value;
        return await sequencer.EnqueueAsync(work);
    }

    /// <summary>Asks every <see cref="ILotOpeningGate"/> (the lot's writer holds its row): the first refusal, or null.</summary>
    private async Task<(ILotOpeningGate Gate, string Reason)?> OpeningRefusalAsync(Guid lotId, DateTimeOffset opens)
    {
        // Not a caller's token: this runs in the lot writer's batch, for whichever command would open the lot.
        var lot = await store.FindLotAsync(lotId, CancellationToken.None) ?? throw new DomainRuleException(BiddingRules.LotUnknown, $"Lot {lotId} does not exist.");
        var opening = new LotOpening(lot.Id, lot.SectionId, lot.ProjectId, lot.Title, opens);
        foreach (var gate in _gates)
        {
            if (await gate.RefusalAsync(opening, CancellationToken.None) is { } reason && !string.IsNullOrWhiteSpace(reason))
            {
                return (gate, reason.Trim());
            }
        }

        return null;
    }

    /// <summary>After a gate's Shelved entry committed: the engine's trail record, as for any shelving, then the gate's hook.</summary>
    private async Task ShelvedAtOpeningAsync(Guid lotId, ILotOpeningGate gate, BidLogEntry entry, string reason)
    {
        var lot = await store.FindLotAsync(lotId, CancellationToken.None) ?? throw new DomainRuleException(BiddingRules.LotUnknown, $"Lot {lotId} does not exist.");
        if (trail is not null)
        {
            await trail.RecordShelveAsync(lot, entry, reason, SystemActor, CancellationToken.None);
        }

        await gate.OnShelvedAsync(new LotShelvedAtOpening(lot.Id, lot.SectionId, lot.ProjectId, reason, entry.Sequence, entry.Hash, entry.At), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sequencer in _sequencers.Values.Where(s => s.IsValueCreated))
        {
            await sequencer.Value.DisposeAsync();
        }

        _sequencers.Clear();
    }
}

using System.Text.Json;

namespace Trading.Workflow.Domain.Bidding;

public sealed partial class LotBook
{
    /// <summary>Rebuilds a book from a stored log (its hash chain checked on the way); the reserve stays unknown.</summary>
    public static LotBook Restore(IReadOnlyList<BidLogEntry> entries)
    {
        if (entries.Count == 0 || entries[0].Kind != BidLogKind.Opened || entries[0].Data is null)
        {
            throw new DomainRuleException(BiddingRules.LogBroken, "A bid log starts with its Opened entry.");
        }

        var opened = JsonSerializer.Deserialize<OpenedData>(entries[0].Data!, Json)!;
        var book = new LotBook(opened.LotId, opened.Settings, opened.ReserveCommitment);
        foreach (var entry in entries)
        {
            book.Apply(entry);
        }

        return book;
    }

    /// <summary>An empty book for the verifier: it must re-derive the Opened entry itself.</summary>
    internal static LotBook ForReplay(BidLogEntry opened)
    {
        var data = JsonSerializer.Deserialize<OpenedData>(opened.Data!, Json)!;
        return new LotBook(data.LotId, data.Settings, data.ReserveCommitment);
    }

    internal BidLogEntry ReplayOpened(DateTimeOffset at) =>
        Append(BidLogKind.Opened, at, null, null, null, true, null, JsonSerializer.Serialize(new OpenedData(LotId, Settings, ReserveCommitment), Json));

    /// <summary>
    /// The verifier found <paramref name="stored"/> to say what the book derived, written differently (an amount's
    /// trailing zeros in its data, from before amounts were canonical); the stored chain was checked apart, so the
    /// book continues from the stored entry's hash and the next entries are compared exactly again.
    /// </summary>
    internal void ContinueFrom(BidLogEntry stored)
    {
        if (stored.Sequence != LastSequence)
        {
            throw new DomainRuleException(BiddingRules.LogBroken, $"Bid log entry {stored.Sequence} is not the book's last ({LastSequence}).");
        }

        LastHash = stored.Hash;
    }

    /// <summary>Takes in entries another node appended (read under the lot's lock), checking the chain.</summary>
    public void ApplyStored(IEnumerable<BidLogEntry> entries, bool hashesChecked = false)
    {
        foreach (var entry in entries)
        {
            Apply(entry, checkHash: !hashesChecked);
        }
    }

    private void Apply(BidLogEntry entry, bool checkHash = true)
    {
        if (entry.Sequence != LastSequence + 1 || entry.PreviousHash != LastHash || (checkHash && entry.Hash != entry.ExpectedHash()))
        {
            throw new DomainRuleException(BiddingRules.LogBroken, $"Bid log entry {entry.Sequence} does not continue the chain at {LastSequence}.");
        }

        switch (entry.Kind)
        {
            case BidLogKind.Admitted:
                _admitted.Add(entry.BidderNumber!.Value);
                break;
            case BidLogKind.Excluded:
                _admitted.Remove(entry.BidderNumber!.Value);
                break;
            case BidLogKind.Bid:
                if (entry.IdempotencyKey is { } key)
                {
                    _byKey[key] = entry;
                }

                if (entry.Accepted)
                {
                    ApplyAccepted(entry);
                }

                break;
            case BidLogKind.IncrementChanged:
                var increment = JsonSerializer.Deserialize<IncrementData>(entry.Data!, Json)!;
                Settings = Settings with { Increment = increment.Increment, AllowedMultiples = increment.Multiples };
                break;
            case BidLogKind.PhaseChanged:
                var phase = JsonSerializer.Deserialize<PhaseData>(entry.Data!, Json)!;
                Phase = phase.Phase;
                EndsAt = phase.EndsAt;
                if (phase.Phase == LotPhase.SealedRound)
                {
                    _sealedRoundFrom = entry.Sequence;
                }

                break;
            case BidLogKind.Closed:
                var closed = JsonSerializer.Deserialize<ClosedData>(entry.Data!, Json)!;
                Phase = LotPhase.Closed;
                Outcome = closed.Outcome;
                if (!_reserveKnown)
                {
                    KnowReserve(closed.Outcome.Reserve, closed.Salt);
                }

                break;
            case BidLogKind.CalledOff:
                Phase = LotPhase.CalledOff;
                CallOffReason = JsonSerializer.Deserialize<CalledOffData>(entry.Data!, Json)!.Reason;
                break;
            case BidLogKind.Shelved:
                var shelved = JsonSerializer.Deserialize<ShelvedData>(entry.Data!, Json)!;
                Phase = LotPhase.Shelved;
                Shelving = (shelved.Reason, shelved.By);
                break;
        }

        LastSequence = entry.Sequence;
        LastHash = entry.Hash;
        LastAt = entry.At;
    }

    private void ApplyAccepted(BidLogEntry entry)
    {
        var bidder = entry.BidderNumber!.Value;
        var amount = entry.Amount!.Value;
        _accepted.Add(entry);
        _bidders.Add(bidder);
        switch (Phase)
        {
            case LotPhase.CapMatch:
                _reachedCap.Add((bidder, entry.At, entry.Sequence));
                return;
            case LotPhase.SealedRound:
                _sealed[bidder] = (amount, entry.At, entry.Sequence);
                return;
            case LotPhase.Open when Settings.Mode == BiddingMode.Sealed:
                _sealed[bidder] = (amount, entry.At, entry.Sequence);
                return;
        }

        CurrentPrice = amount;
        LeaderNumber = bidder;
        if (Settings.PriceCap is { } cap && amount == cap)
        {
            _reachedCap.Add((bidder, entry.At, entry.Sequence));
            Phase = LotPhase.CapMatch;
            EndsAt = entry.At + Settings.CapMatchWindow;
            return;
        }

        // Extension: a bid in the last N minutes moves the end to N minutes after it; in the timed phase every bid
        // resets the countdown. The listing's free period is not extended (its timed phase follows).
        var window = Phase == LotPhase.Timed ? Settings.Countdown
            : Settings.Mode == BiddingMode.Listing ? TimeSpan.Zero
            : Settings.Extension;
        if (window > TimeSpan.Zero && entry.At >= EndsAt - window && entry.At + window > EndsAt)
        {
            EndsAt = entry.At + window;
        }
    }
}

internal sealed record OpenedData(Guid LotId, LotSettings Settings, string ReserveCommitment);

internal sealed record IncrementData(decimal Increment, int[] Multiples);

internal sealed record PhaseData(LotPhase Phase, DateTimeOffset EndsAt);

internal sealed record ClosedData(LotOutcome Outcome, string Salt);

internal sealed record CalledOffData(string Reason);

internal sealed record ShelvedData(string Reason, string By);

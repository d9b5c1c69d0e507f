using System.Text.Json;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>What replaying a bid log found.</summary>
public sealed record BidLogVerification(bool Valid, long Entries, long? FirstBadSequence, string? Problem, LotOutcome? Outcome, decimal? FinalPrice, int AcceptedBids)
{
    public static BidLogVerification Broken(long entries, long sequence, string problem) => new(false, entries, sequence, problem, null, null, 0);
}

/// <summary>
/// Replays a bid log on an empty <see cref="LotBook"/>: every entry is re-derived from the inputs it records (bid,
/// admission, increment change, time) and must equal the stored one, hash included; the outcome is then the
/// book's. A changed amount, a dropped or reordered line, a refusal turned into an acceptance, a reserve other than the
/// committed one: each fails at the first entry concerned.
/// </summary>
public static class BidLogVerifier
{
    public static BidLogVerification Verify(IReadOnlyList<BidLogEntry> entries)
    {
        if (entries.Count == 0 || entries[0].Kind != BidLogKind.Opened || entries[0].Data is null)
        {
            return BidLogVerification.Broken(entries.Count, 1, "The log does not start with its Opened entry.");
        }

        LotBook book;
        try
        {
            book = LotBook.ForReplay(entries[0]);
            if (entries.LastOrDefault(e => e.Kind == BidLogKind.Closed) is { Data: { } closedData })
            {
                var closed = JsonSerializer.Deserialize<ClosedData>(closedData, LotBook.Json)!;
                book.KnowReserve(closed.Outcome.Reserve, closed.Salt);
            }

            book.ReplayOpened(entries[0].At);
        }
        catch (Exception e) when (e is JsonException or DomainRuleException or NullReferenceException)
        {
            return BidLogVerification.Broken(entries.Count, 1, e.Message);
        }

        var index = 0;
        while (true)
        {
            var produced = book.TakeAppended();
            for (var j = 0; j < produced.Count; j++)
            {
                if (index + j >= entries.Count || !produced[j].SameAs(entries[index + j]))
                {
                    return BidLogVerification.Broken(entries.Count, produced[j].Sequence,
                        $"Entry {produced[j].Sequence} is not what the rules derive from the entries before it (expected {produced[j].Kind}).");
                }
            }

            index += produced.Count;
            if (index >= entries.Count)
            {
                break;
            }

            var next = entries[index];
            try
            {
                switch (next.Kind)
                {
                    case BidLogKind.Admitted:
                        book.Admit(next.BidderNumber ?? 0, next.At);
                        break;
                    case BidLogKind.Bid:
                        if (next.IdempotencyKey is { } key && book.FindByKey(key) is not null)
                        {
                            return BidLogVerification.Broken(entries.Count, next.Sequence, $"Entry {next.Sequence} repeats an idempotency key: a bid recorded twice.");
                        }

                        book.Submit(new BidAttempt(next.BidderNumber ?? 0, next.Amount ?? 0m, next.IdempotencyKey), next.At);
                        break;
                    case BidLogKind.IncrementChanged:
                        var change = JsonSerializer.Deserialize<IncrementData>(next.Data!, LotBook.Json)!;
                        book.ChangeIncrement(change.Increment, change.Multiples, next.At);
                        break;
                    case BidLogKind.PhaseChanged:
                    case BidLogKind.Closed:
                        book.Advance(next.At);
                        break;
                    default:
                        return BidLogVerification.Broken(entries.Count, next.Sequence, $"Entry {next.Sequence} is a second Opened entry.");
                }
            }
            catch (Exception e) when (e is JsonException or DomainRuleException or NullReferenceException)
            {
                return BidLogVerification.Broken(entries.Count, next.Sequence, e.Message);
            }

            if (book.LastSequence < next.Sequence && book.TakeAppendedCount == 0)
            {
                return BidLogVerification.Broken(entries.Count, next.Sequence, $"Entry {next.Sequence} ({next.Kind}) is not what the rules derive from the entries before it.");
            }
        }

        return new BidLogVerification(true, entries.Count, null, null, book.Outcome, book.CurrentPrice, book.AcceptedCount);
    }
}

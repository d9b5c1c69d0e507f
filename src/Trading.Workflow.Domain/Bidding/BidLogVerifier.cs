using System.Text.Json;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>
/// What replaying a bid log found. <see cref="Outcome"/> is the outcome the rules derive from the log alone (null when
/// the replay failed or the lot is still open); <see cref="RecordedOutcome"/> is the one the engine wrote in the log's
/// <c>Closed</c> entry (what the trade slice acted on), shown beside a failed replay so nobody reads "no sale" for a
/// lot the engine sold.
/// </summary>
public sealed record BidLogVerification(
    bool Valid, long Entries, long? FirstBadSequence, string? Problem, LotOutcome? Outcome, decimal? FinalPrice, int AcceptedBids,
    LotOutcome? RecordedOutcome = null)
{
    public static BidLogVerification Broken(long entries, long sequence, string problem, LotOutcome? recorded = null) =>
        new(false, entries, sequence, problem, null, null, 0, recorded);
}

/// <summary>
/// Replays a bid log on an empty <see cref="LotBook"/>. First the stored chain: sequences 1, 2, 3 … without a hole,
/// each entry's hash over its own fields and the previous entry's hash. Then every entry is re-derived from the inputs
/// it records (bid, admission, increment change, time) and must equal the stored one: exactly, hash included, or — for
/// logs written before amounts were canonical — field by field with the data compared as JSON values (50000000.0 and
/// 50000000 are the same number; nothing else is loosened), the chain having been checked on the stored entries. The
/// outcome is then the book's. A changed amount, a dropped or reordered line, a refusal turned into an acceptance, a
/// reserve other than the committed one: each fails at the first entry concerned.
/// </summary>
public static class BidLogVerifier
{
    public static BidLogVerification Verify(IReadOnlyList<BidLogEntry> entries)
    {
        if (entries.Count == 0 || entries[0].Kind != BidLogKind.Opened || entries[0].Data is null)
        {
            return BidLogVerification.Broken(entries.Count, 1, "The log does not start with its Opened entry.");
        }

        var recorded = RecordedOutcome(entries);
        if (ChainProblem(entries) is { } chain)
        {
            return BidLogVerification.Broken(entries.Count, chain.Sequence, chain.Problem, recorded);
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
            return BidLogVerification.Broken(entries.Count, 1, e.Message, recorded);
        }

        var index = 0;
        while (true)
        {
            var produced = book.TakeAppended();
            var rewritten = false;
            for (var j = 0; j < produced.Count; j++)
            {
                if (index + j >= entries.Count)
                {
                    return BidLogVerification.Broken(entries.Count, produced[j].Sequence,
                        $"Entry {produced[j].Sequence} ({produced[j].Kind}) is missing: the rules derive it from the entries before it.", recorded);
                }

                var stored = entries[index + j];
                if (produced[j].SameAs(stored))
                {
                    continue;
                }

                if (!SameMeaning(produced[j], stored))
                {
                    return BidLogVerification.Broken(entries.Count, produced[j].Sequence,
                        $"Entry {produced[j].Sequence} is not what the rules derive from the entries before it (expected {produced[j].Kind}{Difference(produced[j], stored)}).", recorded);
                }

                rewritten = true;
            }

            index += produced.Count;
            if (rewritten)
            {
                book.ContinueFrom(entries[index - 1]);
            }

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
                    case BidLogKind.Excluded:
                        book.Exclude(next.BidderNumber ?? 0, next.At);
                        break;
                    case BidLogKind.Bid:
                        if (next.IdempotencyKey is { } key && book.FindByKey(key) is not null)
                        {
                            return BidLogVerification.Broken(entries.Count, next.Sequence, $"Entry {next.Sequence} repeats an idempotency key: a bid recorded twice.", recorded);
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
                    case BidLogKind.CalledOff:
                        book.CallOff(JsonSerializer.Deserialize<CalledOffData>(next.Data!, LotBook.Json)!.Reason, next.At);
                        break;
                    case BidLogKind.Shelved:
                        var shelved = JsonSerializer.Deserialize<ShelvedData>(next.Data!, LotBook.Json)!;
                        book.Shelve(shelved.Reason, shelved.By, next.At);
                        break;
                    default:
                        return BidLogVerification.Broken(entries.Count, next.Sequence, $"Entry {next.Sequence} is a second Opened entry.", recorded);
                }
            }
            catch (Exception e) when (e is JsonException or DomainRuleException or NullReferenceException or ArgumentException)
            {
                return BidLogVerification.Broken(entries.Count, next.Sequence, e.Message, recorded);
            }

            if (book.LastSequence < next.Sequence && book.TakeAppendedCount == 0)
            {
                return BidLogVerification.Broken(entries.Count, next.Sequence, $"Entry {next.Sequence} ({next.Kind}) is not what the rules derive from the entries before it.", recorded);
            }
        }

        return new BidLogVerification(true, entries.Count, null, null, book.Outcome, book.CurrentPrice, book.AcceptedCount, recorded);
    }

    /// <summary>The outcome the engine wrote in the log's Closed entry (null while open or when unreadable).</summary>
    public static LotOutcome? RecordedOutcome(IReadOnlyList<BidLogEntry> entries)
    {
        if (entries.LastOrDefault(e => e.Kind == BidLogKind.Closed) is not { Data: { } data })
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ClosedData>(data, LotBook.Json)?.Outcome;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first stored entry that does not continue the chain: a hole, a reordering, a hash that does not match.</summary>
    private static (long Sequence, string Problem)? ChainProblem(IReadOnlyList<BidLogEntry> entries)
    {
        var previous = BidLogEntry.GenesisHash;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Sequence != i + 1)
            {
                return (i + 1, $"Entry {i + 1} is missing or out of order (found {entry.Sequence} in its place).");
            }

            if (entry.PreviousHash != previous)
            {
                return (entry.Sequence, $"Entry {entry.Sequence} does not continue the hash chain: its previous hash is not entry {entry.Sequence - 1}'s hash.");
            }

            if (entry.Hash != entry.ExpectedHash())
            {
                return (entry.Sequence, $"Entry {entry.Sequence} was changed after it was written: its hash does not match its content.");
            }

            previous = entry.Hash;
        }

        return null;
    }

    /// <summary>Every field equal, the data compared as JSON values (numbers by value), the hashes aside.</summary>
    private static bool SameMeaning(BidLogEntry derived, BidLogEntry stored) =>
        derived.Sequence == stored.Sequence && derived.Kind == stored.Kind && derived.At.UtcTicks == stored.At.UtcTicks
        && derived.BidderNumber == stored.BidderNumber && derived.Amount == stored.Amount && derived.IdempotencyKey == stored.IdempotencyKey
        && derived.Accepted == stored.Accepted && derived.Reason == stored.Reason && SameJson(derived.Data, stored.Data);

    private static bool SameJson(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a == b;
        }

        try
        {
            using var left = JsonDocument.Parse(a);
            using var right = JsonDocument.Parse(b);
            return SameValue(left.RootElement, right.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool SameValue(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Number:
                return a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x == y : a.GetRawText() == b.GetRawText();
            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            case JsonValueKind.Array:
                return a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => SameValue(p.First, p.Second));
            case JsonValueKind.Object:
                var left = a.EnumerateObject().ToList();
                var right = b.EnumerateObject().ToList();
                return left.Count == right.Count && left.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() == left.Count
                    && left.All(p => b.TryGetProperty(p.Name, out var other) && SameValue(p.Value, other));
            default:
                return true; // true, false, null: the kinds are equal
        }
    }

    /// <summary>What differs, for the problem's text (the verifier's readers are staff and supervisors).</summary>
    private static string Difference(BidLogEntry derived, BidLogEntry stored)
    {
        if (derived.Kind != stored.Kind)
        {
            return $", the log has {stored.Kind}";
        }

        if (derived.Accepted != stored.Accepted || derived.Reason != stored.Reason)
        {
            return $": {(derived.Accepted ? "accepted" : "refused " + derived.Reason)}, the log has {(stored.Accepted ? "accepted" : "refused " + stored.Reason)}";
        }

        if (derived.At.UtcTicks != stored.At.UtcTicks)
        {
            return $" at {derived.At:O}, the log has {stored.At:O}";
        }

        if (!SameJson(derived.Data, stored.Data))
        {
            return $" with {derived.Data}, the log has {stored.Data}";
        }

        return string.Empty;
    }
}

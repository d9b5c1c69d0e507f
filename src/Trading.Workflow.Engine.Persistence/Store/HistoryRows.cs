using System.Buffers;
using System.Text.Json;
using Trading.Workflow.Engine.Persistence.Data;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>
/// History rows of several events (a command writes one row per instance it changed). The row carries the
/// instance, the first event's type, time, process and business key, the first event's chain position and the hash
/// before it, the last event's hash, and every event's own fields in <see cref="HistoryEntity.Entries"/> (time,
/// process, business key and user only where they differ from the event before); its sequence
/// is the last event's, so the events' sequences are the <see cref="HistoryEntity.EntryCount"/> numbers up to it.
/// Readers see events only: <see cref="Expand(HistoryEntity)"/> gives each event as a row of one, with its sequence,
/// position and hashes; the inner hashes are computed again from the stored fields and the last must equal the
/// stored one, so a change to any event of the row breaks the chain there as it would for rows of one event.
/// </summary>
public static class HistoryRows
{
    /// <summary>
    /// Events one row holds at most: on PostgreSQL the history sequence steps by this much (script 0007), so a row's
    /// events can take the numbers from its value on.
    /// </summary>
    public const int MaxEvents = 1024;

    // The JSON is stored, never put in a page: Chinese names and notes stay as they are instead of six bytes a character.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One row for <paramref name="events"/> (one instance's, linked and in chain order, at least two).</summary>
    public static HistoryEntity Pack(IReadOnlyList<HistoryEntity> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var first = events[0];
        var buffer = new ArrayBufferWriter<byte>(256 * events.Count);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartArray();
            HistoryEntity? before = null;
            foreach (var e in events)
            {
                json.WriteStartObject();
                json.WriteNumber("t", e.Type);
                if (before is null || e.Timestamp.UtcTicks != before.Timestamp.UtcTicks)
                {
                    json.WriteNumber("ts", e.Timestamp.UtcTicks);
                }

                Repeated(json, "p", e.ProcessId, before?.ProcessId, before is null);
                Repeated(json, "b", e.BusinessKey, before?.BusinessKey, before is null);
                Text(json, "e", e.ElementId);
                Text(json, "et", e.ElementType);
                Text(json, "en", e.ElementName);
                if (e.ExecutionId is { } execution)
                {
                    json.WriteNumber("x", execution);
                }

                if (e.TaskId is { } task)
                {
                    json.WriteString("k", task);
                }

                Repeated(json, "u", e.UserId, before?.UserId, before is null);
                Text(json, "v", e.VariableName);
                Text(json, "o", e.OldValue);
                Text(json, "n", e.NewValue);
                Text(json, "d", e.Details);
                json.WriteEndObject();
                before = e;
            }

            json.WriteEndArray();
        }

        return new HistoryEntity
        {
            InstanceId = first.InstanceId,
            Type = first.Type,
            Timestamp = first.Timestamp,
            ProcessId = first.ProcessId,
            BusinessKey = first.BusinessKey,
            ChainPosition = first.ChainPosition,
            PreviousHash = first.PreviousHash,
            Hash = events[^1].Hash,
            EntryCount = events.Count,
            Entries = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan),
        };
    }

    /// <summary>The events of stored rows, in the rows' order.</summary>
    public static IEnumerable<HistoryEntity> Expand(IEnumerable<HistoryEntity> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            foreach (var e in Expand(row))
            {
                yield return e;
            }
        }
    }

    /// <summary>The events of one stored row: the row itself when it is of one event (inner hashes under <paramref name="key"/>, the key it was written with).</summary>
    public static IReadOnlyList<HistoryEntity> Expand(HistoryEntity row, HistoryChainKey? key = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Entries is null)
        {
            return [row];
        }

        var events = new List<HistoryEntity>(row.EntryCount);
        using var document = JsonDocument.Parse(row.Entries);
        var items = document.RootElement.EnumerateArray().ToList();
        var previous = row.PreviousHash;
        HistoryEntity? before = null;
        for (var k = 0; k < items.Count; k++)
        {
            var item = items[k];
            var e = new HistoryEntity
            {
                Sequence = row.Sequence - row.EntryCount + 1 + k,
                InstanceId = row.InstanceId,
                Type = item.GetProperty("t").GetInt32(),
                Timestamp = item.TryGetProperty("ts", out var ts) ? new DateTimeOffset(ts.GetInt64(), TimeSpan.Zero) : before!.Timestamp,
                ProcessId = Repeated(item, "p", before?.ProcessId),
                BusinessKey = Repeated(item, "b", before?.BusinessKey),
                ElementId = Text(item, "e"),
                ElementType = Text(item, "et"),
                ElementName = Text(item, "en"),
                ExecutionId = item.TryGetProperty("x", out var x) ? x.GetInt32() : null,
                TaskId = item.TryGetProperty("k", out var task) ? task.GetGuid() : null,
                UserId = Repeated(item, "u", before?.UserId),
                VariableName = Text(item, "v"),
                OldValue = Text(item, "o"),
                NewValue = Text(item, "n"),
                Details = Text(item, "d"),
                ChainPosition = row.ChainPosition + k,
                PreviousHash = previous,
            };

            // The last event carries the stored hash, which the chain check compares with the one its fields give.
            e.Hash = k == items.Count - 1 ? row.Hash : HistoryChain.Compute(e, key);
            previous = e.Hash;
            before = e;
            events.Add(e);
        }

        return events;
    }

    private static void Text(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>
    /// A field most events of a command share (time, process, business key, user): written on the first event when
    /// set, then only where it differs from the event before (null written as null), about 60 % of a row's text.
    /// </summary>
    private static void Repeated(Utf8JsonWriter json, string name, string? value, string? before, bool first)
    {
        if (first ? value is null : string.Equals(value, before, StringComparison.Ordinal))
        {
            return;
        }

        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>The field as <see cref="Repeated(Utf8JsonWriter, string, string?, string?, bool)"/> wrote it: absent, the event before's (null on the first).</summary>
    private static string? Repeated(JsonElement item, string name, string? before) =>
        item.TryGetProperty(name, out var value) ? value.GetString() : before;

    private static string? Text(JsonElement item, string name) => item.TryGetProperty(name, out var value) ? value.GetString() : null;
}

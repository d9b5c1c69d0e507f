using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>A secret the history chain is keyed with (HMAC-SHA256); <see cref="Id"/> names it, never reveals it.</summary>
public sealed class HistoryChainKey
{
    public const int MinimumBytes = 32;

    private const int BlockSize = 64;

    // The key XOR the HMAC pads, made once: HMAC-SHA256 is then two one-shot SHA-256 runs. (The runtime's one-shot HMAC
    // sets up a new MAC context in OpenSSL on every call, about 2-3 µs, and every history event is hashed.)
    private readonly byte[] _innerPad = new byte[BlockSize];
    private readonly byte[] _outerPad = new byte[BlockSize];

    public HistoryChainKey(string id, ReadOnlySpan<byte> secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (secret.Length < MinimumBytes)
        {
            throw new ArgumentException($"A history chain key has at least {MinimumBytes} bytes.", nameof(secret));
        }

        Id = id;
        Span<byte> key = stackalloc byte[BlockSize];
        key.Clear();
        if (secret.Length > BlockSize)
        {
            SHA256.HashData(secret, key);
        }
        else
        {
            secret.CopyTo(key);
        }

        for (var i = 0; i < BlockSize; i++)
        {
            _innerPad[i] = (byte)(key[i] ^ 0x36);
            _outerPad[i] = (byte)(key[i] ^ 0x5c);
        }

        CryptographicOperations.ZeroMemory(key);
    }

    public string Id { get; }

    /// <summary>HMAC-SHA256 (RFC 2104) of <paramref name="data"/> into <paramref name="destination"/> (32 bytes).</summary>
    internal void Mac(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var length = BlockSize + data.Length;
        byte[]? rented = null;
        var buffer = length <= 2048 ? stackalloc byte[2048] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            _innerPad.CopyTo(buffer);
            data.CopyTo(buffer[BlockSize..]);
            Span<byte> outer = stackalloc byte[BlockSize + SHA256.HashSizeInBytes];
            _outerPad.CopyTo(outer);
            SHA256.HashData(buffer[..length], outer[BlockSize..]);
            SHA256.HashData(outer, destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

/// <summary>
/// The keys the engine's history chain knows: <see cref="Current"/> keys new rows; previous ones stay to verify what they
/// keyed. Without keys (<see cref="None"/>) rows are chained by plain SHA-256, as before keys existed: anyone who can
/// write the database can then recompute a chain after editing it, so a platform keeps its key outside the database.
/// </summary>
public sealed class HistoryChainKeys
{
    public HistoryChainKeys(HistoryChainKey? current, IEnumerable<HistoryChainKey>? previous = null)
    {
        Current = current;
        All = (current is null ? [] : new[] { current }).Concat(previous ?? []).DistinctBy(k => k.Id).ToList();
    }

    public static HistoryChainKeys None { get; } = new(null);

    public HistoryChainKey? Current { get; }

    /// <summary>The current key first, then the previous ones.</summary>
    public IReadOnlyList<HistoryChainKey> All { get; }

    public HistoryChainKey? Find(string id) => All.FirstOrDefault(k => k.Id == id);
}

/// <summary>
/// When keyed chaining began: a row of <c>wf_history_keys</c>, "rows after sequence N are keyed", with an HMAC of that
/// statement under the key, so it can be neither moved nor forged without the key. It is written once, by the schema
/// upgrade that makes the table, when the store has a key. The verifier takes the earliest record its keys can check
/// as the cut-over: every history row after it must verify under a known key, so a keyed row rewritten as a plain one
/// (or a whole instance rewritten plain) is found; rows at or before it are plain. With keys and no record it can
/// check, nothing can be trusted as plain: the verifier reports the record missing.
/// </summary>
public static class HistoryKeyRecords
{
    private const string Table = "wf_history_keys";

    /// <summary>The engine schema version whose script makes the table.</summary>
    public static int TableVersion(Schema.SchemaScriptSet scripts)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        return scripts.Scripts.Single(s => s.Name.Contains("history_keys", StringComparison.Ordinal)).Version;
    }

    /// <summary>The record's MAC (lower-case hex) under <paramref name="key"/>.</summary>
    public static string Mac(HistoryChainKey key, long keyedAfter)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        key.Mac(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"wf-history-keyed-after:{key.Id}:{keyedAfter}")), mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>Records that rows after the history's last sequence now are keyed with the current key (none without one).</summary>
    public static async Task RecordAsync(DbConnection connection, HistoryChainKeys keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Current is not { } key)
        {
            return;
        }

        // On SQLite the transaction begins IMMEDIATE, holding the writer lock, so no history row commits between reading
        // the last sequence and the record; on PostgreSQL a row committing meanwhile comes from a node with this key (all
        // nodes share it), so it is keyed and after the cut-over anyway.
        await using var transaction = connection is Microsoft.Data.Sqlite.SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken);
        long last;
        await using (var max = connection.CreateCommand())
        {
            max.Transaction = transaction;
            max.CommandText = "SELECT COALESCE(MAX(\"sequence\"), 0) FROM \"wf_history\"";
            last = Convert.ToInt64(await max.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO \"{Table}\" (\"key_id\", \"keyed_after\", \"mac\") VALUES (@id, @after, @mac) ON CONFLICT (\"key_id\") DO NOTHING";
            Add(insert, "@id", key.Id);
            Add(insert, "@after", last);
            Add(insert, "@mac", Mac(key, last));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// What the verifier holds the rows to: the earliest cut-over its keys can check. Without keys, the earliest
    /// recorded one, unchecked: rows after it are then reported as keyed with a key the verifier does not hold.
    /// </summary>
    public static async Task<HistoryKeyPolicy> ReadPolicyAsync(DbConnection connection, HistoryChainKeys keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        long? cut = null;
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"key_id\", \"keyed_after\", \"mac\" FROM \"{Table}\"";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var after = reader.GetInt64(1);
            var holds = keys.All.Count == 0
                || (keys.Find(reader.GetString(0)) is { } key
                    && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(key, after)), Encoding.ASCII.GetBytes(reader.GetString(2))));
            if (holds)
            {
                cut = cut is { } c ? Math.Min(c, after) : after;
            }
        }

        return new HistoryKeyPolicy(keys, cut);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>
/// How the verifier judges each stored history row: plain SHA-256 up to <see cref="KeyedAfter"/>, keyed after it.
/// With keys but no record they can check (<see cref="RecordMissing"/>), nothing can be trusted as plain.
/// </summary>
public sealed record HistoryKeyPolicy(HistoryChainKeys Keys, long? KeyedAfter)
{
    public static HistoryKeyPolicy Unkeyed { get; } = new(HistoryChainKeys.None, null);

    public bool RecordMissing => Keys.All.Count > 0 && KeyedAfter is null;

    public bool IsKeyed(long sequence) => KeyedAfter is { } after && sequence > after;
}

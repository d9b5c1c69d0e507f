using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Trading.Workflow.Engine.Persistence.Store;

namespace Trading.Workflow.Domain.Trail;

/// <summary>
/// The secret the trail's hashes are keyed with (HMAC-SM3), kept outside the database (configuration or a key file in
/// the data folder), so someone who can write the database cannot recompute the chain after editing a record.
/// <see cref="Id"/> names the key in each record it keyed (never the key itself).
/// </summary>
public sealed class TrailKey
{
    public const int MinimumBytes = 32;

    private readonly byte[] _secret;

    public TrailKey(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < MinimumBytes)
        {
            throw new ArgumentException($"A trail key has at least {MinimumBytes} bytes.", nameof(secret));
        }

        _secret = secret.ToArray();
        Id = Convert.ToHexStringLower(Sm3.Hash([.. Encoding.ASCII.GetBytes("trading-workflow-trail-key:"), .. _secret])[..8]);
    }

    /// <summary>16 hex digits derived from the key by SM3 (a key cannot be recovered from it).</summary>
    public string Id { get; }

    /// <summary>A key from its base64 text; null when the text is not base64 of at least <see cref="MinimumBytes"/> bytes.</summary>
    public static TrailKey? FromBase64(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text.Trim(), buffer, out var length) && length >= MinimumBytes ? new TrailKey(buffer.AsSpan(0, length)) : null;
    }

    /// <summary>A new random key, as base64 text (what a key file or <c>Trail:HashKey</c> holds).</summary>
    public static string GenerateBase64() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinimumBytes));

    /// <summary>HMAC-SM3 of the data under this key.</summary>
    public byte[] Mac(ReadOnlySpan<byte> data)
    {
        var mac = new HMac(new SM3Digest());
        mac.Init(new KeyParameter(_secret));
        mac.BlockUpdate(data);
        var result = new byte[mac.GetMacSize()];
        mac.DoFinal(result, 0);
        return result;
    }
}

/// <summary>
/// The keys the trail knows: <see cref="Current"/> keys new records (null: records are hashed without a key, as before
/// keys existed); older keys stay to verify what they keyed.
/// </summary>
public sealed class TrailKeyRing
{
    private readonly Dictionary<string, TrailKey> _keys;

    public TrailKeyRing(TrailKey? current, IEnumerable<TrailKey>? previous = null)
    {
        Current = current;
        _keys = (previous ?? []).Append(current).OfType<TrailKey>().DistinctBy(k => k.Id).ToDictionary(k => k.Id, StringComparer.Ordinal);
    }

    /// <summary>No key: records are chained by plain SM3 (tests, and databases from before keys).</summary>
    public static TrailKeyRing None { get; } = new(null);

    public TrailKey? Current { get; }

    public TrailKey? Find(string keyId) => _keys.GetValueOrDefault(keyId);

    /// <summary>
    /// The engine's history chain keys, one derived from each trail key (HMAC-SM3 of a label, so the trail's own key
    /// keys nothing else), named by the trail key's id: a key change of the trail changes both chains' keys at once.
    /// </summary>
    public HistoryChainKeys ToHistoryChainKeys()
    {
        static HistoryChainKey Derive(TrailKey key) => new(key.Id, key.Mac(Encoding.ASCII.GetBytes("trading-workflow-engine-history-chain")));
        return new HistoryChainKeys(Current is null ? null : Derive(Current), _keys.Values.Select(Derive));
    }

    /// <summary>From <see cref="TrailOptions"/>: the current key and the previous ones (base64); a bad value throws naming the setting.</summary>
    public static TrailKeyRing From(TrailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var current = Parse(options.HashKey, "Trail:HashKey");
        return new TrailKeyRing(current, options.PreviousHashKeys.Select((k, i) => Parse(k, $"Trail:PreviousHashKeys:{i}")!));
    }

    private static TrailKey? Parse(string? text, string setting) =>
        string.IsNullOrWhiteSpace(text)
            ? null
            : TrailKey.FromBase64(text) ?? throw new InvalidOperationException($"{setting} must be base64 of at least {TrailKey.MinimumBytes} bytes.");
}

/// <summary>Settings of the trail (section <c>Trail</c>).</summary>
public sealed class TrailOptions
{
    public const string SectionName = "Trail";

    /// <summary>
    /// The key new trail records are keyed with, base64 of at least 32 random bytes. The web host, when this is empty,
    /// keeps a generated key in <c>trail-hash.key</c> of its keys folder (by default <c>&lt;data folder&gt;/keys</c>). Null here means records are not keyed.
    /// </summary>
    public string? HashKey { get; set; }

    /// <summary>Keys that keyed older records (after a key change), base64; kept to verify them.</summary>
    public List<string> PreviousHashKeys { get; } = [];
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// How a bank proves a deposit callback is its own: HMAC-SHA256 with the bank's secret over
/// "<c>timestamp</c>.<c>body</c>", the timestamp in Unix seconds. A callback outside the tolerance window is refused,
/// so a captured request cannot be replayed later; within the window the caller's replay guard refuses a repeat.
/// </summary>
public static class BankCallbackSignature
{
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    public static string Sign(ReadOnlySpan<byte> secret, long timestamp, ReadOnlySpan<byte> body) =>
        Convert.ToHexStringLower(Mac(secret, timestamp, body));

    public static BankCallbackCheck Verify(
        ReadOnlySpan<byte> secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body,
        DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (string.IsNullOrWhiteSpace(timestampHeader) || string.IsNullOrWhiteSpace(signatureHeader))
        {
            return BankCallbackCheck.Missing;
        }

        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || signatureHeader.Length != 64)
        {
            return BankCallbackCheck.Malformed;
        }

        byte[] presented;
        try
        {
            presented = Convert.FromHexString(signatureHeader);
        }
        catch (FormatException)
        {
            return BankCallbackCheck.Malformed;
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(timestamp);
        if (age.Duration() > (tolerance ?? DefaultTolerance))
        {
            return BankCallbackCheck.OutsideWindow;
        }

        // Constant time, so the signature cannot be guessed byte by byte from response times.
        return CryptographicOperations.FixedTimeEquals(presented, Mac(secret, timestamp, body))
            ? BankCallbackCheck.Valid
            : BankCallbackCheck.BadSignature;
    }

    private static byte[] Mac(ReadOnlySpan<byte> secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(secret, message);
    }
}

public enum BankCallbackCheck
{
    Valid,
    Missing,
    Malformed,
    OutsideWindow,
    BadSignature,
}

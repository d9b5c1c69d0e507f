using Org.BouncyCastle.Crypto.Digests;

namespace Trading.Workflow.Domain.SealedBids.Crypto;

/// <summary>SM3 (GM/T 0004) digests as lower-case hex (the trail's Trail.Sm3 gives bytes), of bytes or of a stream read to its end.</summary>
public static class Sm3Hex
{
    public static string Of(ReadOnlySpan<byte> data)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(data);
        var hash = new byte[32];
        digest.DoFinal(hash, 0);
        return Convert.ToHexStringLower(hash);
    }

    public static async Task<string> OfAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var digest = new SM3Digest();
        var buffer = new byte[128 * 1024];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            digest.BlockUpdate(buffer, 0, read);
        }

        var hash = new byte[32];
        digest.DoFinal(hash, 0);
        return Convert.ToHexStringLower(hash);
    }
}

using Org.BouncyCastle.Crypto.Digests;

namespace Trading.Workflow.Domain.Trail;

/// <summary>SM3 (GB/T 32905-2016), the 256-bit hash of the GM/T suite; .NET has none of its own.</summary>
public static class Sm3
{
    public const int HashSize = 32;

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(data);
        var hash = new byte[HashSize];
        digest.DoFinal(hash);
        return hash;
    }

    /// <summary>Hashes a stream without loading it into memory (documents can be gigabytes).</summary>
    public static async Task<byte[]> HashAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var digest = new SM3Digest();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            digest.BlockUpdate(buffer, 0, read);
        }

        var hash = new byte[HashSize];
        digest.DoFinal(hash, 0);
        return hash;
    }
}

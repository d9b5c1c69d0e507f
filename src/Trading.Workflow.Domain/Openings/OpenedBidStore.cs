using Trading.Workflow.Domain.SealedBids.Crypto;

namespace Trading.Workflow.Domain.Openings;

/// <summary>The folder decrypted bid items are kept in (resolved by the host; see <see cref="OpeningOptions.PlaintextFolder"/>).</summary>
public sealed record OpenedBidStorage(string Root);

/// <summary>What decrypting one item found.</summary>
/// <param name="CiphertextSm3">SM3 of the ciphertext as read from the store.</param>
/// <param name="PlaintextSm3">SM3 of the plaintext written (meaningless when <paramref name="PaddingFailed"/>).</param>
/// <param name="PaddingFailed">The SM4 padding did not hold: a wrong key, or a damaged ciphertext (told apart by <paramref name="CiphertextSm3"/>).</param>
public sealed record ItemDecryption(string CiphertextSm3, string PlaintextSm3, long PlaintextLength, bool PaddingFailed = false);

/// <summary>
/// Decrypted bid items on disk, named by their plaintext SM3 in two levels of folders. An item is written to a
/// temporary file while it is decrypted and hashed, and moved into place only when its digests matched the manifest.
/// </summary>
public sealed class OpenedBidStore(OpenedBidStorage storage)
{
    private const int Block = 128 * 1024;

    public string Root { get; } = Path.GetFullPath(storage.Root);

    /// <summary>A temporary file for one item's plaintext (the caller deletes it or <see cref="Keep"/>s it).</summary>
    public string TemporaryPath()
    {
        var folder = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, Guid.NewGuid().ToString("N"));
    }

    /// <summary>Moves a verified plaintext into place under its SM3 (the same bytes are kept once).</summary>
    public void Keep(string temporaryPath, string plaintextSm3)
    {
        var target = PathOf(plaintextSm3);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            File.Delete(temporaryPath);
            return;
        }

        try
        {
            File.Move(temporaryPath, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(temporaryPath);
        }
    }

    public Stream OpenRead(string plaintextSm3) =>
        new FileStream(PathOf(plaintextSm3), FileMode.Open, FileAccess.Read, FileShare.Read, Block, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public bool Exists(string plaintextSm3) => File.Exists(PathOf(plaintextSm3));

    private string PathOf(string sm3)
    {
        if (sm3.Length != 64 || !sm3.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"'{sm3}' is not an SM3 digest.", nameof(sm3));
        }

        return Path.Combine(Root, sm3[..2], sm3[2..4], sm3);
    }

    /// <summary>
    /// SM4-CBC decryption (BouncyCastle) of a stored item — a 16-byte IV, then the ciphertext with PKCS#7 padding —
    /// streamed: the ciphertext's and the plaintext's SM3 are computed on the way, so a 20 MB item is read once and
    /// never held whole in memory. The whole ciphertext is always read and hashed, so a damaged file (the platform's
    /// fault) is told from a wrong key (the bidder's): a wrong key fails the padding (<see cref="ItemDecryption.PaddingFailed"/>)
    /// in all but about 1 in 256 cases, which end as a plaintext digest mismatch.
    /// </summary>
    public static async Task<ItemDecryption> DecryptAsync(Stream ciphertext, byte[] contentKey, Stream plaintext, CancellationToken cancellationToken)
    {
        var result = await Sm4Cbc.DecryptAndDigestAsync(contentKey, ciphertext, plaintext, cancellationToken);
        return new ItemDecryption(result.CiphertextSm3, result.PlaintextSm3, result.PlaintextLength, result.PaddingFailed);
    }
}

using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Paddings;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Trading.Workflow.Domain.SealedBids.Crypto;

/// <summary>What a streamed decryption produced: the plaintext's SM3 (hex) and length.</summary>
public sealed record Sm4Plaintext(string Sm3, long Length);

/// <summary>A streamed decryption that does not throw: both SM3s (hex), the plaintext's length, and whether the padding failed.</summary>
public sealed record Sm4Decryption(string CiphertextSm3, string PlaintextSm3, long PlaintextLength, bool PaddingFailed);

/// <summary>
/// SM4 (GM/T 0002) in CBC mode with PKCS#7 padding, the file format of a sealed bid item: a random 16-byte IV followed
/// by the ciphertext (as the browser writes it with sm-crypto's <c>sm4.encrypt(data, key, { mode: 'cbc', iv })</c>).
/// A wrong key or damaged ciphertext throws <see cref="InvalidCipherTextException"/> (the padding does not check out).
/// </summary>
public static class Sm4Cbc
{
    public const int KeyBytes = 16;
    public const int BlockBytes = 16;
    private const int Buffer = 128 * 1024;
    private static readonly SecureRandom Random = new();

    /// <summary>A fresh random content key.</summary>
    public static byte[] NewKey()
    {
        var key = new byte[KeyBytes];
        Random.NextBytes(key);
        return key;
    }

    /// <summary>Encrypts under <paramref name="key"/> with a fresh random IV; returns IV || ciphertext.</summary>
    public static byte[] Encrypt(byte[] key, ReadOnlySpan<byte> plaintext)
    {
        var iv = new byte[BlockBytes];
        Random.NextBytes(iv);
        var cipher = Cipher(true, key, iv);
        var output = new byte[BlockBytes + cipher.GetOutputSize(plaintext.Length)];
        iv.CopyTo(output, 0);
        var length = cipher.ProcessBytes(plaintext, output.AsSpan(BlockBytes));
        length += cipher.DoFinal(output.AsSpan(BlockBytes + length));
        return output[..(BlockBytes + length)];
    }

    /// <summary>Decrypts IV || ciphertext.</summary>
    public static byte[] Decrypt(byte[] key, ReadOnlySpan<byte> ivAndCiphertext)
    {
        CheckLength(ivAndCiphertext.Length);
        var cipher = Cipher(false, key, ivAndCiphertext[..BlockBytes].ToArray());
        var body = ivAndCiphertext[BlockBytes..];
        var output = new byte[cipher.GetOutputSize(body.Length)];
        var length = cipher.ProcessBytes(body, output);
        length += cipher.DoFinal(output.AsSpan(length));
        return output[..length];
    }

    /// <summary>
    /// Decrypts IV || ciphertext from <paramref name="source"/> into <paramref name="destination"/> (which may be
    /// <see cref="Stream.Null"/> to only check), never holding the file in memory, and digests the plaintext.
    /// A wrong key or damaged ciphertext throws <see cref="InvalidCipherTextException"/>.
    /// </summary>
    public static async Task<Sm4Plaintext> DecryptAsync(byte[] key, Stream source, Stream destination, CancellationToken cancellationToken = default)
    {
        var result = await DecryptAndDigestAsync(key, source, destination, cancellationToken);
        return result.PaddingFailed
            ? throw new InvalidCipherTextException("The SM4 ciphertext does not decrypt under this key (padding or length does not check out).")
            : new Sm4Plaintext(result.PlaintextSm3, result.PlaintextLength);
    }

    /// <summary>
    /// Like <see cref="DecryptAsync"/>, but reads the whole source whatever happens and digests the ciphertext too, and
    /// reports a failed padding instead of throwing: an opening tells damaged storage (the ciphertext's SM3) apart from
    /// a wrong key (the padding) that way.
    /// </summary>
    public static async Task<Sm4Decryption> DecryptAndDigestAsync(byte[] key, Stream source, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var cipherDigest = new SM3Digest();
        var plainDigest = new SM3Digest();
        var iv = new byte[BlockBytes];
        var ivRead = await source.ReadAtLeastAsync(iv, BlockBytes, throwOnEndOfStream: false, cancellationToken);
        cipherDigest.BlockUpdate(iv, 0, ivRead);
        if (ivRead < BlockBytes)
        {
            return new Sm4Decryption(Final(cipherDigest), Final(plainDigest), 0, PaddingFailed: true);
        }

        var cipher = Cipher(false, key, iv);
        var input = new byte[Buffer];
        var output = new byte[Buffer + 2 * BlockBytes];
        long length = 0;
        int read;
        while ((read = await source.ReadAsync(input, cancellationToken)) > 0)
        {
            cipherDigest.BlockUpdate(input, 0, read);
            var produced = cipher.ProcessBytes(input, 0, read, output, 0);
            if (produced > 0)
            {
                plainDigest.BlockUpdate(output, 0, produced);
                await destination.WriteAsync(output.AsMemory(0, produced), cancellationToken);
                length += produced;
            }
        }

        int last;
        try
        {
            last = cipher.DoFinal(output, 0);
        }
        catch (Exception e) when (e is InvalidCipherTextException or DataLengthException)
        {
            return new Sm4Decryption(Final(cipherDigest), Final(plainDigest), length, PaddingFailed: true);
        }

        plainDigest.BlockUpdate(output, 0, last);
        await destination.WriteAsync(output.AsMemory(0, last), cancellationToken);
        return new Sm4Decryption(Final(cipherDigest), Final(plainDigest), length + last, PaddingFailed: false);
    }

    /// <summary>Whether a length can be IV || SM4-CBC ciphertext: at least two blocks, whole blocks.</summary>
    public static bool IsCiphertextLength(long length) => length >= 2 * BlockBytes && length % BlockBytes == 0;

    private static void CheckLength(long length)
    {
        if (!IsCiphertextLength(length))
        {
            throw new InvalidCipherTextException($"{length} bytes are not an IV and whole SM4 blocks.");
        }
    }

    private static PaddedBufferedBlockCipher Cipher(bool encrypt, byte[] key, byte[] iv)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != KeyBytes)
        {
            throw new ArgumentException($"An SM4 key has {KeyBytes} bytes.", nameof(key));
        }

        var cipher = new PaddedBufferedBlockCipher(new CbcBlockCipher(new SM4Engine()), new Pkcs7Padding());
        cipher.Init(encrypt, new ParametersWithIV(new KeyParameter(key), iv));
        return cipher;
    }

    private static string Final(SM3Digest digest)
    {
        var hash = new byte[32];
        digest.DoFinal(hash, 0);
        return Convert.ToHexStringLower(hash);
    }
}

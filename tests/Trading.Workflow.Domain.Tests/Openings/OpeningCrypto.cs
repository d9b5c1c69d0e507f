using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Paddings;
using Org.BouncyCastle.Crypto.Parameters;

namespace Trading.Workflow.Domain.Tests.Openings;

/// <summary>The bidder's side of a sealed item, as the browser does it: SM4-CBC, random IV first, PKCS#7 (BouncyCastle here).</summary>
internal static class OpeningCrypto
{
    public static byte[] Encrypt(byte[] key, byte[] plaintext)
    {
        var iv = RandomNumberGenerator.GetBytes(16);
        var cipher = new PaddedBufferedBlockCipher(new CbcBlockCipher(new SM4Engine()), new Pkcs7Padding());
        cipher.Init(true, new ParametersWithIV(new KeyParameter(key), iv));
        var output = new byte[cipher.GetOutputSize(plaintext.Length)];
        var length = cipher.ProcessBytes(plaintext, 0, plaintext.Length, output, 0);
        length += cipher.DoFinal(output, length);
        return [.. iv, .. output.AsSpan(0, length)];
    }

    public static string Sm3(byte[] data) => Convert.ToHexStringLower(Domain.Trail.Sm3.Hash(data));
}

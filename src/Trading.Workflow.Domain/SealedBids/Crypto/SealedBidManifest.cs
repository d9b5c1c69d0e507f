using System.Globalization;
using System.Text;

namespace Trading.Workflow.Domain.SealedBids.Crypto;

/// <summary>One item as the bidder signs it: name, kind, digests (SM3 hex) and sizes of plaintext and ciphertext.</summary>
public sealed record ManifestItem(string Name, SealedBidItemKind Kind, string PlaintextSm3, string CiphertextSm3, long PlaintextSize, long CiphertextSize);

/// <summary>
/// The canonical manifest a bidder signs (SM2 with SM3, default user id), the same text in the browser
/// (ClientApp <c>sealed-bid/manifest.js</c>) and here. UTF-8, lines ended by "\n", every value lower-case, the
/// item name as hex of its UTF-8 bytes so no name can break the format:
/// <code>
/// tw-sealed-bid/1
/// section:{sectionId:D}
/// entity:{entityId:D}
/// version:{n}
/// wrapped-key:{hex}
/// item:{kind}|{nameHex}|{plaintextSm3}|{ciphertextSm3}|{plaintextSize}|{ciphertextSize}   (one line per item, in order)
/// </code>
/// </summary>
public sealed record SealedBidManifest(Guid SectionId, Guid EntityId, int Version, string WrappedKeyHex, IReadOnlyList<ManifestItem> Items)
{
    public const string Header = "tw-sealed-bid/1";

    public string Canonical()
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append("section:").Append(SectionId.ToString("D")).Append('\n');
        text.Append("entity:").Append(EntityId.ToString("D")).Append('\n');
        text.Append("version:").Append(Version.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("wrapped-key:").Append(WrappedKeyHex.ToLowerInvariant()).Append('\n');
        foreach (var item in Items)
        {
            text.Append("item:")
                .Append(KindCode(item.Kind)).Append('|')
                .Append(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(item.Name))).Append('|')
                .Append(item.PlaintextSm3.ToLowerInvariant()).Append('|')
                .Append(item.CiphertextSm3.ToLowerInvariant()).Append('|')
                .Append(item.PlaintextSize.ToString(CultureInfo.InvariantCulture)).Append('|')
                .Append(item.CiphertextSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>SM3 of the canonical text (hex).</summary>
    public string Digest() => Sm3Hex.Of(Encoding.UTF8.GetBytes(Canonical()));

    /// <summary>Whether <paramref name="signatureHex"/> is the key's signature of this manifest.</summary>
    public bool IsSignedBy(string publicKeyHex, string signatureHex) => Sm2.Verify(publicKeyHex, Canonical(), signatureHex);

    public static string KindCode(SealedBidItemKind kind) => kind switch
    {
        SealedBidItemKind.BidLetter => "bid-letter",
        SealedBidItemKind.Document => "document",
        SealedBidItemKind.BillOfQuantities => "bill-of-quantities",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

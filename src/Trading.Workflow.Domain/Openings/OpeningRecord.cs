using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trading.Workflow.Domain.Openings;

/// <summary>One line of the opening record: what a decrypted bid letter says, and the bidder's deposit state.</summary>
public sealed record OpeningRecordEntry(
    int Order, Guid EntityId, string Bidder, string Price, int DurationDays, string Quality, string Remarks, string Deposit);

/// <summary>
/// The content of an opening record (开标记录), built from the decrypted bid letters only — nobody types it. Its
/// canonical form (<see cref="ToCanonicalJson"/>) is what is hashed (SM3) and signed (SM2) by the platform.
/// </summary>
public sealed record OpeningRecordContent(
    Guid SessionId, string ProjectCode, string ProjectName, string SectionCode, string SectionSubject,
    DateTimeOffset Deadline, DateTimeOffset ClosedAt, int BidCount, int NotOpened, IReadOnlyList<OpeningRecordEntry> Entries)
{
    private static readonly JsonSerializerOptions Canonical = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        Converters = { new UtcConverter() },
    };

    /// <summary>
    /// Builds the record from the settled bids: the decrypted ones in the order they arrived at the server, each with
    /// its letter's price, duration and quality, and the deposit state the deposits part reports for its bidder.
    /// </summary>
    public static OpeningRecordContent Build(OpeningSession session, IReadOnlyList<OpeningBid> bids, IReadOnlyDictionary<Guid, string> depositStates)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(bids);
        ArgumentNullException.ThrowIfNull(depositStates);
        if (session.State != OpeningState.Closed || session.ClosedAt is not { } closedAt)
        {
            throw new DomainRuleException(OpeningRules.NotClosed, "The opening record is built when the session closes.");
        }

        var opened = bids.Where(b => b.State == OpeningBidState.Decrypted && b.Letter is not null)
            .OrderBy(b => b.ArrivedAt).ThenBy(b => b.BidId)
            .Select((b, i) => new OpeningRecordEntry(
                i + 1, b.EntityId, b.EntityName, b.Letter!.Price.ToString("F2", CultureInfo.InvariantCulture), b.Letter.DurationDays, b.Letter.Quality,
                b.Letter.Remarks, depositStates.GetValueOrDefault(b.EntityId, "None")))
            .ToList();
        return new OpeningRecordContent(
            session.Id, session.ProjectCode, session.ProjectName, session.SectionCode, session.SectionSubject,
            session.Deadline, closedAt, session.BidCount, bids.Count(b => b.State != OpeningBidState.Decrypted), opened);
    }

    public string ToCanonicalJson() => JsonSerializer.Serialize(this, Canonical);

    public static OpeningRecordContent FromJson(string json) =>
        JsonSerializer.Deserialize<OpeningRecordContent>(json, Canonical) ?? throw new JsonException("Not an opening record.");

    private sealed class UtcConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// The signed opening record of a session (tr_opening_records): its canonical JSON, the SM3 of that JSON, the
/// platform's SM2 signature over it, the public key to check it with, and the portal notice it was published as.
/// </summary>
public sealed class OpeningRecord
{
    private OpeningRecord()
    {
    }

    public Guid SessionId { get; private set; }

    public string ContentJson { get; private set; } = string.Empty;

    /// <summary>Lower-case hex SM3 of the UTF-8 canonical JSON.</summary>
    public string Sm3 { get; private set; } = string.Empty;

    /// <summary>The platform's SM2 signature (r||s hex) over the UTF-8 canonical JSON.</summary>
    public string Signature { get; private set; } = string.Empty;

    public string PublicKeyHex { get; private set; } = string.Empty;

    public string KeyFingerprint { get; private set; } = string.Empty;

    public DateTimeOffset SignedAt { get; private set; }

    public Guid? NoticeId { get; private set; }

    public OpeningRecordContent Content => OpeningRecordContent.FromJson(ContentJson);

    public static byte[] BytesOf(OpeningRecordContent content) => Encoding.UTF8.GetBytes(content.ToCanonicalJson());

    public static OpeningRecord Signed(OpeningRecordContent content, string signatureHex, PlatformPublicKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(key);
        var json = content.ToCanonicalJson();
        return new OpeningRecord
        {
            SessionId = content.SessionId,
            ContentJson = json,
            Sm3 = Convert.ToHexStringLower(Trail.Sm3.Hash(Encoding.UTF8.GetBytes(json))),
            Signature = signatureHex,
            PublicKeyHex = key.PublicKeyHex,
            KeyFingerprint = key.Fingerprint,
            SignedAt = now,
        };
    }

    /// <summary>Whether the stored JSON still hashes to <see cref="Sm3"/> and the signature verifies with <see cref="PublicKeyHex"/>.</summary>
    public bool Verify()
    {
        var bytes = Encoding.UTF8.GetBytes(ContentJson);
        return string.Equals(Convert.ToHexStringLower(Trail.Sm3.Hash(bytes)), Sm3, StringComparison.Ordinal)
               && PlatformSigner.Verify(PublicKeyHex, bytes, Signature);
    }

    internal void PublishedAs(Guid noticeId) => NoticeId = noticeId;
}

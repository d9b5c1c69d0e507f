namespace Trading.Workflow.Domain.SealedBids;

public enum SealedBidState
{
    /// <summary>Received and verified; the version that counts.</summary>
    Submitted,

    /// <summary>A newer version replaced it before the deadline.</summary>
    Replaced,

    /// <summary>The bidder withdrew it before the deadline.</summary>
    Withdrawn,

    /// <summary>Decrypted at the opening, every plaintext digest matching the signed manifest.</summary>
    Opened,

    /// <summary>Decryption at the opening failed (the cause is recorded).</summary>
    DecryptFailed,
}

public enum SealedBidItemKind
{
    /// <summary>投标函: UTF-8 JSON { price, durationDays, quality, remarks }; the opening record is built from it.</summary>
    BidLetter,
    Document,
    BillOfQuantities,
}

/// <summary>
/// One version of one participation's sealed bid (tr_sealed_bids): only ciphertext documents, the SM2-wrapped SM4
/// content key, the bidder's SM2 signature over the canonical manifest (<see cref="Crypto.SealedBidManifest"/>), the
/// server's arrival time and the receipt digest. Nothing here can be read before the opening without the bidder's
/// private key.
/// </summary>
public sealed class SealedBid
{
    private readonly List<SealedBidItem> _items = [];

    public SealedBid(
        Guid id, Guid participationId, Guid projectId, Guid sectionId, Guid entityId, int version, Guid bidderKeyId,
        string wrappedKeyHex, string signatureHex, string manifestSm3, DateTimeOffset arrivedAt, string receiptDigest, string submittedBy,
        IEnumerable<SealedBidItem> items, string? clientAddress = null)
    {
        Id = id;
        ParticipationId = participationId;
        ProjectId = projectId;
        SectionId = sectionId;
        EntityId = entityId;
        Version = version;
        BidderKeyId = bidderKeyId;
        WrappedKeyHex = wrappedKeyHex;
        SignatureHex = signatureHex;
        ManifestSm3 = manifestSm3;
        ArrivedAt = arrivedAt;
        ReceiptDigest = receiptDigest;
        SubmittedBy = submittedBy;
        ClientAddress = clientAddress;
        State = SealedBidState.Submitted;
        _items.AddRange(items);
    }

    private SealedBid()
    {
        WrappedKeyHex = SignatureHex = ManifestSm3 = ReceiptDigest = SubmittedBy = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid ParticipationId { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid SectionId { get; private set; }

    public Guid EntityId { get; private set; }

    /// <summary>1 for the first submission, +1 for each replacement.</summary>
    public int Version { get; private set; }

    /// <summary>The bidder key (tr_bidder_keys) the signature and the wrapped key are for.</summary>
    public Guid BidderKeyId { get; private set; }

    /// <summary>The 16-byte SM4 content key, SM2-encrypted to the bidder's public key (C1C3C2 hex, sm-crypto form).</summary>
    public string WrappedKeyHex { get; private set; }

    /// <summary>SM2 signature (r||s hex) of the canonical manifest.</summary>
    public string SignatureHex { get; private set; }

    /// <summary>SM3 of the canonical manifest (hex).</summary>
    public string ManifestSm3 { get; private set; }

    /// <summary>The server's clock when the submission arrived.</summary>
    public DateTimeOffset ArrivedAt { get; private set; }

    /// <summary>SM3 (hex) of the receipt text: manifest digest, signature and arrival time (see <see cref="SealedBidReceipt"/>).</summary>
    public string ReceiptDigest { get; private set; }

    public string SubmittedBy { get; private set; }

    /// <summary>The address the submission came from, as the web host saw it (null when unknown, e.g. before it was recorded); a collusion indicator.</summary>
    public string? ClientAddress { get; private set; }

    public SealedBidState State { get; private set; }

    public DateTimeOffset? StateChangedAt { get; private set; }

    public string? StateChangedBy { get; private set; }

    /// <summary>Why decryption failed (DecryptFailed), in English for the record.</summary>
    public string? FailureCause { get; private set; }

    /// <summary>Whose fault a failed decryption was: "bidder" or "platform" (电子招标投标办法 31).</summary>
    public string? FailureFault { get; private set; }

    /// <summary>Withdrawn bids: the day the deposit refund is due (5 日 after the withdrawal, 条例 35, on the platform calendar).</summary>
    public DateTimeOffset? RefundDueAt { get; private set; }

    public IReadOnlyList<SealedBidItem> Items => _items;

    internal void MarkReplaced(DateTimeOffset at, string by) => Move(SealedBidState.Replaced, at, by, SealedBidState.Submitted);

    internal void MarkWithdrawn(DateTimeOffset at, string by, DateTimeOffset refundDueAt)
    {
        Move(SealedBidState.Withdrawn, at, by, SealedBidState.Submitted);
        RefundDueAt = refundDueAt;
    }

    /// <summary>Decrypted at the opening with every digest matching (Openings calls it).</summary>
    public void MarkOpened(DateTimeOffset at, string by) => Move(SealedBidState.Opened, at, by, SealedBidState.Submitted);

    /// <summary>Decryption failed at the opening (Openings calls it), with the cause and whose fault it was.</summary>
    public void MarkDecryptFailed(DateTimeOffset at, string by, string cause, string fault)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cause);
        Move(SealedBidState.DecryptFailed, at, by, SealedBidState.Submitted);
        FailureCause = cause;
        FailureFault = fault;
    }

    private void Move(SealedBidState to, DateTimeOffset at, string by, SealedBidState from)
    {
        if (State != from)
        {
            throw new DomainRuleException(SealedBidRules.NotSubmitted, $"The bid {Id} (version {Version}) is {State}, not {from}.");
        }

        State = to;
        StateChangedAt = at;
        StateChangedBy = by;
    }
}

/// <summary>One encrypted file of a sealed bid (tr_sealed_bid_items): IV || SM4-CBC ciphertext stored as a document.</summary>
public sealed class SealedBidItem
{
    public SealedBidItem(Guid id, int position, string name, SealedBidItemKind kind, Guid ciphertextDocumentId, string ciphertextSm3, string plaintextSm3, long plaintextSize, long ciphertextSize)
    {
        Id = id;
        Position = position;
        Name = name;
        Kind = kind;
        CiphertextDocumentId = ciphertextDocumentId;
        CiphertextSm3 = ciphertextSm3;
        PlaintextSm3 = plaintextSm3;
        PlaintextSize = plaintextSize;
        CiphertextSize = ciphertextSize;
    }

    private SealedBidItem()
    {
        Name = CiphertextSm3 = PlaintextSm3 = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid SealedBidId { get; private set; }

    /// <summary>Order in the manifest, from 0.</summary>
    public int Position { get; private set; }

    /// <summary>The plaintext file's name (the bidder's; signed in the manifest).</summary>
    public string Name { get; private set; }

    public SealedBidItemKind Kind { get; private set; }

    /// <summary>The ciphertext document (tr_documents).</summary>
    public Guid CiphertextDocumentId { get; private set; }

    public string CiphertextSm3 { get; private set; }

    public string PlaintextSm3 { get; private set; }

    public long PlaintextSize { get; private set; }

    public long CiphertextSize { get; private set; }
}

/// <summary>
/// A bidder entity's SM2 public key (tr_bidder_keys). The private key never reaches the server (demo keys aside: see
/// <see cref="DemoKeyFile"/>). One key in force per entity; a new one revokes the previous.
/// </summary>
public sealed class BidderKey
{
    public BidderKey(Guid id, Guid entityId, string publicKeyHex, string fingerprint, DateTimeOffset createdAt, string createdBy, string? demoKeyFile = null)
    {
        Id = id;
        EntityId = entityId;
        PublicKeyHex = publicKeyHex;
        Fingerprint = fingerprint;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
        DemoKeyFile = demoKeyFile;
    }

    private BidderKey()
    {
        PublicKeyHex = Fingerprint = CreatedBy = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid EntityId { get; private set; }

    /// <summary>Uncompressed point 04||X||Y, 130 lower-case hex digits.</summary>
    public string PublicKeyHex { get; private set; }

    /// <summary>SM3 of the public key bytes (hex).</summary>
    public string Fingerprint { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>
    /// Demo data only: the passphrase-protected key file (JSON) the demo step created, so the demo bidders can download
    /// it. Null for every real key: the server never holds a private key.
    /// </summary>
    public string? DemoKeyFile { get; private set; }

    public bool IsDemo => DemoKeyFile is not null;

    public bool InForce => RevokedAt is null;

    internal void Revoke(DateTimeOffset at) => RevokedAt ??= at;
}

/// <summary>
/// The bid deadline of a section as the sealed-bid part holds it (tr_sealed_bid_windows), set by the trade slice
/// through <see cref="SealedBidService.SetDeadlineAsync"/>. Submissions, replacements and withdrawals after it are refused
/// by the server clock.
/// </summary>
public sealed class SealedBidWindow
{
    public SealedBidWindow(Guid sectionId, Guid projectId, DateTimeOffset deadline, DateTimeOffset setAt, string setBy)
    {
        SectionId = sectionId;
        ProjectId = projectId;
        Deadline = deadline;
        SetAt = setAt;
        SetBy = setBy;
    }

    private SealedBidWindow()
    {
        SetBy = string.Empty;
    }

    public Guid SectionId { get; private set; }

    public Guid ProjectId { get; private set; }

    public DateTimeOffset Deadline { get; private set; }

    public DateTimeOffset SetAt { get; private set; }

    public string SetBy { get; private set; }

    public bool IsOpenAt(DateTimeOffset now) => now < Deadline;

    internal void Move(DateTimeOffset deadline, DateTimeOffset at, string by)
    {
        Deadline = deadline;
        SetAt = at;
        SetBy = by;
    }
}

/// <summary>Rule codes of sealed bids; the web maps each to a message in Chinese and English.</summary>
public static class SealedBidRules
{
    public const string NoWindow = "SealedBid.NoWindow";
    public const string DeadlinePassed = "SealedBid.DeadlinePassed";
    public const string NotParticipating = "SealedBid.NotParticipating";
    public const string NoKey = "SealedBid.NoKey";
    public const string KeyInvalid = "SealedBid.KeyInvalid";
    public const string SignatureInvalid = "SealedBid.SignatureInvalid";
    public const string NotEncrypted = "SealedBid.NotEncrypted";
    public const string DigestMismatch = "SealedBid.DigestMismatch";
    public const string DocumentInvalid = "SealedBid.DocumentInvalid";
    public const string NoBidLetter = "SealedBid.NoBidLetter";
    public const string ManifestInvalid = "SealedBid.ManifestInvalid";
    public const string VersionConflict = "SealedBid.VersionConflict";
    public const string NotSubmitted = "SealedBid.NotSubmitted";
    public const string NoBid = "SealedBid.NoBid";
    public const string DeadlineInvalid = "SealedBid.DeadlineInvalid";
}

using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.SealedBids;

/// <summary>One file of a submission: what the browser encrypted and uploaded, as the bidder signed it.</summary>
public sealed record SealedBidSubmissionItem(
    string Name, SealedBidItemKind Kind, Guid CiphertextDocumentId, string PlaintextSm3, string CiphertextSm3, long PlaintextSize, long CiphertextSize);

/// <summary>What the browser submits once every ciphertext is uploaded: the wrapped key, the items and the signature.</summary>
public sealed record SealedBidSubmission(
    Guid SectionId, Guid EntityId, int Version, string WrappedKeyHex, string SignatureHex, IReadOnlyList<SealedBidSubmissionItem> Items)
{
    public SealedBidManifest Manifest() => new(SectionId, EntityId, Version, WrappedKeyHex,
        [.. Items.Select(i => new ManifestItem(i.Name, i.Kind, i.PlaintextSm3, i.CiphertextSm3, i.PlaintextSize, i.CiphertextSize))]);
}

/// <summary>
/// The receipt (回执) of a submission: the server's arrival time and the digests. <see cref="Digest"/> is SM3 of
/// <see cref="Text"/>, kept on the bid, so a receipt the bidder keeps can be checked against the platform's row.
/// </summary>
public sealed record SealedBidReceipt(Guid BidId, Guid SectionId, Guid EntityId, int Version, DateTimeOffset ArrivedAt, string ManifestSm3, string SignatureHex)
{
    public string Text =>
        "tw-sealed-bid-receipt/1\n" +
        $"bid:{BidId:D}\nsection:{SectionId:D}\nentity:{EntityId:D}\nversion:{Version.ToString(CultureInfo.InvariantCulture)}\n" +
        $"arrived:{ArrivedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)}\n" +
        $"manifest-sm3:{ManifestSm3}\nsignature:{SignatureHex}\n";

    public string Digest => Sm3Hex.Of(Encoding.UTF8.GetBytes(Text));

    public static SealedBidReceipt Of(SealedBid bid)
    {
        ArgumentNullException.ThrowIfNull(bid);
        return new(bid.Id, bid.SectionId, bid.EntityId, bid.Version, bid.ArrivedAt, bid.ManifestSm3, bid.SignatureHex);
    }
}

/// <summary>
/// Sealed bids: the section's bid window, bidder keys, submission (verified: signature, ciphertext digests and sizes
/// against the stored documents, ciphertext only), replacement and withdrawal before the deadline by the server clock.
/// Trail actions <c>sealedbids.window.set</c>, <c>sealedbids.key.registered</c>, <c>sealedbids.bid.submitted|replaced|withdrawn</c>
/// with data <c>{ projectId, sectionId, entityId, participationId, bidId, version }</c>. Methods taking a
/// <see cref="TradingDbContext"/> work in the caller's transaction; the others open their own.
/// </summary>
public sealed class SealedBidService(ITradingDatabase database, IAuditTrail trail, TimeProvider time, IServiceProvider services)
{
    /// <summary>The deposit refund after a withdrawal before the deadline is due within 5 日 (条例 35).</summary>
    public const int RefundDays = 5;

    /// <summary>The reason of the scheduled refund a withdrawal leaves with the deposits part.</summary>
    public const string WithdrawalRefundReason = "bid-withdrawn";

    /// <summary>Longest client address kept (an IPv6 address with a zone fits).</summary>
    public const int MaxClientAddressLength = 64;

    private IBusinessCalendar Calendar => services.GetService<IBusinessCalendar>() ?? BusinessCalendar.Official;

    // ---------------------------------------------------------------- the window

    /// <summary>Sets (or moves) the section's bid deadline; the trade slice calls it when the deadline is fixed or extended.</summary>
    public async Task<SealedBidWindow> SetDeadlineAsync(TradingDbContext db, Guid sectionId, DateTimeOffset deadline, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var section = await db.Set<Section>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == sectionId, cancellationToken)
            ?? throw new DomainRuleException(SealedBidRules.NoWindow, $"No section {sectionId}.");
        var now = time.GetUtcNow();
        var utc = deadline.ToUniversalTime();
        var window = await db.Set<SealedBidWindow>().FirstOrDefaultAsync(w => w.SectionId == sectionId, cancellationToken);
        var previous = window?.Deadline;
        if (window is null)
        {
            window = new SealedBidWindow(sectionId, section.ProjectId, utc, now, actor);
            db.Add(window);
        }
        else
        {
            window.Move(utc, now, actor);
        }

        await trail.AppendAsync(db, new AuditRecord(actor, await CentreOfAsync(db, section.ProjectId, cancellationToken), "section", sectionId.ToString(), "sealedbids.window.set",
            new { projectId = section.ProjectId, sectionId, deadline = utc, previousDeadline = previous }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return window;
    }

    /// <summary><see cref="SetDeadlineAsync(TradingDbContext, Guid, DateTimeOffset, string, CancellationToken)"/> in a transaction of its own.</summary>
    public async Task<SealedBidWindow> SetDeadlineAsync(Guid sectionId, DateTimeOffset deadline, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var window = await SetDeadlineAsync(db, sectionId, deadline, actor, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return window;
    }

    public async Task<SealedBidWindow?> FindWindowAsync(Guid sectionId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<SealedBidWindow>().AsNoTracking().FirstOrDefaultAsync(w => w.SectionId == sectionId, cancellationToken);
    }

    // ---------------------------------------------------------------- bidder keys

    /// <summary>
    /// Registers the entity's SM2 public key (made in the browser), revoking the one in force. <paramref name="demoKeyFile"/>
    /// only from the demo data step.
    /// </summary>
    public async Task<BidderKey> RegisterKeyAsync(Guid entityId, string publicKeyHex, string actor, string? demoKeyFile = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var hex = (publicKeyHex ?? string.Empty).Trim().ToLowerInvariant();
        if (!Sm2.IsValidPublicKey(hex))
        {
            throw new DomainRuleException(SealedBidRules.KeyInvalid, "The public key is not an uncompressed SM2 point (04||X||Y, 130 hex digits).");
        }

        var now = time.GetUtcNow();
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var old in await db.Set<BidderKey>().Where(k => k.EntityId == entityId && k.RevokedAt == null).ToListAsync(cancellationToken))
        {
            old.Revoke(now);
        }

        var key = new BidderKey(Guid.NewGuid(), entityId, hex, Sm2.Fingerprint(hex), now, actor, demoKeyFile);
        db.Add(key);
        await trail.AppendAsync(db, new AuditRecord(actor, null, "bidder-key", key.Id.ToString(), "sealedbids.key.registered",
            new { entityId, keyId = key.Id, fingerprint = key.Fingerprint, demo = demoKeyFile is not null }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return key;
    }

    /// <summary>The entity's key in force, if any.</summary>
    public async Task<BidderKey?> CurrentKeyAsync(Guid entityId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await CurrentKeyAsync(db, entityId, cancellationToken);
    }

    public static Task<BidderKey?> CurrentKeyAsync(TradingDbContext db, Guid entityId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<BidderKey>().AsNoTracking().Where(k => k.EntityId == entityId && k.RevokedAt == null).OrderByDescending(k => k.CreatedAt).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<BidderKey?> FindKeyAsync(Guid keyId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<BidderKey>().AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken);
    }

    // ---------------------------------------------------------------- bids

    /// <summary>
    /// Receives a sealed bid (version 1) or its replacement (the next version; the previous one becomes Replaced), after
    /// checking, by the server clock at arrival: the window is open, the entity takes part (active participation), its
    /// key is in force and signed the canonical manifest, every item is a ciphertext document the actor uploaded for
    /// this section whose stored SM3 and size are the manifest's, there is one bid letter. Returns the receipt.
    /// </summary>
    public Task<SealedBidReceipt> SubmitAsync(SealedBidSubmission submission, string actor, CancellationToken cancellationToken = default) =>
        SubmitAsync(submission, actor, null, cancellationToken);

    /// <summary>
    /// <see cref="SubmitAsync(SealedBidSubmission, string, CancellationToken)"/>, recording the client address the web host
    /// saw the submission come from (kept on the bid for the collusion warnings; cut to <see cref="MaxClientAddressLength"/>).
    /// </summary>
    public async Task<SealedBidReceipt> SubmitAsync(SealedBidSubmission submission, string actor, string? clientAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        CheckShape(submission);
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var (participation, centreId) = await OpenForAsync(db, submission.SectionId, submission.EntityId, now, cancellationToken);
        // A bar recorded after the entity joined the section stops its next bid (取消投标资格, 条例 67-68).
        await CreditService.RequireNotBarredAsync(db, submission.EntityId, now, cancellationToken);
        var key = await CurrentKeyAsync(db, submission.EntityId, cancellationToken)
            ?? throw new DomainRuleException(SealedBidRules.NoKey, "The entity has no bidder key registered.");

        var bids = await db.Set<SealedBid>().Where(b => b.ParticipationId == participation.Id).ToListAsync(cancellationToken);
        var expected = bids.Count == 0 ? 1 : bids.Max(b => b.Version) + 1;
        if (submission.Version != expected)
        {
            throw new DomainRuleException(SealedBidRules.VersionConflict, $"The next version of this bid is {expected}, not {submission.Version}.");
        }

        await CheckDocumentsAsync(db, submission, actor, cancellationToken);
        var manifest = submission.Manifest();
        if (!manifest.IsSignedBy(key.PublicKeyHex, submission.SignatureHex.ToLowerInvariant()))
        {
            throw new DomainRuleException(SealedBidRules.SignatureInvalid, "The signature is not the entity's key's signature of this manifest.");
        }

        foreach (var current in bids.Where(b => b.State == SealedBidState.Submitted))
        {
            current.MarkReplaced(now, actor);
        }

        var id = Guid.NewGuid();
        var manifestSm3 = manifest.Digest();
        var signature = submission.SignatureHex.ToLowerInvariant();
        var receipt = new SealedBidReceipt(id, submission.SectionId, submission.EntityId, submission.Version, now, manifestSm3, signature);
        var bid = new SealedBid(id, participation.Id, participation.ProjectId, submission.SectionId, submission.EntityId, submission.Version, key.Id,
            submission.WrappedKeyHex.ToLowerInvariant(), signature, manifestSm3, now, receipt.Digest, actor,
            submission.Items.Select((item, position) => new SealedBidItem(Guid.NewGuid(), position, item.Name, item.Kind, item.CiphertextDocumentId,
                item.CiphertextSm3.ToLowerInvariant(), item.PlaintextSm3.ToLowerInvariant(), item.PlaintextSize, item.CiphertextSize)),
            string.IsNullOrWhiteSpace(clientAddress) ? null : clientAddress.Trim()[..Math.Min(clientAddress.Trim().Length, MaxClientAddressLength)]);
        db.Add(bid);
        await trail.AppendAsync(db, new AuditRecord(actor, centreId, "sealed-bid", id.ToString(),
            submission.Version == 1 ? "sealedbids.bid.submitted" : "sealedbids.bid.replaced",
            new
            {
                projectId = participation.ProjectId,
                sectionId = submission.SectionId,
                entityId = submission.EntityId,
                participationId = participation.Id,
                bidId = id,
                version = submission.Version,
                arrivedAt = now,
                manifestSm3,
                receiptDigest = receipt.Digest,
            }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        // The deadline is judged when the submission is complete and committed, by the server clock.
        if (!(await db.Set<SealedBidWindow>().AsNoTracking().FirstAsync(w => w.SectionId == submission.SectionId, cancellationToken)).IsOpenAt(time.GetUtcNow()))
        {
            throw new DomainRuleException(SealedBidRules.DeadlinePassed, "The bid deadline passed before the submission was complete.");
        }

        await tx.CommitAsync(cancellationToken);
        return receipt;
    }

    /// <summary>
    /// Withdraws the entity's bid before the deadline: the version in force becomes Withdrawn and the deposit refund is
    /// due within 5 日 on the platform calendar: recorded on the bid and in the trail, and, in the same transaction, a
    /// scheduled refund the deposits' refund timer carries out through the section's ledger
    /// (<see cref="DepositService.RunDueRefundsAsync"/>), so no refund is lost between the withdrawal and the bank.
    /// </summary>
    public async Task<SealedBid> WithdrawAsync(Guid sectionId, Guid entityId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var (participation, centreId) = await OpenForAsync(db, sectionId, entityId, now, cancellationToken);
        var bid = await db.Set<SealedBid>().Include(b => b.Items)
            .FirstOrDefaultAsync(b => b.ParticipationId == participation.Id && b.State == SealedBidState.Submitted, cancellationToken)
            ?? throw new DomainRuleException(SealedBidRules.NoBid, "The entity has no bid in force in this section.");
        var due = Calendar.AddCalendarDays(now, RefundDays).ToUniversalTime();
        bid.MarkWithdrawn(now, actor, due);
        await trail.AppendAsync(db, new AuditRecord(actor, centreId, "sealed-bid", bid.Id.ToString(), "sealedbids.bid.withdrawn",
            new { projectId = bid.ProjectId, sectionId, entityId, participationId = participation.Id, bidId = bid.Id, version = bid.Version, refundDueAt = due }), cancellationToken);

        // The refund is owed from this moment: written with the withdrawal, carried out by the deposits' refund timer.
        if (services.GetService<DepositService>() is { } deposits)
        {
            await deposits.ScheduleRefundAsync(db, sectionId, entityId, WithdrawalRefundReason, bid.Id, due, actor, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return bid;
    }

    /// <summary>Every version of the entity's bid in the section, newest first (with items).</summary>
    public async Task<IReadOnlyList<SealedBid>> ListVersionsAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var rows = await db.Set<SealedBid>().AsNoTracking().Include(b => b.Items)
            .Where(b => b.SectionId == sectionId && b.EntityId == entityId).ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(b => b.Version)];
    }

    /// <summary>
    /// The bid in force of each participation in the section (state Submitted, Opened or DecryptFailed), with items:
    /// what the opening works on. Withdrawn and replaced versions are left out.
    /// </summary>
    public static async Task<IReadOnlyList<SealedBid>> ListInForceAsync(TradingDbContext db, Guid sectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Set<SealedBid>().Include(b => b.Items)
            .Where(b => b.SectionId == sectionId && (b.State == SealedBidState.Submitted || b.State == SealedBidState.Opened || b.State == SealedBidState.DecryptFailed))
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(b => b.ArrivedAt)];
    }

    /// <summary>Whether a document is the ciphertext of a sealed bid item (and of which entity), for the document access rule.</summary>
    public static Task<Guid?> SealedBidEntityOfDocumentAsync(TradingDbContext db, Guid documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return (from item in db.Set<SealedBidItem>()
                join bid in db.Set<SealedBid>() on item.SealedBidId equals bid.Id
                where item.CiphertextDocumentId == documentId
                select (Guid?)bid.EntityId).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<(Participation Participation, Guid? CentreId)> OpenForAsync(TradingDbContext db, Guid sectionId, Guid entityId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var window = await db.Set<SealedBidWindow>().AsNoTracking().FirstOrDefaultAsync(w => w.SectionId == sectionId, cancellationToken)
            ?? throw new DomainRuleException(SealedBidRules.NoWindow, "This section takes no sealed bids (no bid deadline set).");
        if (!window.IsOpenAt(now))
        {
            throw new DomainRuleException(SealedBidRules.DeadlinePassed, $"The bid deadline {window.Deadline:O} has passed.");
        }

        var participation = await db.Set<Participation>().AsNoTracking().FirstOrDefaultAsync(p => p.SectionId == sectionId && p.EntityId == entityId, cancellationToken);
        if (participation is null || !participation.IsActive)
        {
            throw new DomainRuleException(SealedBidRules.NotParticipating, "The entity does not take part in this section.");
        }

        return (participation, await CentreOfAsync(db, participation.ProjectId, cancellationToken));
    }

    private static void CheckShape(SealedBidSubmission submission)
    {
        if (submission.Items is null || submission.Items.Count == 0 || submission.Items.Count > 50)
        {
            throw new DomainRuleException(SealedBidRules.ManifestInvalid, "A bid has 1 to 50 files.");
        }

        if (submission.Items.Count(i => i.Kind == SealedBidItemKind.BidLetter) != 1)
        {
            throw new DomainRuleException(SealedBidRules.NoBidLetter, "A bid has exactly one bid letter (投标函).");
        }

        if (string.IsNullOrWhiteSpace(submission.SignatureHex))
        {
            throw new DomainRuleException(SealedBidRules.SignatureInvalid, "The bid is not signed.");
        }

        if (string.IsNullOrWhiteSpace(submission.WrappedKeyHex) || !Sm2.IsHex(submission.WrappedKeyHex)
            || submission.WrappedKeyHex.Length is < 2 * (64 + 32 + Sm4Cbc.KeyBytes) or > 2 * (65 + 32 + Sm4Cbc.KeyBytes))
        {
            throw new DomainRuleException(SealedBidRules.NotEncrypted, "The content key is not an SM2-wrapped 16-byte key.");
        }

        foreach (var item in submission.Items)
        {
            if (string.IsNullOrWhiteSpace(item.Name) || item.Name.Length > FilePolicy.MaxNameLength
                || !IsSm3(item.PlaintextSm3) || !IsSm3(item.CiphertextSm3) || item.PlaintextSize < 0)
            {
                throw new DomainRuleException(SealedBidRules.ManifestInvalid, $"The item '{item.Name}' has no valid name, digests or size.");
            }

            if (string.Equals(item.PlaintextSm3, item.CiphertextSm3, StringComparison.OrdinalIgnoreCase)
                || !Sm4Cbc.IsCiphertextLength(item.CiphertextSize)
                || item.CiphertextSize != Sm4Cbc.BlockBytes + (item.PlaintextSize / Sm4Cbc.BlockBytes + 1) * Sm4Cbc.BlockBytes)
            {
                throw new DomainRuleException(SealedBidRules.NotEncrypted, $"The item '{item.Name}' is not SM4-CBC ciphertext of its plaintext.");
            }
        }

        if (submission.Items.Select(i => i.CiphertextDocumentId).Distinct().Count() != submission.Items.Count)
        {
            throw new DomainRuleException(SealedBidRules.ManifestInvalid, "An uploaded file is named twice.");
        }
    }

    private static async Task CheckDocumentsAsync(TradingDbContext db, SealedBidSubmission submission, string actor, CancellationToken cancellationToken)
    {
        var ids = submission.Items.Select(i => i.CiphertextDocumentId).ToList();
        var documents = await db.Set<Document>().AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        var used = await db.Set<SealedBidItem>().AsNoTracking().Where(i => ids.Contains(i.CiphertextDocumentId)).Select(i => i.CiphertextDocumentId).ToListAsync(cancellationToken);
        foreach (var item in submission.Items)
        {
            if (!documents.TryGetValue(item.CiphertextDocumentId, out var document) || document.UploadedBy != actor
                || document.SectionId != submission.SectionId || document.IsDamaged || used.Contains(document.Id))
            {
                throw new DomainRuleException(SealedBidRules.DocumentInvalid, $"The file of '{item.Name}' is not a fresh upload of this user for this section.");
            }

            if (document.Kind != FileKind.SealedCiphertext)
            {
                throw new DomainRuleException(SealedBidRules.NotEncrypted, $"The file of '{item.Name}' is not encrypted.");
            }

            if (!string.Equals(document.Sm3, item.CiphertextSm3, StringComparison.OrdinalIgnoreCase) || document.Length != item.CiphertextSize)
            {
                throw new DomainRuleException(SealedBidRules.DigestMismatch, $"The stored file of '{item.Name}' does not have the signed digest and size.");
            }
        }
    }

    private static bool IsSm3(string? hex) => hex is { Length: 64 } && Sm2.IsHex(hex);

    private static Task<Guid?> CentreOfAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken) =>
        db.Set<Project>().Where(p => p.Id == projectId).Select(p => (Guid?)p.CentreId).FirstOrDefaultAsync(cancellationToken);
}

using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Openings;

/// <summary>A bidder's content key, unwrapped in its browser, for its bid in a session.</summary>
public sealed record DecryptionRequest(Guid SessionId, Guid EntityId, string UserName, string ContentKeyHex);

/// <summary>What one decryption attempt came to.</summary>
/// <param name="Settled">False while a failed bid may still be retried within the window.</param>
public sealed record DecryptionOutcome(Guid BidId, OpeningBidState State, DecryptFailureCause? Cause, DecryptFault? Fault, int Attempts, bool Settled);

/// <summary>A session with its bids, its record once signed, and the objections raised at it.</summary>
public sealed record OpeningView(OpeningSession Session, IReadOnlyList<OpeningBid> Bids, OpeningRecord? Record, IReadOnlyList<OpeningObjection> Objections)
{
    public int Decrypted => Bids.Count(b => b.State == OpeningBidState.Decrypted);

    public bool AllDecrypted => Bids.Count > 0 && Bids.All(b => b.State == OpeningBidState.Decrypted);
}

/// <summary>
/// The remote opening (不见面开标) of a section's sealed bids: started by the procedure at the deadline, decrypted by
/// the bidders with the content keys they unwrap in their browsers, closed at the window's end (or by the host once
/// all are decrypted) with a record built from the decrypted bid letters, signed by the platform and published on the
/// portal. Every change commits with its trail record (actions <c>openings.*</c>, data naming sessionId, projectId,
/// sectionId and, for a bid, entityId). Callers check who acts (role and scope); the service checks what may happen.
/// </summary>
public sealed partial class OpeningService(
    ITradingDatabase database,
    ISealedBidBox sealedBids,
    IFileStore files,
    OpenedBidStore opened,
    IAuditTrail trail,
    PlatformSigner signer,
    DepositQueries deposits,
    DepositService depositService,
    OpeningChanges changes,
    IEnumerable<IBidReaders> readers,
    IEnumerable<IOpeningObserver> observers,
    IOptions<OpeningOptions> options,
    TimeProvider time,
    IServiceProvider services,
    ILogger<OpeningService> logger)
{
    public OpeningOptions Options => options.Value;

    public OpeningChanges Changes => changes;

    public DateTimeOffset Now => time.GetUtcNow();

    // ---------------------------------------------------------------- start (procedure, at the deadline)

    /// <summary>
    /// Starts the section's opening at the deadline in the caller's transaction: counts the bids Submitted then and,
    /// with fewer than the minimum, settles the section for re-tender (no bid is opened). Refused while a trade's
    /// <see cref="IProcedureHold"/> holds the project. Idempotent: a section already started returns its session.
    /// </summary>
    public async Task<OpeningSession> StartAsync(TradingDbContext db, Guid sectionId, DateTimeOffset? deadline, Guid? instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var existing = await db.Set<OpeningSession>().SingleOrDefaultAsync(s => s.SectionId == sectionId, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var section = await SectionAsync(db, sectionId, cancellationToken);
        // A trade's hold (an unanswered objection to the documents, 条例 22) refuses the start; the procedure retries.
        await ProcedureHolds.CheckAsync(services, db, section.ProjectId, sectionId, cancellationToken);
        var submitted = await sealedBids.SubmittedAsync(db, sectionId, cancellationToken);
        var now = time.GetUtcNow();
        var session = OpeningSession.Start(section, submitted.Count, Options.MinimumBids, Options.DecryptionWindow, deadline ?? now, now, instanceId);
        db.Add(session);
        if (session.State == OpeningState.Decrypting)
        {
            foreach (var bid in submitted)
            {
                db.Add(OpeningBid.For(session.Id, bid));
            }

            await AppendAsync(db, OpeningActors.Platform, session, "openings.session.started",
                new { bidCount = session.BidCount, windowEndsAt = session.WindowEndsAt, instanceId }, cancellationToken);
        }
        else
        {
            await AppendAsync(db, OpeningActors.Platform, session, "openings.session.retender",
                new { bidCount = session.BidCount, minimumBids = session.MinimumBids, instanceId }, cancellationToken);
        }

        foreach (var observer in observers)
        {
            await observer.OpeningStartedAsync(db, session, cancellationToken);
        }

        return session;
    }

    // ---------------------------------------------------------------- decryption (bidder)

    /// <summary>
    /// Decrypts the bidder's bid with the content key it unwrapped: verifies the stored manifest's signature, SM4-decrypts
    /// every item (streamed), checks every ciphertext and plaintext SM3 and size against the signed manifest, and only
    /// then keeps the plaintext (readable by <see cref="IBidReaders"/> only) and marks the bid Opened. Otherwise the
    /// attempt is recorded with its cause: a bidder's fault may be retried in the window, a platform fault settles the
    /// bid as DecryptFailed at once and refunds its deposit. The other bids are not affected either way.
    /// </summary>
    public async Task<DecryptionOutcome> DecryptAsync(DecryptionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = ParseKey(request.ContentKeyHex);
        OpeningSession session;
        OpeningBid bid;
        SealedBidView view;
        DecryptFailureCause? cause = null;
        BidLetter? letter = null;
        var kept = new List<(SealedBidItemView Item, string Temporary, ItemDecryption Result)>();
        try
        {
            await using (var db = database.Create())
            {
                session = await SessionAsync(db, request.SessionId, cancellationToken);
                session.RequireWindowOpen(time.GetUtcNow());
                bid = await db.Set<OpeningBid>().AsNoTracking().SingleOrDefaultAsync(b => b.SessionId == session.Id && b.EntityId == request.EntityId, cancellationToken)
                      ?? throw new DomainRuleException(OpeningRules.NotABidder, "This entity has no bid in this opening.");
                bid.RequirePending();
                view = await sealedBids.FindAsync(db, bid.BidId, cancellationToken)
                       ?? throw new DomainRuleException(OpeningRules.NotFound, $"No sealed bid {bid.BidId}.");
                if (!await sealedBids.VerifySignatureAsync(db, bid.BidId, cancellationToken))
                {
                    cause = DecryptFailureCause.SignatureInvalid;
                }

                // The letter first: a wrong key is found on its few bytes, not after the large documents.
                foreach (var item in view.Items.OrderBy(i => i.IsBidLetter ? 0 : 1))
                {
                    if (cause is not null)
                    {
                        break;
                    }

                    (cause, var decryption, var temporary) = await DecryptItemAsync(db, item, key, cancellationToken);
                    if (temporary is not null)
                    {
                        kept.Add((item, temporary, decryption!));
                    }

                    if (cause is null && item.IsBidLetter)
                    {
                        letter = BidLetter.TryParse(await File.ReadAllBytesAsync(temporary!, cancellationToken));
                        cause = letter is null ? DecryptFailureCause.LetterInvalid : null;
                    }
                }

                if (cause is null && letter is null)
                {
                    cause = DecryptFailureCause.LetterInvalid;
                }
            }

            var outcome = await SettleAttemptAsync(request, session, bid.BidId, cause, letter, kept, cancellationToken);
            if (outcome is { Settled: true, Fault: DecryptFault.Platform })
            {
                await RefundAsync(session, bid, cancellationToken);
            }

            changes.Publish(session.Id);
            return outcome;
        }
        finally
        {
            foreach (var (_, temporary, _) in kept)
            {
                File.Delete(temporary);
            }
        }
    }

    private async Task<(DecryptFailureCause? Cause, ItemDecryption? Result, string? Temporary)> DecryptItemAsync(
        TradingDbContext db, SealedBidItemView item, byte[] key, CancellationToken cancellationToken)
    {
        var document = await db.Set<Document>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == item.CiphertextDocumentId, cancellationToken);
        if (document is null || document.IsDamaged || !string.Equals(document.Sm3, item.CiphertextSm3, StringComparison.OrdinalIgnoreCase))
        {
            return (DecryptFailureCause.CiphertextDamaged, null, null);
        }

        Stream ciphertext;
        try
        {
            ciphertext = await files.OpenAsync(document.Sha256, cancellationToken);
        }
        catch (DomainRuleException e) when (e.RuleCode == DocumentRules.NotFound)
        {
            return (DecryptFailureCause.CiphertextDamaged, null, null);
        }

        var temporary = opened.TemporaryPath();
        ItemDecryption result;
        await using (ciphertext)
        await using (var plaintext = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 128 * 1024, FileOptions.Asynchronous))
        {
            result = await OpenedBidStore.DecryptAsync(ciphertext, key, plaintext, cancellationToken);
        }

        // Damaged bytes are the platform's fault whatever the key did; only intact ciphertext can prove a wrong key.
        if (!string.Equals(result.CiphertextSm3, item.CiphertextSm3, StringComparison.OrdinalIgnoreCase))
        {
            return (DecryptFailureCause.CiphertextDamaged, result, temporary);
        }

        if (result.PaddingFailed)
        {
            return (DecryptFailureCause.WrongKey, result, temporary);
        }

        return !string.Equals(result.PlaintextSm3, item.PlaintextSm3, StringComparison.OrdinalIgnoreCase) || result.PlaintextLength != item.Size
            ? (DecryptFailureCause.DigestMismatch, result, temporary)
            : (null, result, temporary);
    }

    private async Task<DecryptionOutcome> SettleAttemptAsync(
        DecryptionRequest request, OpeningSession session, Guid bidId, DecryptFailureCause? cause, BidLetter? letter,
        List<(SealedBidItemView Item, string Temporary, ItemDecryption Result)> kept, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var current = await SessionAsync(db, session.Id, cancellationToken);
        current.RequireWindowOpen(now);
        var bid = await db.Set<OpeningBid>().SingleAsync(b => b.BidId == bidId, cancellationToken);
        bid.RequirePending();
        bool settled;
        if (cause is null)
        {
            bid.Decrypted(letter!, request.UserName, now);
            var position = 0;
            foreach (var (item, temporary, result) in kept.OrderBy(k => k.Item.IsBidLetter ? 0 : 1))
            {
                opened.Keep(temporary, result.PlaintextSm3);
                db.Add(new OpenedBidItem(bid.BidId, current.Id, position++, item.Name, item.Kind, result.PlaintextSm3, result.PlaintextLength, now));
            }

            await sealedBids.MarkOpenedAsync(db, bid.BidId, now, cancellationToken);
            await AppendAsync(db, request.UserName, current, "openings.bid.decrypted",
                new { entityId = bid.EntityId, bidId = bid.BidId, attempts = bid.Attempts, items = kept.Count }, cancellationToken, bid.EntityId);
            settled = true;
        }
        else
        {
            settled = bid.Failed(cause.Value, request.UserName, now);
            if (settled)
            {
                await sealedBids.MarkDecryptFailedAsync(db, bid.BidId, cause.Value.ToString(), now, cancellationToken);
            }

            await AppendAsync(db, request.UserName, current, settled ? "openings.bid.decrypt-failed" : "openings.bid.decrypt-attempt-failed",
                new
                {
                    entityId = bid.EntityId, bidId = bid.BidId, cause = cause.Value.ToString(), fault = bid.Fault?.ToString(),
                    consequence = bid.Consequence.ToString(), attempts = bid.Attempts,
                }, cancellationToken, bid.EntityId);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainRuleException(OpeningRules.Changed, "This bid was settled by another request meanwhile.");
        }

        await tx.CommitAsync(cancellationToken);
        if (cause is null)
        {
            kept.Clear(); // moved into the store: nothing to delete
        }

        return new DecryptionOutcome(bid.BidId, bid.State, bid.LastCause, bid.Fault, bid.Attempts, settled);
    }

    /// <summary>A platform fault is a withdrawal before the deadline: the deposit held for the bidder is refunded.</summary>
    private async Task RefundAsync(OpeningSession session, OpeningBid bid, CancellationToken cancellationToken)
    {
        try
        {
            await depositService.RefundAsync(session.SectionId, bid.EntityId, OpeningActors.Platform, cancellationToken);
        }
        catch (DomainRuleException e)
        {
            // Nothing held (a guarantee, no deposit) or no deposit terms: the decision stands in the trail; staff settle the rest.
            LogRefundNotMade(logger, session.Id, bid.EntityId, e.RuleCode);
        }
    }

    private static byte[] ParseKey(string hex)
    {
        var text = (hex ?? string.Empty).Trim();
        if (text.Length != 32 || !text.All(char.IsAsciiHexDigit))
        {
            throw new DomainRuleException(OpeningRules.KeyMalformed, "The content key is 16 bytes in hex (32 characters).");
        }

        return Convert.FromHexString(text);
    }

    // ---------------------------------------------------------------- close (procedure at the window's end, or host)

    /// <summary>
    /// Closes the session in the caller's transaction: bids still pending fail (their last attempt's cause, or the
    /// window's end), the record is built from the decrypted letters and the deposit states, signed by the platform,
    /// and published on the portal as a notice of kind opening record with its SM3.
    /// </summary>
    public async Task<OpeningRecord> CloseAsync(TradingDbContext db, OpeningSession session, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(session);
        var now = time.GetUtcNow();
        var bids = await db.Set<OpeningBid>().Where(b => b.SessionId == session.Id).ToListAsync(cancellationToken);
        session.Close(by, now, bids.Count > 0 && bids.All(b => b.State == OpeningBidState.Decrypted));
        foreach (var bid in bids.Where(b => b.State == OpeningBidState.Pending))
        {
            bid.FailAtClose(now);
            await sealedBids.MarkDecryptFailedAsync(db, bid.BidId, bid.LastCause!.Value.ToString(), now, cancellationToken);
            await AppendAsync(db, OpeningActors.Platform, session, "openings.bid.decrypt-failed",
                new
                {
                    entityId = bid.EntityId, bidId = bid.BidId, cause = bid.LastCause.ToString(), fault = bid.Fault?.ToString(),
                    consequence = bid.Consequence.ToString(), attempts = bid.Attempts,
                }, cancellationToken, bid.EntityId);
        }

        var depositStates = await DepositStatesAsync(session.SectionId, bids.Select(b => b.EntityId), cancellationToken);
        var content = OpeningRecordContent.Build(session, bids, depositStates);
        var (signature, key) = await signer.SignAsync(db, OpeningRecord.BytesOf(content), cancellationToken);
        var record = OpeningRecord.Signed(content, signature, key, now);
        db.Add(record);

        var notice = PublishNotice(session, record, content, now);
        db.Add(notice);
        record.PublishedAs(notice.Id);
        await AppendAsync(db, by, session, "openings.session.closed",
            new { early = session.ClosedEarly, decrypted = content.Entries.Count, notOpened = content.NotOpened }, cancellationToken);
        await AppendAsync(db, OpeningActors.Platform, session, "openings.record.signed",
            new { sm3 = record.Sm3, keyFingerprint = record.KeyFingerprint, noticeId = notice.Id }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await NoticeSearchIndex.AddAsync(db, notice, cancellationToken);
        await trail.AppendAsync(db, NoticeService.Record(OpeningActors.Platform, notice, "notices.notice.published", new { openingSessionId = session.Id, sm3 = record.Sm3 }), cancellationToken);
        foreach (var observer in observers)
        {
            await observer.OpeningClosedAsync(db, session, record, cancellationToken);
        }

        return record;
    }

    /// <summary>
    /// The host closes the session: before the window's end only once every bid is decrypted; after it (when the
    /// procedure's timer has not run yet) always. When no session of the procedure instance is left decrypting, the
    /// procedure is told (<see cref="OpeningMessages.AllClosed"/>) after the commit, and its <c>openingClose</c> finds
    /// them closed.
    /// </summary>
    public async Task<OpeningRecord> CloseByHostAsync(Guid sessionId, string host, CancellationToken cancellationToken = default)
    {
        await signer.PublicKeyAsync(cancellationToken); // the key exists before the transaction (SQLite has one writer)
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var session = await db.Set<OpeningSession>().SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken)
                      ?? throw new DomainRuleException(OpeningRules.NotFound, $"No opening {sessionId}.");
        var record = await CloseAsync(db, session, host, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainRuleException(OpeningRules.Changed, "The opening changed meanwhile; reload it.");
        }

        await tx.CommitAsync(cancellationToken);
        changes.Publish(sessionId);
        await TellProcedureAsync(session, host, cancellationToken);
        return record;
    }

    /// <summary>
    /// Hurries the procedure past its wait for the window's end once every session its instance started is settled.
    /// Read after the commit, so of two hosts closing the last two sections at once at least the later one sees both
    /// closed. The window's timer still closes what is left: a lost message, or a procedure that does not wait for it
    /// (an instance on an older version), costs only the wait, never the host's close.
    /// </summary>
    private async Task TellProcedureAsync(OpeningSession session, string host, CancellationToken cancellationToken)
    {
        if (session.InstanceId is not { } instanceId || services.GetService<IWorkflowEngine>() is not { } engine)
        {
            return;
        }

        await using (var db = database.Create())
        {
            if (await db.Set<OpeningSession>().AnyAsync(s => s.InstanceId == instanceId && s.State == OpeningState.Decrypting, cancellationToken))
            {
                return;
            }
        }

        try
        {
            await engine.CorrelateMessageAsync(new MessageCorrelation(OpeningMessages.AllClosed) { BusinessKey = session.ProjectCode, UserId = host }, cancellationToken);
        }
        catch (WorkflowNotFoundException)
        {
            // Not waiting for it: an older version waits for its timer, or the timer fired meanwhile.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogProcedureNotTold(logger, e, session.ProjectCode, instanceId);
        }
    }

    /// <summary>
    /// Demo projects only (<see cref="OpeningDemoTimerDate"/>): the decryption window of every session the instance
    /// started that still decrypts ends now, recorded as <c>openings.session.demo-window-ended</c>, so the procedure's
    /// <c>openingClose</c>, fired early, closes them as at the window's end. False when no window was ahead.
    /// </summary>
    public async Task<bool> EndWindowsForDemoAsync(Guid instanceId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var ended = new List<OpeningSession>();
        foreach (var session in await db.Set<OpeningSession>().Where(s => s.InstanceId == instanceId && s.State == OpeningState.Decrypting).ToListAsync(cancellationToken))
        {
            var before = session.WindowEndsAt;
            await DemoDates.RequireDemoCentreAsync(db, session.CentreId, session.ProjectCode, cancellationToken);
            if (session.EndWindowForDemo(now))
            {
                await AppendAsync(db, actor, session, "openings.session.demo-window-ended", new { demo = true, before, windowEndsAt = now }, cancellationToken);
                ended.Add(session);
            }
        }

        if (ended.Count == 0)
        {
            return false;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainRuleException(OpeningRules.Changed, "The opening changed meanwhile; reload it.");
        }

        await tx.CommitAsync(cancellationToken);
        foreach (var session in ended)
        {
            changes.Publish(session.Id);
        }

        return true;
    }

    /// <summary>Each bidder's deposit state as a code (a <see cref="DepositState"/> name, or None), which the record signs.</summary>
    private async Task<IReadOnlyDictionary<Guid, string>> DepositStatesAsync(Guid sectionId, IEnumerable<Guid> bidders, CancellationToken cancellationToken)
    {
        var section = await deposits.SectionDepositsAsync(sectionId, cancellationToken);
        if (section is null)
        {
            return new Dictionary<Guid, string>();
        }

        var states = section.Participants.GroupBy(p => p.EntityId).ToDictionary(g => g.Key, g => g.First().State.ToString());
        if (section.Section.Amount > 0)
        {
            // The section asks a deposit: a bidder that never opened its sub-account has not paid (not "none required").
            foreach (var entityId in bidders.Where(e => !states.ContainsKey(e)))
            {
                states[entityId] = nameof(DepositState.AwaitingPayment);
            }
        }

        return states;
    }

    private static Notice PublishNotice(OpeningSession session, OpeningRecord record, OpeningRecordContent content, DateTimeOffset now)
    {
        var project = NoticeProject.Create(session.ProjectId, session.ProjectCode, session.CentreId, session.TradeType, session.RegionCode, session.ProjectName);
        var title = $"{session.ProjectName} {session.SectionCode} 开标记录";
        if (title.Length > Notice.MaxTitleLength)
        {
            title = title[..Notice.MaxTitleLength];
        }

        var notice = Notice.Draft(project, NoticeKind.OpeningRecord, title, NoticeBody(session, record, content), [], OpeningActors.Platform, now, sectionIds: [session.SectionId]);
        // Built by the platform from the decrypted letters and signed by it: nobody drafted text a reviewer could check.
        notice.SubmitForReview(OpeningActors.Platform, now);
        notice.Publish(PlatformSignatureReviewer, now);
        return notice;
    }

    /// <summary>Who "reviews" a notice the platform produced and signed itself (its content is the signed record).</summary>
    public const string PlatformSignatureReviewer = "system:platform-signature";

    private static string NoticeBody(OpeningSession session, OpeningRecord record, OpeningRecordContent content)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>项目 / Project: {E(session.ProjectCode)} {E(session.ProjectName)}；标段 / Section: {E(session.SectionCode)} {E(session.SectionSubject)}</p>");
        body.Append(CultureInfo.InvariantCulture, $"<p>投标截止 / Bid deadline: {session.Deadline.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss} (UTC+8)；开标结束 / Closed: {content.ClosedAt.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss} (UTC+8)</p>");
        body.Append(CultureInfo.InvariantCulture, $"<p>递交投标 / Bids submitted: {content.BidCount}；解密成功 / Opened: {content.Entries.Count}；未解密 / Not opened: {content.NotOpened}</p>");
        body.Append("<table><thead><tr><th>序号 / No.</th><th>投标人 / Bidder</th><th>投标报价（元）/ Price (CNY)</th><th>工期（日历天）/ Duration (days)</th><th>质量承诺 / Quality</th><th>保证金 / Deposit</th></tr></thead><tbody>");
        foreach (var entry in content.Entries)
        {
            body.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{entry.Order}</td><td>{E(entry.Bidder)}</td><td>{E(Money(entry.Price))}</td><td>{entry.DurationDays}</td><td>{E(entry.Quality)}</td><td>{E(DepositText(entry.Deposit))}</td></tr>");
        }

        body.Append("</tbody></table>");
        body.Append(CultureInfo.InvariantCulture, $"<p>开标记录 SM3 / Record SM3: {record.Sm3}</p>");
        body.Append(CultureInfo.InvariantCulture, $"<p>平台 SM2 签名 / Platform SM2 signature: {record.Signature}</p>");
        body.Append(CultureInfo.InvariantCulture, $"<p>平台公钥 / Platform public key: {record.PublicKeyHex}</p>");
        return body.ToString();
    }

    // The signed record keeps the deposit state's code and the price as the letter gave it (stable, language-neutral);
    // the published notice, read by people, shows them as the console does.
    private static readonly Dictionary<string, string> DepositTexts = new(StringComparer.Ordinal)
    {
        ["None"] = "无需缴纳 / None required",
        [nameof(DepositState.AwaitingPayment)] = "未缴纳 / Not paid",
        [nameof(DepositState.PartlyPaid)] = "部分缴纳 / Partly paid",
        [nameof(DepositState.Paid)] = "已缴纳 / Paid",
        [nameof(DepositState.Guaranteed)] = "电子保函 / Electronic guarantee",
        [nameof(DepositState.Refunding)] = "退还中 / Refunding",
        [nameof(DepositState.Refunded)] = "已退还 / Refunded",
        [nameof(DepositState.Forfeited)] = "不予退还 / Forfeited",
        [nameof(DepositState.ConvertedToPrice)] = "转作价款 / Converted to price",
    };

    internal static string DepositText(string state) => DepositTexts.GetValueOrDefault(state, state);

    internal static string Money(string price) =>
        decimal.TryParse(price, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value.ToString("N2", CultureInfo.InvariantCulture) : price;

    // ---------------------------------------------------------------- objections at the opening

    public async Task<OpeningObjection> RaiseObjectionAsync(Guid sessionId, Guid entityId, string userName, string text, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var session = await SessionAsync(db, sessionId, cancellationToken);
        var now = time.GetUtcNow();
        if (!session.AcceptsObjections(now, Options.ObjectionsAfterClose))
        {
            throw new DomainRuleException(OpeningRules.ObjectionsClosed, "Objections at this opening are closed.");
        }

        var bid = await db.Set<OpeningBid>().AsNoTracking().SingleOrDefaultAsync(b => b.SessionId == sessionId && b.EntityId == entityId, cancellationToken)
                  ?? throw new DomainRuleException(OpeningRules.NotABidder, "Only a bidder of this opening may object at it.");
        var objection = OpeningObjection.Raise(sessionId, entityId, bid.EntityName, userName, text, now);
        db.Add(objection);
        await AppendAsync(db, userName, session, "openings.objection.raised", new { entityId, objectionId = objection.Id, text = objection.Text }, cancellationToken, entityId);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        changes.Publish(sessionId);
        return objection;
    }

    public async Task<OpeningObjection> AnswerObjectionAsync(Guid objectionId, string host, string answer, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var objection = await db.Set<OpeningObjection>().SingleOrDefaultAsync(o => o.Id == objectionId, cancellationToken)
                        ?? throw new DomainRuleException(OpeningRules.NotFound, $"No objection {objectionId}.");
        var session = await SessionAsync(db, objection.SessionId, cancellationToken);
        objection.Reply(host, answer, time.GetUtcNow());
        await AppendAsync(db, host, session, "openings.objection.answered",
            new { entityId = objection.EntityId, objectionId = objection.Id, answer = objection.Answer }, cancellationToken, objection.EntityId);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        changes.Publish(objection.SessionId);
        return objection;
    }

    // ---------------------------------------------------------------- queries

    public async Task<OpeningView?> GetAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var session = await db.Set<OpeningSession>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        if (session is null)
        {
            return null;
        }

        var bids = (await db.Set<OpeningBid>().AsNoTracking().Where(b => b.SessionId == sessionId).ToListAsync(cancellationToken))
            .OrderBy(b => b.ArrivedAt).ThenBy(b => b.BidId).ToList();
        var record = await db.Set<OpeningRecord>().AsNoTracking().SingleOrDefaultAsync(r => r.SessionId == sessionId, cancellationToken);
        var objections = (await db.Set<OpeningObjection>().AsNoTracking().Where(o => o.SessionId == sessionId).ToListAsync(cancellationToken))
            .OrderBy(o => o.RaisedAt).ToList();
        return new OpeningView(session, bids, record, objections);
    }

    public async Task<OpeningSession?> ForSectionAsync(Guid sectionId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<OpeningSession>().AsNoTracking().SingleOrDefaultAsync(s => s.SectionId == sectionId, cancellationToken);
    }

    /// <summary>Sessions of the given centres (null: all), newest first, for the host console.</summary>
    public async Task<(IReadOnlyList<OpeningSession> Items, int Total)> ListForCentresAsync(IReadOnlyCollection<Guid>? centreIds, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var rows = db.Set<OpeningSession>().AsNoTracking();
        if (centreIds is not null)
        {
            rows = rows.Where(s => centreIds.Contains(s.CentreId));
        }

        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderByDescending(s => s.StartedAt).ThenBy(s => s.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return (items, total);
    }

    /// <summary>Sessions in which the given entities have a bid, newest first, for the bidders' rooms.</summary>
    public async Task<IReadOnlyList<(OpeningSession Session, OpeningBid Bid)>> ListForEntitiesAsync(IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var rows = await db.Set<OpeningBid>().AsNoTracking().Where(b => entityIds.Contains(b.EntityId))
            .Join(db.Set<OpeningSession>().AsNoTracking(), b => b.SessionId, s => s.Id, (b, s) => new { Session = s, Bid = b })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.Session.StartedAt).Select(r => (r.Session, r.Bid))];
    }

    /// <summary>The decrypted items of a bid, for its readers only (<see cref="IBidReaders"/>: the evaluation committee).</summary>
    public async Task<IReadOnlyList<OpenedBidItem>> OpenedItemsAsync(ProjectPrincipal user, Guid bidId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = database.Create();
        var bid = await db.Set<OpeningBid>().AsNoTracking().SingleOrDefaultAsync(b => b.BidId == bidId, cancellationToken)
                  ?? throw new DomainRuleException(OpeningRules.NotFound, $"No opened bid {bidId}.");
        var session = await SessionAsync(db, bid.SessionId, cancellationToken);
        foreach (var rule in readers)
        {
            if (await rule.MayReadAsync(user, session, bid, cancellationToken))
            {
                return await db.Set<OpenedBidItem>().AsNoTracking().Where(i => i.BidId == bidId).OrderBy(i => i.Position).ToListAsync(cancellationToken);
            }
        }

        throw new DomainRuleException(OpeningRules.NotAllowed, "Only the evaluation committee reads opened bids.");
    }

    /// <summary>The bidder's wrapped content key (SM2 C1C3C2 hex, to its own public key), for its browser to unwrap.</summary>
    public async Task<string> WrappedKeyAsync(Guid sessionId, Guid entityId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var bid = await db.Set<OpeningBid>().AsNoTracking().SingleOrDefaultAsync(b => b.SessionId == sessionId && b.EntityId == entityId, cancellationToken)
                  ?? throw new DomainRuleException(OpeningRules.NotABidder, "This entity has no bid in this opening.");
        var view = await sealedBids.FindAsync(db, bid.BidId, cancellationToken)
                   ?? throw new DomainRuleException(OpeningRules.NotFound, $"No sealed bid {bid.BidId}.");
        return view.WrappedKeyHex;
    }

    public Task<PlatformPublicKey> PlatformKeyAsync(CancellationToken cancellationToken = default) => signer.PublicKeyAsync(cancellationToken);

    // ---------------------------------------------------------------- helpers

    internal static async Task<OpeningSession> SessionAsync(TradingDbContext db, Guid sessionId, CancellationToken cancellationToken) =>
        await db.Set<OpeningSession>().SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken)
        ?? throw new DomainRuleException(OpeningRules.NotFound, $"No opening {sessionId}.");

    private static async Task<OpeningSection> SectionAsync(TradingDbContext db, Guid sectionId, CancellationToken cancellationToken)
    {
        var section = await db.Set<Section>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == sectionId, cancellationToken)
                      ?? throw new DomainRuleException(OpeningRules.SectionRequired, $"No section {sectionId}.");
        var project = await db.Set<Project>().AsNoTracking().Where(p => p.Id == section.ProjectId)
                          .Select(p => new { p.Id, p.Code, p.Name, p.CentreId, p.TradeType, p.RegionCode })
                          .SingleOrDefaultAsync(cancellationToken)
                      ?? throw new DomainRuleException(OpeningRules.SectionRequired, $"No project for section {sectionId}.");
        return new OpeningSection(section.Id, project.Id, project.CentreId, project.Code, project.Name, section.Code, section.Subject, project.TradeType, project.RegionCode);
    }

    private Task AppendAsync(TradingDbContext db, string actor, OpeningSession session, string action, object extra, CancellationToken cancellationToken, Guid? entityId = null) =>
        trail.AppendAsync(db, new AuditRecord(actor, session.CentreId, "opening", session.Id.ToString(), action,
            new { sessionId = session.Id, projectId = session.ProjectId, projectCode = session.ProjectCode, sectionId = session.SectionId, entityId, detail = extra }), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The procedure {InstanceId} of {ProjectCode} did not take openings.all-closed; it goes on at the window's end")]
    private static partial void LogProcedureNotTold(ILogger logger, Exception exception, string projectCode, Guid instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Opening {SessionId}: the deposit of entity {EntityId} was not refunded after a platform fault ({RuleCode}); staff settle it.")]
    private static partial void LogRefundNotMade(ILogger logger, Guid sessionId, Guid entityId, string ruleCode);
}

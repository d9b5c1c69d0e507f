using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// Who acts, as the server knows it: the user name (named in the trail and the engine), the account id (which market
/// entities it acts for), its roles and centre.
/// </summary>
public sealed record TenderActor(string UserId, string AccountId, IReadOnlyCollection<string> Roles, Guid? CentreId)
{
    public bool IsStaffOf(Guid centreId) => Roles.Contains(PlatformRoles.Staff, StringComparer.Ordinal) && CentreId == centreId;
}

/// <summary>
/// A tender's opening time for the public: the deadline first announced, the deadline in force (moved by a late
/// clarification, 法 23), the opening time announced after a late answer to an objection (条例 22) and whether the
/// opening waits for a time still to be announced (the deadline passed during the hold).
/// </summary>
public sealed record TenderPublicOpening(DateTimeOffset FirstDeadline, DateTimeOffset BidDeadline, DateTimeOffset? AnnouncedOpening, bool Pending)
{
    /// <summary>When the bids are opened as things stand (meaningless while <see cref="Pending"/>).</summary>
    public DateTimeOffset OpeningTime => AnnouncedOpening ?? BidDeadline;
}

/// <summary>
/// The tenderee's and bidders' commands on a tender: documents and dates, invitations, prequalification result,
/// downloads during the sale, clarifications (moving the deadline when they come late, 法 23) and objections to the
/// documents (条例 22). Each command runs in its own transaction with its trail record; a change the procedure must hear
/// of (deadline moved, objection raised or answered) is then sent to the project's instance as a message, and the
/// procedure reads the new facts from the model when it gets it.
/// </summary>
public sealed partial class TenderService(
    ITradingDatabase database,
    IAuditTrail trail,
    IBusinessCalendar calendar,
    IOptions<TenderLimits> limits,
    IEntityMembership membership,
    IParticipationEligibility eligibility,
    IWorkflowEngine engine,
    ParticipationService participations,
    SealedBidService sealedBids,
    ArchiveQueue archiveQueue,
    TimeProvider clock,
    ILogger<TenderService> logger)
{
    public const string Area = "engineering-construction";

    private TenderLimits Limits => limits.Value;

    public static async Task<Tender> LoadAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken) =>
        await db.Set<Tender>().FirstOrDefaultAsync(t => t.ProjectId == projectId, cancellationToken)
        ?? throw new DomainRuleException(TenderRules.NotFound, $"Project {projectId} has no engineering tender.");

    public static async Task<Tender?> FindByCodeAsync(TradingDbContext db, string projectCode, CancellationToken cancellationToken) =>
        await db.Set<Tender>().FirstOrDefaultAsync(t => t.ProjectCode == projectCode, cancellationToken);

    /// <summary>Creates the tender of a submitted project (idempotent): called by the procedure's first service task.</summary>
    public static async Task<Tender> EnsureAsync(TradingDbContext db, Project project, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (project.TradeType != TradeTypes.EngineeringConstruction)
        {
            throw new DomainRuleException(TenderRules.NotFound, $"Project {project.Code} is not an engineering-construction project.");
        }

        if (await db.Set<Tender>().FirstOrDefaultAsync(t => t.ProjectId == project.Id, cancellationToken) is { } existing)
        {
            return existing;
        }

        var kind = project.Method == TradeMethods.InvitedTender ? TenderKind.Invited : TenderKind.Open;
        var tender = Tender.Create(project.Id, project.Code, project.Name, project.CentreId, project.OwnerEntityId, project.AgencyEntityId, kind, now);
        db.Add(tender);
        return tender;
    }

    public async Task<Tender?> FindAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<Tender>().AsNoTracking().FirstOrDefaultAsync(t => t.ProjectId == projectId, cancellationToken);
    }

    public async Task<Tender?> FindByProjectCodeAsync(string projectCode, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<Tender>().AsNoTracking().FirstOrDefaultAsync(t => t.ProjectCode == projectCode, cancellationToken);
    }

    /// <summary>
    /// The opening time of a project's tender as anyone reads it on the portal (法 34: at the deadline; 条例 22: at the
    /// time the tenderee announced after a late answer), or null when the project has no scheduled tender. Whether the
    /// portal may show it at all (a notice published) is the caller's to decide.
    /// </summary>
    public async Task<TenderPublicOpening?> PublicOpeningAsync(string projectCode, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var tender = await db.Set<Tender>().AsNoTracking().FirstOrDefaultAsync(t => t.ProjectCode == (projectCode ?? string.Empty).Trim(), cancellationToken);
        if (tender is null || !tender.IsScheduled)
        {
            return null;
        }

        // Past the deadline with no announced time while the documents' hold lasts or its late answer awaits the time.
        var now = clock.GetUtcNow();
        var pending = tender.Stage is TenderStage.OnSale or TenderStage.BidsOpen && now >= tender.BidDeadline && tender.AnnouncedOpening is null
            && ((await TenderDocumentsHold.OpenAnswerDuesAsync(db, tender.ProjectId, cancellationToken)).Count > 0
                || await TenderDocumentsHold.OpeningToAnnounceAsync(db, tender, now, cancellationToken));
        return new TenderPublicOpening(tender.OriginalBidDeadline, tender.BidDeadline, tender.AnnouncedOpening, pending);
    }

    /// <summary>
    /// How far each opened tender went after the opening: its award's stage, archiving while the procedure's archive job
    /// waits (or failed and waits for staff), or archived once its project is. Tenders not
    /// opened, or whose candidates are not published yet, are left out (their own stage says where they stand).
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, TenderProgress>> ProgressAsync(IEnumerable<Tender> tenders, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenders);
        var ids = tenders.Where(t => t.Stage == TenderStage.Opened).Select(t => t.ProjectId).Distinct().ToList();
        var progress = new Dictionary<Guid, TenderProgress>();
        if (ids.Count == 0)
        {
            return progress;
        }

        await using var db = database.Create();
        var awards = await db.Set<TenderAward>().AsNoTracking().Where(a => ids.Contains(a.ProjectId)).Select(a => new { a.ProjectId, a.Stage }).ToListAsync(cancellationToken);
        foreach (var award in awards)
        {
            progress[award.ProjectId] = award.Stage switch
            {
                AwardStage.Publicity => TenderProgress.CandidatesPublished,
                AwardStage.Awarded => TenderProgress.Awarded,
                AwardStage.ContractsSigned => TenderProgress.ContractsSigned,
                _ => throw new InvalidOperationException($"Award stage {award.Stage} has no tender progress."),
            };
        }

        // Archived, or the procedure ended its last step and the engine's archive job has not run (or failed): say so,
        // not "signed".
        var signed = progress.Where(p => p.Value == TenderProgress.ContractsSigned).Select(p => p.Key).ToList();
        foreach (var (projectId, archive) in await archiveQueue.ProgressAsync(ids, signed, cancellationToken))
        {
            progress[projectId] = archive switch
            {
                ArchiveProgress.Archived => TenderProgress.Archived,
                ArchiveProgress.Failed => TenderProgress.ArchiveFailed,
                _ => TenderProgress.Archiving,
            };
        }

        return progress;
    }

    /// <summary>Tenders of the entities (as owner or agency): the tenderee's workspace.</summary>
    public async Task<IReadOnlyList<Tender>> OwnedByAsync(IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var rows = await db.Set<Tender>().AsNoTracking()
            .Where(t => entityIds.Contains(t.OwnerEntityId) || (t.AgencyEntityId != null && entityIds.Contains(t.AgencyEntityId.Value)))
            .ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(t => t.UpdatedAt)];
    }

    /// <summary>
    /// The bidder's workspace: tenders in prequalification or on sale, open or inviting one of the entities, whose
    /// documents none of them has obtained yet. Once obtained the tender is the entity's participation (each section
    /// listed with its bid), not an invitation to act any more; likewise the offerings an entity applied for are not
    /// among those open to it (GrantService.OpenToBidderAsync). An invited or prequalifying entity still has the
    /// documents to obtain, so its tender stays here although it takes part already.
    /// </summary>
    public async Task<IReadOnlyList<Tender>> OpenToAsync(IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken = default)
    {
        var obtained = (await ObtainedByEntitiesAsync(entityIds, cancellationToken)).Select(d => d.ProjectId).ToHashSet();
        await using var db = database.Create();
        var stages = new[] { TenderStage.Prequalification, TenderStage.OnSale };
        var rows = await db.Set<Tender>().AsNoTracking().Where(t => stages.Contains(t.Stage)).ToListAsync(cancellationToken);
        return [.. rows
            .Where(t => !obtained.Contains(t.ProjectId) && (t.Kind == TenderKind.Open || t.Invitations.Any(i => entityIds.Contains(i.EntityId))))
            .OrderBy(t => t.BidDeadline)];
    }

    /// <summary>The tenderee sets the documents (tender documents and bill of quantities) and the dates.</summary>
    public async Task<Tender> ScheduleAsync(Guid projectId, TenderSchedule schedule, TenderActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var tender = await LoadAsync(db, projectId, cancellationToken);
        await RequireTendereeAsync(tender, actor, cancellationToken);
        var project = await db.Set<Project>().Include(p => p.Sections).FirstAsync(p => p.Id == projectId, cancellationToken);
        foreach (var section in project.Sections)
        {
            TenderRules.CheckDeposit(section.Subject, section.EstimatedPrice, section.DepositAmount, Limits);
        }

        var documentIds = schedule.TenderDocumentIds.Concat(schedule.BillOfQuantitiesId is { } boq ? [boq] : []).Distinct().ToList();
        var found = await db.Set<Document>().AsNoTracking().Where(d => documentIds.Contains(d.Id) && d.ProjectId == projectId).CountAsync(cancellationToken);
        if (found != documentIds.Count)
        {
            throw new DomainRuleException(TenderRules.DocumentsRequired, "Every tender document must be a file uploaded for this project.");
        }

        var now = clock.GetUtcNow();
        tender.Schedule(schedule, Limits, calendar, actor.UserId, now);
        await SetWindowsAsync(db, projectId, tender.BidDeadline, actor.UserId, cancellationToken);
        await trail.AppendAsync(db, Record(actor.UserId, tender, "tender.scheduled", new
        {
            saleStartsAt = tender.SaleStartsAt,
            saleEndsAt = tender.SaleEndsAt,
            bidDeadline = tender.BidDeadline,
            documentIds = tender.DocumentIds,
            billOfQuantitiesId = tender.BillOfQuantitiesId,
            prequalification = tender.Prequalification,
        }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return tender;
    }

    /// <summary>Invites entities to an invited tender: each verified and eligible today, at least 3 (法 17).</summary>
    public async Task<Tender> InviteAsync(Guid projectId, IReadOnlyList<Guid> entityIds, TenderActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityIds);
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var tender = await LoadAsync(db, projectId, cancellationToken);
        await RequireTendereeAsync(tender, actor, cancellationToken);
        var now = clock.GetUtcNow();
        var invitees = new List<Invitee>();
        foreach (var entityId in entityIds.Distinct())
        {
            var entity = await db.Set<MarketEntity>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == entityId, cancellationToken);
            var check = await eligibility.CheckAsync(entityId, Array.Empty<string>(), now, cancellationToken);
            invitees.Add(new Invitee(entityId, entity?.Name ?? entityId.ToString(), entity is not null && check.IsEligible));
        }

        tender.Invite(invitees, Limits, now);
        foreach (var sectionId in await SectionsAsync(db, projectId, cancellationToken))
        {
            foreach (var invitation in tender.Invitations)
            {
                await participations.EnsureAsync(db, sectionId, invitation.EntityId, ParticipationOrigin.Invited, actor.UserId, cancellationToken);
            }
        }

        await trail.AppendAsync(db, Record(actor.UserId, tender, "tender.invited", new { entityIds = tender.Invitations.Select(i => i.EntityId) }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return tender;
    }

    /// <summary>
    /// A verified entity applies for prequalification with its application file (uploaded for this project by the user),
    /// until the application deadline (条例 17); applying again replaces the file. The entity becomes an applicant
    /// participant of every section.
    /// </summary>
    public async Task<TenderApplication> ApplyAsync(Guid projectId, Guid entityId, Guid documentId, TenderActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var tender = await LoadAsync(db, projectId, cancellationToken);
        var now = clock.GetUtcNow();
        if (!await membership.IsMemberAsync(entityId, actor.AccountId, cancellationToken))
        {
            throw new DomainRuleException(TenderRules.NotAllowed, "You do not act for this entity.");
        }

        if (!tender.TakesApplications(now))
        {
            throw new DomainRuleException(TenderRules.ApplicationsClosed, tender.PrequalificationApplicationDeadline is { } due
                ? $"Prequalification applications of {tender.ProjectCode} are taken until {due:yyyy-MM-dd HH:mm} (UTC shown by the server) while the prequalification is open."
                : $"Tender {tender.ProjectCode} has no prequalification open.");
        }

        if (!tender.MayApply(entityId))
        {
            throw new DomainRuleException(TenderRules.NotAdmitted, "Only invited entities may apply to an invited tender (法 17).");
        }

        var check = await eligibility.CheckAsync(entityId, Array.Empty<string>(), now, cancellationToken);
        if (!check.IsEligible)
        {
            throw new DomainRuleException(check.Problems[0].RuleCode, "Only verified market entities may apply.");
        }

        if (!await db.Set<Document>().AnyAsync(d => d.Id == documentId && d.ProjectId == projectId && d.UploadedBy == actor.UserId, cancellationToken))
        {
            throw new DomainRuleException(TenderRules.DocumentsRequired, "The application file must be a file you uploaded for this project.");
        }

        var entity = await db.Set<MarketEntity>().AsNoTracking().FirstAsync(e => e.Id == entityId, cancellationToken);
        var application = await db.Set<TenderApplication>().FirstOrDefaultAsync(a => a.ProjectId == projectId && a.EntityId == entityId, cancellationToken);
        var first = application is null;
        if (application is null)
        {
            application = TenderApplication.Submit(projectId, entityId, entity.Name, documentId, actor.UserId, now);
            db.Add(application);
        }
        else
        {
            application.Replace(documentId, actor.UserId, now);
        }

        foreach (var sectionId in await SectionsAsync(db, projectId, cancellationToken))
        {
            await participations.EnsureAsync(db, sectionId, entityId, ParticipationOrigin.Applied, actor.UserId, cancellationToken);
        }

        await trail.AppendAsync(db, Record(actor.UserId, tender, "prequalification.applied", new { applicationId = application.Id, entityId, documentId, replaced = !first }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return application;
    }

    /// <summary>The applications of a tender's prequalification, in the order they came.</summary>
    public async Task<IReadOnlyList<TenderApplication>> ApplicationsAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var rows = await db.Set<TenderApplication>().AsNoTracking().Where(a => a.ProjectId == projectId).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(a => a.SubmittedAt).ThenBy(a => a.EntityName, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The review's finding on one application after the application deadline: qualified, or not with the reason the
    /// applicant is told. The tenderee (or its agency) or the centre's staff record it; it may be changed until the
    /// review is closed.
    /// </summary>
    public async Task<TenderApplication> ReviewApplicationAsync(Guid applicationId, bool qualified, string? reason, TenderActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var application = await db.Set<TenderApplication>().FirstOrDefaultAsync(a => a.Id == applicationId, cancellationToken)
            ?? throw new DomainRuleException(TenderRules.NotFound, "No such application.");
        var tender = await LoadAsync(db, application.ProjectId, cancellationToken);
        await RequireReviewerAsync(tender, actor, cancellationToken);
        var now = clock.GetUtcNow();
        RequireReviewOpen(tender, now);
        application.Review(qualified, reason, actor.UserId, now);
        await trail.AppendAsync(db, Record(actor.UserId, tender, "prequalification.application-reviewed", new
        {
            applicationId,
            entityId = application.EntityId,
            decision = application.Decision.ToString(),
            reason = application.Reason,
        }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return application;
    }

    /// <summary>
    /// Closes the review: every application has its finding; the qualified become the tender's qualified applicants
    /// (<see cref="Tender.Qualified"/>); fewer than 3 → re-tender at the procedure's next step (条例 19).
    /// </summary>
    public async Task<TenderOutcome?> CloseReviewAsync(Guid projectId, TenderActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var tender = await LoadAsync(db, projectId, cancellationToken);
        await RequireReviewerAsync(tender, actor, cancellationToken);
        var now = clock.GetUtcNow();
        RequireReviewOpen(tender, now);
        var applications = await db.Set<TenderApplication>().AsNoTracking().Where(a => a.ProjectId == projectId).ToListAsync(cancellationToken);
        var open = applications.Count(a => !a.IsReviewed);
        if (open > 0)
        {
            throw new DomainRuleException(TenderRules.ReviewIncomplete, $"{open} application(s) have no finding yet.");
        }

        var qualified = applications.Where(a => a.Decision == PrequalificationDecision.Qualified).Select(a => a.EntityId).ToList();
        var outcome = tender.RecordPrequalification(qualified, Limits, now);
        await trail.AppendAsync(db, Record(actor.UserId, tender, "prequalification.reviewed", new
        {
            entityIds = applications.Select(a => a.EntityId).ToList(),
            qualifiedEntityIds = tender.Qualified,
            qualified = tender.Qualified.Count,
            applicants = applications.Count,
            retender = outcome is not null,
        }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return outcome;
    }

    private static void RequireReviewOpen(Tender tender, DateTimeOffset now)
    {
        if (tender.Stage != TenderStage.Prequalification || tender.PrequalificationReviewed)
        {
            throw new DomainRuleException(TenderRules.WrongStage, $"Tender {tender.ProjectCode} has no prequalification review open.");
        }

        if (tender.PrequalificationApplicationDeadline is { } deadline && now < deadline)
        {
            throw new DomainRuleException(TenderRules.ApplicationsStillOpen, $"Applications are taken until {deadline:yyyy-MM-dd HH:mm} (UTC); the review starts after.");
        }
    }

    /// <summary>The tenderee, its agency, or the staff of the tender's centre.</summary>
    private async Task RequireReviewerAsync(Tender tender, TenderActor actor, CancellationToken cancellationToken)
    {
        if (actor.IsStaffOf(tender.CentreId))
        {
            return;
        }

        await RequireTendereeAsync(tender, actor, cancellationToken);
    }

    /// <summary>
    /// A verified entity downloads a tender document during the sale: recorded, and the entity becomes a participant of
    /// every section (<see cref="ParticipationService.EnsureAsync(TradingDbContext, Guid, Guid, ParticipationOrigin, string, CancellationToken)"/>).
    /// The file itself is then streamed by the Documents part, which admits entities with a recorded download.
    /// </summary>
    public async Task<TenderDownload> RecordDownloadAsync(Guid projectId, Guid documentId, Guid entityId, TenderActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var tender = await LoadAsync(db, projectId, cancellationToken);
        var now = clock.GetUtcNow();
        if (!await membership.IsMemberAsync(entityId, actor.AccountId, cancellationToken))
        {
            throw new DomainRuleException(TenderRules.NotAllowed, "You do not act for this entity.");
        }

        var already = await db.Set<TenderDownload>().AnyAsync(d => d.ProjectId == projectId && d.EntityId == entityId, cancellationToken);
        if (!tender.DocumentIds.Contains(documentId) && tender.BillOfQuantitiesId != documentId
            && !await db.Set<TenderClarification>().AnyAsync(c => c.ProjectId == projectId && c.DocumentId == documentId, cancellationToken))
        {
            throw new DomainRuleException(TenderRules.NotFound, "This file is not one of the tender's documents.");
        }

        // After the sale only an entity that already holds the documents may fetch them (and the clarifications) again.
        if (!tender.IsOnSale(now) && !already)
        {
            throw new DomainRuleException(TenderRules.NotOnSale,
                $"The tender documents are on sale from {tender.SaleStartsAt:yyyy-MM-dd HH:mm} to {tender.SaleEndsAt:yyyy-MM-dd HH:mm} (China Standard Time shown by the server).");
        }

        if (!tender.Admits(entityId))
        {
            throw new DomainRuleException(TenderRules.NotAdmitted, tender.Kind == TenderKind.Invited
                ? "Only invited entities may download the documents of an invited tender (法 17)."
                : "Only entities that passed prequalification may download the tender documents (条例 19).");
        }

        var check = await eligibility.CheckAsync(entityId, Array.Empty<string>(), now, cancellationToken);
        if (!check.IsEligible)
        {
            throw new DomainRuleException(check.Problems[0].RuleCode, "Only verified market entities may download tender documents.");
        }

        var entity = await db.Set<MarketEntity>().AsNoTracking().FirstAsync(e => e.Id == entityId, cancellationToken);
        var download = TenderDownload.Record(projectId, entityId, entity.Name, documentId, actor.UserId, now);
        db.Add(download);
        await trail.AppendAsync(db, Record(actor.UserId, tender, "documents.downloaded", new { entityId, documentId, firstDownload = !already }), cancellationToken);
        foreach (var sectionId in await SectionsAsync(db, projectId, cancellationToken))
        {
            await participations.EnsureAsync(db, sectionId, entityId, ParticipationOrigin.DocumentsDownloaded, actor.UserId, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return download;
    }

    /// <summary>
    /// Publishes a clarification or amendment to every entity that downloaded the documents. One published less than
    /// 15 日 before the deadline moves the deadline to the same time on the 15th 日 after it (or to the later
    /// <paramref name="proposedDeadline"/>), and the procedure's deadline timer moves with it.
    /// </summary>
    public async Task<TenderClarification> PublishClarificationAsync(
        Guid projectId, string title, string body, Guid? documentId, DateTimeOffset? proposedDeadline, TenderActor actor, CancellationToken cancellationToken = default)
    {
        TenderClarification clarification;
        Tender tender;
        await using (var db = database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            tender = await LoadAsync(db, projectId, cancellationToken);
            await RequireTendereeAsync(tender, actor, cancellationToken);
            if (documentId is { } id && !await db.Set<Document>().AnyAsync(d => d.Id == id && d.ProjectId == projectId, cancellationToken))
            {
                throw new DomainRuleException(TenderRules.DocumentsRequired, "The amended document must be a file uploaded for this project.");
            }

            var now = clock.GetUtcNow();
            var before = tender.BidDeadline;
            var after = TenderRules.DeadlineAfterClarification(now, before, proposedDeadline, Limits, calendar);
            tender.MoveDeadline(after, now);
            if (after != before)
            {
                await SetWindowsAsync(db, projectId, after, actor.UserId, cancellationToken);
            }

            var number = await db.Set<TenderClarification>().CountAsync(c => c.ProjectId == projectId, cancellationToken) + 1;
            clarification = TenderClarification.Create(projectId, number, title, body, documentId, now, actor.UserId, before, after);
            db.Add(clarification);
            // Its 澄清公告 on the portal beside the tender notice (条例 15); an invited tender's invitees read the tender page.
            var notice = await TenderNotices.PublishBesideAnnouncementAsync(
                db, trail, tender, actor.UserId, (project, announcement) => TenderNotices.Clarification(project, announcement, clarification, actor.UserId, clarification.PublishedAt),
                new { clarificationId = clarification.Id }, cancellationToken);
            var recipients = await DownloadedEntitiesAsync(db, projectId, cancellationToken);
            await trail.AppendAsync(db, Record(actor.UserId, tender, "clarification.published", new
            {
                clarificationId = clarification.Id,
                noticeId = notice?.Id,
                number,
                documentId,
                deadlineBefore = before,
                deadlineAfter = after,
                deadlineMoved = after != before,
                entityIds = recipients,
            }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        if (clarification.MovedDeadline)
        {
            await TellProcedureAsync(tender.ProjectCode, TenderMessages.DeadlineChanged, actor.UserId, cancellationToken);
        }

        return clarification;
    }

    /// <summary>An entity that downloaded the documents objects to them, until 10 日 before the deadline (条例 22).</summary>
    public async Task<TenderObjection> RaiseObjectionAsync(Guid projectId, Guid entityId, string text, TenderActor actor, CancellationToken cancellationToken = default)
    {
        TenderObjection objection;
        Tender tender;
        await using (var db = database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            tender = await LoadAsync(db, projectId, cancellationToken);
            if (!await membership.IsMemberAsync(entityId, actor.AccountId, cancellationToken))
            {
                throw new DomainRuleException(TenderRules.NotAllowed, "You do not act for this entity.");
            }

            if (!await db.Set<TenderDownload>().AnyAsync(d => d.ProjectId == projectId && d.EntityId == entityId, cancellationToken))
            {
                throw new DomainRuleException(TenderRules.NotDownloaded, "Only an entity that obtained the tender documents may object to them (条例 22).");
            }

            if (tender.Stage is not (TenderStage.OnSale or TenderStage.BidsOpen))
            {
                throw new DomainRuleException(TenderRules.WrongStage, "Objections to the documents are taken while bids are being prepared.");
            }

            var now = clock.GetUtcNow();
            TenderRules.CheckObjectionInTime(now, tender.BidDeadline, Limits, calendar);
            var entity = await db.Set<MarketEntity>().AsNoTracking().FirstAsync(e => e.Id == entityId, cancellationToken);
            objection = TenderObjection.Raise(projectId, entityId, entity.Name, text, actor.UserId, now, TenderRules.ObjectionAnswerDue(now, Limits, calendar));
            db.Add(objection);
            await trail.AppendAsync(db, Record(actor.UserId, tender, "objection.raised", new
            {
                objectionId = objection.Id,
                entityId,
                ownerEntityId = tender.OwnerEntityId,
                agencyEntityId = tender.AgencyEntityId,
                answerDueAt = objection.AnswerDueAt,
            }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        await TellProcedureAsync(tender.ProjectCode, TenderMessages.ObjectionRaised, actor.UserId, cancellationToken);
        return objection;
    }

    /// <summary>The tenderee answers an objection; the procedure goes on once every objection is answered.</summary>
    public async Task<TenderObjection> AnswerObjectionAsync(Guid objectionId, string answer, TenderActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var objection = await db.Set<TenderObjection>().FirstOrDefaultAsync(o => o.Id == objectionId, cancellationToken)
            ?? throw new DomainRuleException(TenderRules.NotFound, "No such objection.");
        var tender = await LoadAsync(db, objection.ProjectId, cancellationToken);
        await RequireTendereeAsync(tender, actor, cancellationToken);
        objection.AnswerWith(answer, actor.UserId, clock.GetUtcNow());
        await trail.AppendAsync(db, Record(actor.UserId, tender, "objection.answered", new
        {
            objectionId,
            entityId = objection.EntityId,
            late = objection.AnsweredAt > objection.AnswerDueAt,
        }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return objection;
    }

    /// <summary>
    /// The tenderee (or its agency) announces when the bids are opened, the last objection to the documents having been
    /// answered after the deadline without a clarification (条例 22 hold): at least <see cref="TenderLimits.OpeningNoticeDays"/>
    /// ahead, recorded and told to the bidders who bid, the tenderee and the centre's staff; the procedure opens then.
    /// </summary>
    public async Task<Tender> AnnounceOpeningAsync(Guid projectId, DateTimeOffset openingAt, TenderActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var tender = await LoadAsync(db, projectId, cancellationToken);
        await RequireTendereeAsync(tender, actor, cancellationToken);
        var now = clock.GetUtcNow();
        if (!await TenderDocumentsHold.OpeningToAnnounceAsync(db, tender, now, cancellationToken))
        {
            throw new DomainRuleException(TenderRules.OpeningNotToAnnounce,
                $"Tender {tender.ProjectCode} has no opening to announce: one is announced only when the last objection to the documents was answered after the deadline, once.");
        }

        tender.AnnounceOpening(openingAt, now, Limits, calendar);
        var bidders = new HashSet<Guid>();
        foreach (var sectionId in await SectionsAsync(db, projectId, cancellationToken))
        {
            bidders.UnionWith((await SealedBidService.ListInForceAsync(db, sectionId, cancellationToken)).Select(b => b.EntityId));
        }

        await trail.AppendAsync(db, Record(actor.UserId, tender, "opening.announced", new
        {
            openingAt,
            bidDeadline = tender.BidDeadline,
            entityIds = bidders.Order().ToList(),
        }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return tender;
    }

    public async Task<IReadOnlyList<TenderClarification>> ClarificationsAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<TenderClarification>().AsNoTracking().Where(c => c.ProjectId == projectId).OrderBy(c => c.Number).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TenderObjection>> ObjectionsAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var rows = await db.Set<TenderObjection>().AsNoTracking().Where(o => o.ProjectId == projectId).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(o => o.RaisedAt)];
    }

    /// <summary>The documents of the tender this user has obtained (its own downloads only: who downloaded is never disclosed).</summary>
    public async Task<IReadOnlyList<Guid>> ObtainedByUserAsync(Guid projectId, string userName, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<TenderDownload>().AsNoTracking().Where(d => d.ProjectId == projectId && d.UserName == userName)
            .Select(d => d.DocumentId).Distinct().ToListAsync(cancellationToken);
    }

    /// <summary>Which of these entities (the user's own) obtained the tender's documents, by any of their users: who may object (条例 22).</summary>
    public async Task<IReadOnlyList<Guid>> ObtainedByEntitiesAsync(Guid projectId, IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<TenderDownload>().AsNoTracking().Where(d => d.ProjectId == projectId && entityIds.Contains(d.EntityId))
            .Select(d => d.EntityId).Distinct().ToListAsync(cancellationToken);
    }

    /// <summary>The tenders (by project) whose documents each of these entities (the user's own) obtained, by any of their users.</summary>
    public async Task<IReadOnlySet<(Guid ProjectId, Guid EntityId)>> ObtainedByEntitiesAsync(IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken = default)
    {
        if (entityIds.Count == 0)
        {
            return new HashSet<(Guid, Guid)>();
        }

        await using var db = database.Create();
        var rows = await db.Set<TenderDownload>().AsNoTracking().Where(d => entityIds.Contains(d.EntityId))
            .Select(d => new { d.ProjectId, d.EntityId }).Distinct().ToListAsync(cancellationToken);
        return rows.Select(r => (r.ProjectId, r.EntityId)).ToHashSet();
    }

    public static async Task<int> OpenObjectionCountAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken) =>
        await db.Set<TenderObjection>().CountAsync(o => o.ProjectId == projectId && o.AnsweredAt == null, cancellationToken);

    public static async Task<IReadOnlyList<Guid>> DownloadedEntitiesAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken) =>
        await db.Set<TenderDownload>().AsNoTracking().Where(d => d.ProjectId == projectId).Select(d => d.EntityId).Distinct().ToListAsync(cancellationToken);

    public static AuditRecord Record(string actor, Tender tender, string action, object? data = null) =>
        new(actor, tender.CentreId, "project", tender.ProjectId.ToString(), $"{Area}.{action}", TrailData(tender, data));

    /// <summary>
    /// The record's data, flat: the ids the parties are found from (projectId, projectCode, ownerEntityId, agencyEntityId)
    /// and the action's own values.
    /// </summary>
    public static Dictionary<string, object?> TrailData(Tender tender, object? data)
    {
        ArgumentNullException.ThrowIfNull(tender);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["projectId"] = tender.ProjectId,
            ["projectCode"] = tender.ProjectCode,
            ["projectName"] = tender.ProjectName,
            ["ownerEntityId"] = tender.OwnerEntityId,
            ["agencyEntityId"] = tender.AgencyEntityId,
        };
        if (data is not null)
        {
            foreach (var property in data.GetType().GetProperties())
            {
                values[char.ToLowerInvariant(property.Name[0]) + property.Name[1..]] = property.GetValue(data);
            }
        }

        return values;
    }

    private static async Task<List<Guid>> SectionsAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken) =>
        await db.Set<Section>().AsNoTracking().Where(s => s.ProjectId == projectId).OrderBy(s => s.Number).Select(s => s.Id).ToListAsync(cancellationToken);

    /// <summary>The sealed-bid window of every section closes at the tender's deadline (the server refuses bids after it).</summary>
    private async Task SetWindowsAsync(TradingDbContext db, Guid projectId, DateTimeOffset deadline, string actor, CancellationToken cancellationToken)
    {
        foreach (var sectionId in await SectionsAsync(db, projectId, cancellationToken))
        {
            await sealedBids.SetDeadlineAsync(db, sectionId, deadline, actor, cancellationToken);
        }
    }

    private async Task RequireTendereeAsync(Tender tender, TenderActor actor, CancellationToken cancellationToken)
    {
        if (await membership.IsMemberAsync(tender.OwnerEntityId, actor.AccountId, cancellationToken)
            || (tender.AgencyEntityId is { } agency && await membership.IsMemberAsync(agency, actor.AccountId, cancellationToken)))
        {
            return;
        }

        throw new DomainRuleException(TenderRules.NotAllowed, $"Only the tenderee of {tender.ProjectCode} or its agency may do this.");
    }

    /// <summary>
    /// Tells the procedure, after the change committed. The message only hurries it: the tender row is the truth, and
    /// the procedure re-reads the deadline and the open objections every time it wakes (<c>tenderDeadlineState</c>),
    /// including when the deadline timer it armed before fires. So a message that is lost (the node stops between the
    /// commit and the message, the engine is busy, the instance is not waiting) loses no move: at the latest, the old
    /// deadline timer fires, the procedure reads the moved deadline and waits for it. The user's change stands either way.
    /// </summary>
    private async Task TellProcedureAsync(string projectCode, string message, string userId, CancellationToken cancellationToken)
    {
        try
        {
            await engine.CorrelateMessageAsync(new MessageCorrelation(message) { BusinessKey = projectCode, UserId = userId, All = true }, cancellationToken);
        }
        catch (Engine.Runtime.WorkflowNotFoundException)
        {
            // The procedure is not waiting for it just now (it is answering objections or has passed the deadline): it
            // reads the deadline and the open objections from the tender whenever it comes back to wait.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMessageLost(logger, ex, message, projectCode);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The procedure of {ProjectCode} did not take message {Message}; it reads the tender when its timer fires")]
    private static partial void LogMessageLost(ILogger logger, Exception exception, string message, string projectCode);
}

/// <summary>Messages the tender sends to its procedure (business key = project code).</summary>
public static class TenderMessages
{
    public const string DeadlineChanged = "tender.deadline-changed";
    public const string ObjectionRaised = "tender.objection-raised";
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Printing;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>Everything the award pages show of one project.</summary>
public sealed record AwardView(
    TenderAward Award,
    IReadOnlyList<AwardSection> Sections,
    IReadOnlyList<AwardNoticeIssue> Notices,
    IReadOnlyList<ResultObjection> Objections,
    IReadOnlyList<TenderComplaint> Complaints,
    IReadOnlyList<AwardSuspension> Suspensions)
{
    public int OpenObjections => Objections.Count(o => o.IsOpen);
}

/// <summary>A project a supervisor should look at: open complaints, a suspension, a late contract or winner report.</summary>
public sealed record SupervisionItem(TenderAward Award, int OpenComplaints, bool Suspended, IReadOnlyList<AwardSection> LateContracts, bool WinnerReportLate);

/// <summary>Which objection a tenderee left unanswered: to the tender documents (条例 22) or to the evaluation result (条例 54).</summary>
public enum OverdueObjectionKind
{
    Documents,
    Result,
}

/// <summary>An objection still unanswered after its answer due time, for the supervisors' list.</summary>
public sealed record OverdueObjection(
    OverdueObjectionKind Kind, Guid ProjectId, string ProjectCode, string ProjectName, string Objector, DateTimeOffset RaisedAt, DateTimeOffset AnswerDueAt)
{
    /// <summary>Days begun since the due time (a few hours late counts as 1).</summary>
    public int DaysOverdue(DateTimeOffset now) => now <= AnswerDueAt ? 0 : (int)Math.Ceiling((now - AnswerDueAt).TotalDays);
}

/// <summary>
/// The commands from the candidates' publicity to the contracts (条例 54–62, 法 45–47). Each runs in its own transaction
/// with its trail record (notifications are derived from it); the procedure hears of an objection by message and
/// re-reads the facts from the model when it wakes. A supervisor's suspension is both a domain flag every award and
/// contract command checks and a suspension of the project's process instance (its timers wait).
/// </summary>
public sealed partial class AwardService(
    ITradingDatabase database,
    IAuditTrail trail,
    IBusinessCalendar calendar,
    IOptions<AwardLimits> limits,
    IEntityMembership membership,
    ComplaintService complaints,
    IWorkflowEngine engine,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<AwardService> logger)
{
    public const string Area = TenderService.Area;

    private AwardLimits Limits => limits.Value;

    // ------------------------------------------------------------------ publicity (procedure)

    /// <summary>
    /// Publishes the candidates of the confirmed evaluation report on the portal (条例 54), in the procedure's command.
    /// Idempotent: a project already in publicity is returned as it is.
    /// </summary>
    public async Task<TenderAward> PublishCandidatesAsync(TradingDbContext db, Tender tender, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(tender);
        if (await db.Set<TenderAward>().FirstOrDefaultAsync(a => a.ProjectId == tender.ProjectId, cancellationToken) is { } existing)
        {
            return existing;
        }

        var results = services.GetService<IEvaluationResults>()
            ?? throw new DomainRuleException(AwardRules.NoReport, "The evaluation part (IEvaluationResults) is not installed.");
        var report = await results.GetConfirmedReportAsync(db, tender.ProjectId, cancellationToken)
            ?? throw new DomainRuleException(AwardRules.NoReport, $"The evaluation report of {tender.ProjectCode} is not confirmed by every member yet (条例 53).");
        var project = await db.Set<Project>().AsNoTracking().FirstAsync(p => p.Id == tender.ProjectId, cancellationToken);
        var durations = await DurationsAsync(db, tender.ProjectId, cancellationToken);
        var candidates = report.Sections.SelectMany(s => s.Candidates.Select(c => new AwardCandidate(
            s.SectionId, s.SectionCode, c.Rank, c.EntityId, c.EntityName, c.Price, c.Score, durations.GetValueOrDefault((s.SectionId, c.EntityId))))).ToList();
        var bidders = report.Sections.SelectMany(s => s.Bidders.Select(b => new AwardBidder(s.SectionId, b.EntityId, b.EntityName, b.Price, b.Rejected))).ToList();
        var now = clock.GetUtcNow();
        var noticeProject = NoticeProject.Create(project.Id, project.Code, project.CentreId, project.TradeType, project.RegionCode, project.Name);
        var award = TenderAward.Publish(tender, project.OwnerName, project.StateFunded, report.Id, report.ConfirmedAt, report.Summary, candidates, bidders, now, Limits, calendar);
        var notice = AwardNotices.PublicityNotice(noticeProject, award, Limits, now);
        award.AttachPublicityNotice(notice.Id);
        db.Add(notice);
        db.Add(award);
        await db.SaveChangesAsync(cancellationToken);
        await NoticeSearchIndex.AddAsync(db, notice, cancellationToken);
        await trail.AppendAsync(db, NoticeService.Record(actor, notice, "notices.notice.published", new { reportId = report.Id }), cancellationToken);
        await trail.AppendAsync(db, Record(actor, award, "publicity.published", new
        {
            noticeId = notice.Id,
            reportId = report.Id,
            publicityStartsAt = award.PublicityStartsAt,
            publicityEndsAt = award.PublicityEndsAt,
            publishedLate = award.PublishedLate,
            entityIds = award.Bidders.Select(b => b.EntityId).Distinct().ToList(),
        }), cancellationToken);
        return award;
    }

    /// <summary>Each bidder's duration (工期) from its decrypted bid letter, per section.</summary>
    private static async Task<Dictionary<(Guid, Guid), int?>> DurationsAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken)
    {
        var sessions = await db.Set<OpeningSession>().AsNoTracking().Where(s => s.ProjectId == projectId).Select(s => new { s.Id, s.SectionId }).ToListAsync(cancellationToken);
        var ids = sessions.Select(s => s.Id).ToList();
        var bids = await db.Set<OpeningBid>().AsNoTracking().Where(b => ids.Contains(b.SessionId)).ToListAsync(cancellationToken);
        var result = new Dictionary<(Guid, Guid), int?>();
        foreach (var bid in bids.Where(b => b.Letter is not null))
        {
            var section = sessions.First(s => s.Id == bid.SessionId).SectionId;
            result[(section, bid.EntityId)] = bid.Letter!.DurationDays;
        }

        return result;
    }

    // ------------------------------------------------------------------ objections (条例 54)

    /// <summary>A bidder of the project objects to the result, during the publicity only (条例 54); the award waits for the answer.</summary>
    public async Task<ResultObjection> RaiseObjectionAsync(Guid projectId, Guid entityId, string text, TenderActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ResultObjection objection;
        TenderAward award;
        await using (var db = database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            award = await LoadAsync(db, projectId, cancellationToken);
            if (!await membership.IsMemberAsync(entityId, actor.AccountId, cancellationToken))
            {
                throw new DomainRuleException(AwardRules.NotAllowed, "You do not act for this entity.");
            }

            if (!award.IsBidder(entityId))
            {
                throw new DomainRuleException(AwardRules.NotABidder, "Only a bidder of this project may object to its evaluation result (条例 54).");
            }

            var now = clock.GetUtcNow();
            AwardRules.CheckObjectionDuringPublicity(award.Stage == AwardStage.Publicity ? award.PublicityStartsAt : null, award.Stage == AwardStage.Publicity ? award.PublicityEndsAt : null, now);
            var name = award.Bidders.First(b => b.EntityId == entityId).EntityName;
            objection = ResultObjection.Raise(projectId, entityId, name, text, actor.UserId, now, AwardRules.ObjectionAnswerDue(now, Limits, calendar));
            db.Add(objection);
            await trail.AppendAsync(db, Record(actor.UserId, award, "result-objection.raised", new { objectionId = objection.Id, entityId, answerDueAt = objection.AnswerDueAt }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        await TellProcedureAsync(award.ProjectCode, AwardMessages.ResultObjectionRaised, actor.UserId, cancellationToken);
        return objection;
    }

    /// <summary>The tenderee answers; the answer is recorded and shown to the objector.</summary>
    public async Task<ResultObjection> AnswerObjectionAsync(Guid objectionId, string answer, TenderActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var objection = await db.Set<ResultObjection>().FirstOrDefaultAsync(o => o.Id == objectionId, cancellationToken)
            ?? throw new DomainRuleException(AwardRules.NotFound, "No such objection.");
        var award = await LoadAsync(db, objection.ProjectId, cancellationToken);
        await RequireTendereeAsync(award, actor, cancellationToken);
        var now = clock.GetUtcNow();
        objection.AnswerWith(answer, actor.UserId, now);
        await trail.AppendAsync(db, Record(actor.UserId, award, "result-objection.answered", new
        {
            objectionId,
            entityId = objection.EntityId,
            late = now > objection.AnswerDueAt,
        }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return objection;
    }

    /// <summary>
    /// The objector complains to the supervising department about its objection's answer, or about its answer period
    /// passing without one, within 10 日 (条例 60: objection first; <see cref="AwardRules.CheckComplaint"/>).
    /// </summary>
    public Task<TenderComplaint> FileComplaintAsync(Guid objectionId, string text, TenderActor actor, CancellationToken cancellationToken = default) =>
        complaints.FileAsync(ComplaintObjectionKind.Result, objectionId, text, actor, cancellationToken);

    /// <summary>The supervisor records its decision on an accepted complaint (条例 61; <see cref="ComplaintService.DecideAsync"/>).</summary>
    public Task<TenderComplaint> DecideComplaintAsync(Guid complaintId, string decision, TenderActor actor, CancellationToken cancellationToken = default) =>
        complaints.DecideAsync(complaintId, decision, actor, cancellationToken);

    // ------------------------------------------------------------------ suspension (条例 62)

    /// <summary>
    /// A supervisor orders the procedure suspended: recorded, every award and contract command refused, and the
    /// project's process instance suspended (its timers and tasks wait).
    /// </summary>
    public async Task<AwardSuspension> SuspendAsync(Guid projectId, Guid? complaintId, string reason, TenderActor actor, CancellationToken cancellationToken = default)
    {
        AwardSuspension suspension;
        Guid? instanceId;
        await using (var db = database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var award = await LoadAsync(db, projectId, cancellationToken);
            RequireSupervisor(award, actor);
            if (complaintId is { } cid && !await db.Set<TenderComplaint>().AnyAsync(c => c.Id == cid && c.ProjectId == projectId, cancellationToken))
            {
                throw new DomainRuleException(AwardRules.NotFound, "The complaint is not one of this project's.");
            }

            var now = clock.GetUtcNow();
            award.Suspend(now);
            suspension = AwardSuspension.Order(projectId, complaintId, reason, actor.UserId, now);
            db.Add(suspension);
            instanceId = await db.Set<Project>().AsNoTracking().Where(p => p.Id == projectId).Select(p => p.ProcessInstanceId).FirstOrDefaultAsync(cancellationToken);
            await trail.AppendAsync(db, Record(actor.UserId, award, "procedure.suspended", new
            {
                suspensionId = suspension.Id,
                complaintId,
                reason = suspension.Reason,
                instanceId,
                entityIds = award.Bidders.Select(b => b.EntityId).Distinct().ToList(),
            }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        if (instanceId is { } id)
        {
            await InstanceAsync(() => engine.SuspendInstanceAsync(id, suspension.Reason, actor.UserId, cancellationToken), "suspend", id);
        }

        return suspension;
    }

    /// <summary>The supervisor resumes the procedure: recorded, the flag cleared and the instance resumed.</summary>
    public async Task<AwardSuspension> ResumeAsync(Guid projectId, string reason, TenderActor actor, CancellationToken cancellationToken = default)
    {
        AwardSuspension suspension;
        Guid? instanceId;
        await using (var db = database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var award = await LoadAsync(db, projectId, cancellationToken);
            RequireSupervisor(award, actor);
            var now = clock.GetUtcNow();
            award.Resume(now);
            suspension = await db.Set<AwardSuspension>().Where(s => s.ProjectId == projectId && s.ResumedAt == null).OrderByDescending(s => s.OrderedAt).FirstAsync(cancellationToken);
            suspension.Resume(reason, actor.UserId, now);
            instanceId = await db.Set<Project>().AsNoTracking().Where(p => p.Id == projectId).Select(p => p.ProcessInstanceId).FirstOrDefaultAsync(cancellationToken);
            await trail.AppendAsync(db, Record(actor.UserId, award, "procedure.resumed", new
            {
                suspensionId = suspension.Id,
                reason = suspension.ResumeReason,
                instanceId,
                entityIds = award.Bidders.Select(b => b.EntityId).Distinct().ToList(),
            }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        if (instanceId is { } id)
        {
            await InstanceAsync(() => engine.ResumeInstanceAsync(id, suspension.ResumeReason, actor.UserId, cancellationToken), "resume", id);
        }

        return suspension;
    }

    private async Task InstanceAsync(Func<ValueTask> action, string what, Guid instanceId)
    {
        try
        {
            await action();
        }
        catch (WorkflowException ex) when (ex is WorkflowStateException or WorkflowNotFoundException)
        {
            // Already in that state, or ended: the domain flag is the rule every command checks.
            LogInstanceUnchanged(logger, ex, what, instanceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The process instance {InstanceId} was left as it is on {What}")]
    private static partial void LogInstanceUnchanged(ILogger logger, Exception exception, string what, Guid instanceId);

    // ------------------------------------------------------------------ award (定标, 法 45, 条例 55)

    /// <summary>
    /// The tenderee determines the winners: refused before the publicity ends, while an objection is open or while the
    /// procedure is suspended; rank 1 for state-funded projects. The award notice to each winner and the result notice
    /// to every other bidder are issued at the same instant, and the result is published on the portal, in one
    /// transaction, each notice printed as a PDF in it (<see cref="IOfficialDocuments"/>): a printing failure issues nothing.
    /// </summary>
    public async Task<IReadOnlyList<AwardSection>> AwardAsync(Guid projectId, IReadOnlyList<AwardChoice> choices, TenderActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(choices);
        IReadOnlyList<AwardSection> sections;
        await using (var db = database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var award = await LoadAsync(db, projectId, cancellationToken);
            await RequireTendereeAsync(award, actor, cancellationToken);
            var open = await db.Set<ResultObjection>().CountAsync(o => o.ProjectId == projectId && o.AnsweredAt == null, cancellationToken);
            var now = clock.GetUtcNow();
            sections = award.Award(choices, open, actor.UserId, now, Limits, calendar);
            var issues = new List<AwardNoticeIssue>();
            foreach (var section in sections)
            {
                db.Add(section);
                issues.Add(AwardNoticeIssue.Issue(projectId, section.SectionId, section.SectionCode, section.WinnerEntityId, section.WinnerName, AwardNoticeKind.Award, now));
                foreach (var other in award.Bidders.Where(b => b.SectionId == section.SectionId && b.EntityId != section.WinnerEntityId).DistinctBy(b => b.EntityId))
                {
                    issues.Add(AwardNoticeIssue.Issue(projectId, section.SectionId, section.SectionCode, other.EntityId, other.EntityName, AwardNoticeKind.Result, now));
                }
            }

            db.AddRange(issues);

            // Each notice is printed in this transaction (closeout's in-transaction overload): the award, every notice and
            // its PDF commit together or not at all. Without a printing part the notices stand unprinted (PrintNoticesAsync).
            if (services.GetService<IOfficialDocuments>() is { } printing)
            {
                foreach (var issue in issues)
                {
                    issue.Printed(await printing.IssueAsync(db, AwardNotices.Pdf(award, sections.First(s => s.SectionId == issue.SectionId), issue, actor.UserId), cancellationToken));
                }
            }
            var project = await db.Set<Project>().AsNoTracking().FirstAsync(p => p.Id == projectId, cancellationToken);
            var noticeProject = NoticeProject.Create(project.Id, project.Code, project.CentreId, project.TradeType, project.RegionCode, project.Name);
            var notice = AwardNotices.ResultNotice(noticeProject, award, sections, now);
            db.Add(notice);
            award.PublishResult(notice.Id, now);
            await db.SaveChangesAsync(cancellationToken);
            await NoticeSearchIndex.AddAsync(db, notice, cancellationToken);
            await trail.AppendAsync(db, NoticeService.Record(actor.UserId, notice, "notices.notice.published", new { awardedAt = now }), cancellationToken);
            await trail.AppendAsync(db, Record(actor.UserId, award, "award.decided", new
            {
                resultNoticeId = notice.Id,
                awardedAt = now,
                sections = sections.Select(s => new { sectionId = s.SectionId, winnerEntityId = s.WinnerEntityId, rank = s.WinnerRank, price = s.ContractPrice, reason = s.Reason }).ToList(),
                winnerEntityIds = issues.Where(i => i.Kind == AwardNoticeKind.Award).Select(i => i.EntityId).Distinct().ToList(),
                otherEntityIds = issues.Where(i => i.Kind == AwardNoticeKind.Result).Select(i => i.EntityId).Distinct().ToList(),
                noticeIds = issues.Select(i => i.Id).ToList(),
                pdfs = issues.Where(i => i.IsPrinted).Select(i => new { noticeId = i.Id, documentId = i.DocumentId, sm3 = i.Sm3 }).ToList(),
                contractDueAt = award.ContractDueAt,
                winnerReportDueAt = award.WinnerReportDueAt,
            }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        return sections;
    }

    /// <summary>
    /// Prints every award and result notice of the project that has no PDF yet (issued while no printing part was
    /// installed); a notice whose printing fails stays unprinted and is printed by the next call. Returns how many were
    /// printed now.
    /// </summary>
    public async Task<int> PrintNoticesAsync(Guid projectId, string actor, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IOfficialDocuments>() is not { } printing)
        {
            LogPrintingMissing(logger, projectId);
            return 0;
        }

        TenderAward award;
        List<AwardNoticeIssue> pending;
        List<AwardSection> sections;
        await using (var db = database.Create())
        {
            award = await db.Set<TenderAward>().AsNoTracking().FirstAsync(a => a.ProjectId == projectId, cancellationToken);
            pending = await db.Set<AwardNoticeIssue>().AsNoTracking().Where(n => n.ProjectId == projectId && n.DocumentId == null).ToListAsync(cancellationToken);
            sections = await db.Set<AwardSection>().AsNoTracking().Where(s => s.ProjectId == projectId).ToListAsync(cancellationToken);
        }

        var printed = 0;
        foreach (var issue in pending.OrderBy(n => n.SectionCode, StringComparer.Ordinal).ThenBy(n => n.Kind))
        {
            IssuedDocument document;
            try
            {
                document = await printing.IssueAsync(AwardNotices.Pdf(award, sections.First(s => s.SectionId == issue.SectionId), issue, actor), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPrintFailed(logger, ex, issue.Id, award.ProjectCode);
                continue;
            }

            await using var db = database.Create();
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var row = await db.Set<AwardNoticeIssue>().FirstAsync(n => n.Id == issue.Id, cancellationToken);
            row.Printed(document);
            await trail.AppendAsync(db, Record(actor, award, "award.notice-printed", new
            {
                noticeId = issue.Id,
                kind = issue.Kind.ToString(),
                entityId = issue.EntityId,
                documentId = document.DocumentId,
                sm3 = document.Sm3,
            }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            printed++;
        }

        return printed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The printing part (IOfficialDocuments) is not installed: the award notices of project {ProjectId} stay unprinted")]
    private static partial void LogPrintingMissing(ILogger logger, Guid projectId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Printing award notice {NoticeId} of {ProjectCode} failed; it is printed again on the next attempt")]
    private static partial void LogPrintFailed(ILogger logger, Exception exception, Guid noticeId, string projectCode);

    // ------------------------------------------------------------------ contract (法 46, 条例 58) and winner report (法 47)

    /// <summary>
    /// The tenderee uploads a section's signed contract (a file uploaded for the project) with its performance bond,
    /// at most 10% of the contract price (条例 58); the price is the winning bid's, not typed again. A contract after the
    /// 30 日 is still taken and recorded late.
    /// </summary>
    public async Task<AwardSection> UploadContractAsync(Guid projectId, Guid sectionId, Guid documentId, decimal performanceBond, TenderActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var award = await LoadAsync(db, projectId, cancellationToken);
        await RequireTendereeAsync(award, actor, cancellationToken);
        award.RequireNotSuspended();
        award.RequireAwarded();
        var section = await db.Set<AwardSection>().FirstOrDefaultAsync(s => s.ProjectId == projectId && s.SectionId == sectionId, cancellationToken)
            ?? throw new DomainRuleException(AwardRules.NotFound, "This section has no award.");
        if (!await db.Set<Document>().AnyAsync(d => d.Id == documentId && d.ProjectId == projectId, cancellationToken))
        {
            throw new DomainRuleException(AwardRules.ContractDocumentRequired, "The signed contract must be a file uploaded for this project.");
        }

        var now = clock.GetUtcNow();
        section.UploadContract(documentId, performanceBond, award.ContractDueAt!.Value, actor.UserId, now, Limits);
        await trail.AppendAsync(db, Record(actor.UserId, award, "contract.uploaded", new
        {
            sectionId,
            documentId,
            winnerEntityId = section.WinnerEntityId,
            contractPrice = section.ContractPrice,
            performanceBond,
            late = section.ContractLate,
        }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return section;
    }

    /// <summary>The tenderee submits the written report on the tender to the supervising department (法 47: within 15 日).</summary>
    public async Task<TenderAward> SubmitWinnerReportAsync(Guid projectId, Guid documentId, TenderActor actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var award = await LoadAsync(db, projectId, cancellationToken);
        await RequireTendereeAsync(award, actor, cancellationToken);
        if (!await db.Set<Document>().AnyAsync(d => d.Id == documentId && d.ProjectId == projectId, cancellationToken))
        {
            throw new DomainRuleException(AwardRules.ReportDocumentRequired, "The written report must be a file uploaded for this project.");
        }

        var now = clock.GetUtcNow();
        award.SubmitWinnerReport(documentId, actor.UserId, now);
        await trail.AppendAsync(db, Record(actor.UserId, award, "winner-report.submitted", new { documentId, late = now >= award.WinnerReportDueAt }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return award;
    }

    // ------------------------------------------------------------------ queries

    public async Task<AwardView?> GetAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var award = await db.Set<TenderAward>().AsNoTracking().FirstOrDefaultAsync(a => a.ProjectId == projectId, cancellationToken);
        if (award is null)
        {
            return null;
        }

        var sections = await db.Set<AwardSection>().AsNoTracking().Where(s => s.ProjectId == projectId).ToListAsync(cancellationToken);
        var notices = await db.Set<AwardNoticeIssue>().AsNoTracking().Where(n => n.ProjectId == projectId).ToListAsync(cancellationToken);
        var objections = await db.Set<ResultObjection>().AsNoTracking().Where(o => o.ProjectId == projectId).ToListAsync(cancellationToken);
        var complaintRows = await db.Set<TenderComplaint>().AsNoTracking().Where(c => c.ProjectId == projectId && c.ObjectionKind == ComplaintObjectionKind.Result).ToListAsync(cancellationToken);
        var suspensions = await db.Set<AwardSuspension>().AsNoTracking().Where(s => s.ProjectId == projectId).ToListAsync(cancellationToken);
        return new AwardView(
            award,
            [.. sections.OrderBy(s => s.SectionCode, StringComparer.Ordinal)],
            [.. notices.OrderBy(n => n.SectionCode, StringComparer.Ordinal).ThenBy(n => n.Kind).ThenBy(n => n.EntityName, StringComparer.Ordinal)],
            [.. objections.OrderBy(o => o.RaisedAt)],
            [.. complaintRows.OrderBy(c => c.FiledAt)],
            [.. suspensions.OrderBy(s => s.OrderedAt)]);
    }

    /// <summary>What the supervisors should look at: projects with an open complaint, a suspension, or a contract or winner report past its due time.</summary>
    public async Task<IReadOnlyList<SupervisionItem>> SupervisionAsync(Guid? centreId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var now = clock.GetUtcNow();
        var awards = await db.Set<TenderAward>().AsNoTracking().Where(a => centreId == null || a.CentreId == centreId).ToListAsync(cancellationToken);
        var ids = awards.Select(a => a.ProjectId).ToList();
        var openComplaints = await db.Set<TenderComplaint>().AsNoTracking().Where(c => ids.Contains(c.ProjectId) && c.DecidedAt == null && c.RefusedAt == null).ToListAsync(cancellationToken);
        var sections = await db.Set<AwardSection>().AsNoTracking().Where(s => ids.Contains(s.ProjectId) && s.ContractDocumentId == null).ToListAsync(cancellationToken);
        var items = new List<SupervisionItem>();
        foreach (var award in awards.OrderBy(a => a.ProjectCode, StringComparer.Ordinal))
        {
            var late = award.ContractDueAt is { } due && now >= due ? sections.Where(s => s.ProjectId == award.ProjectId).ToList() : [];
            var reportLate = award.WinnerReportDueAt is { } reportDue && now >= reportDue && award.WinnerReportSubmittedAt is null;
            var open = openComplaints.Count(c => c.ProjectId == award.ProjectId);
            if (open > 0 || award.Suspended || late.Count > 0 || reportLate)
            {
                items.Add(new SupervisionItem(award, open, award.Suspended, late, reportLate));
            }
        }

        return items;
    }

    /// <summary>Objections of both kinds past their answer due time without an answer, of the centre's projects (every centre when null), most overdue first.</summary>
    public async Task<IReadOnlyList<OverdueObjection>> OverdueObjectionsAsync(Guid? centreId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var now = clock.GetUtcNow();
        // Open objections are few; the due time is compared after loading so the ticks converter needs no translation.
        var documents = await (from o in db.Set<TenderObjection>().AsNoTracking()
                               join t in db.Set<Tender>().AsNoTracking() on o.ProjectId equals t.ProjectId
                               where o.AnsweredAt == null && (centreId == null || t.CentreId == centreId)
                               select new { o.ProjectId, t.ProjectCode, t.ProjectName, o.EntityName, o.RaisedAt, o.AnswerDueAt }).ToListAsync(cancellationToken);
        var results = await (from o in db.Set<ResultObjection>().AsNoTracking()
                             join a in db.Set<TenderAward>().AsNoTracking() on o.ProjectId equals a.ProjectId
                             where o.AnsweredAt == null && (centreId == null || a.CentreId == centreId)
                             select new { o.ProjectId, a.ProjectCode, a.ProjectName, o.EntityName, o.RaisedAt, o.AnswerDueAt }).ToListAsync(cancellationToken);
        return [.. documents.Select(o => new OverdueObjection(OverdueObjectionKind.Documents, o.ProjectId, o.ProjectCode, o.ProjectName, o.EntityName, o.RaisedAt, o.AnswerDueAt))
            .Concat(results.Select(o => new OverdueObjection(OverdueObjectionKind.Result, o.ProjectId, o.ProjectCode, o.ProjectName, o.EntityName, o.RaisedAt, o.AnswerDueAt)))
            .Where(o => now >= o.AnswerDueAt)
            .OrderBy(o => o.AnswerDueAt)
            .ThenBy(o => o.ProjectCode, StringComparer.Ordinal)];
    }

    /// <summary>The notices issued to these entities (a bidder's own award or result notices).</summary>
    public async Task<IReadOnlyList<AwardNoticeIssue>> NoticesOfAsync(Guid projectId, IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<AwardNoticeIssue>().AsNoTracking().Where(n => n.ProjectId == projectId && entityIds.Contains(n.EntityId)).ToListAsync(cancellationToken);
    }

    /// <summary>Whether this user acts for the project's tenderee or its agency.</summary>
    public async Task<bool> IsTendereeAsync(TenderAward award, TenderActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(award);
        ArgumentNullException.ThrowIfNull(actor);
        return await membership.IsMemberAsync(award.OwnerEntityId, actor.AccountId, cancellationToken)
            || (award.AgencyEntityId is { } agency && await membership.IsMemberAsync(agency, actor.AccountId, cancellationToken));
    }

    /// <summary>The bidders of the project this user acts for.</summary>
    public async Task<IReadOnlyList<AwardBidder>> BiddersOfUserAsync(TenderAward award, TenderActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(award);
        ArgumentNullException.ThrowIfNull(actor);
        var result = new List<AwardBidder>();
        foreach (var bidder in award.Bidders.DistinctBy(b => b.EntityId))
        {
            if (await membership.IsMemberAsync(bidder.EntityId, actor.AccountId, cancellationToken))
            {
                result.Add(bidder);
            }
        }

        return result;
    }

    public static bool IsSupervisor(TenderAward award, TenderActor actor)
    {
        ArgumentNullException.ThrowIfNull(award);
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Roles.Contains(PlatformRoles.Supervisor, StringComparer.Ordinal) && (actor.CentreId is null || actor.CentreId == award.CentreId);
    }

    public static async Task<TenderAward> LoadAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken) =>
        await db.Set<TenderAward>().FirstOrDefaultAsync(a => a.ProjectId == projectId, cancellationToken)
        ?? throw new DomainRuleException(AwardRules.NotFound, $"Project {projectId} has no published candidates.");

    public static AuditRecord Record(string actor, TenderAward award, string action, object? data = null)
    {
        ArgumentNullException.ThrowIfNull(award);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["projectId"] = award.ProjectId,
            ["projectCode"] = award.ProjectCode,
            ["projectName"] = award.ProjectName,
            ["ownerEntityId"] = award.OwnerEntityId,
            ["agencyEntityId"] = award.AgencyEntityId,
        };
        if (data is not null)
        {
            foreach (var property in data.GetType().GetProperties())
            {
                values[char.ToLowerInvariant(property.Name[0]) + property.Name[1..]] = property.GetValue(data);
            }
        }

        return new AuditRecord(actor, award.CentreId, "project", award.ProjectId.ToString(), $"{Area}.{action}", values);
    }

    private static void RequireSupervisor(TenderAward award, TenderActor actor)
    {
        if (!IsSupervisor(award, actor))
        {
            throw new DomainRuleException(AwardRules.SupervisorOnly, "Only the supervising department decides complaints and suspends or resumes the procedure (条例 61–62).");
        }
    }

    private async Task RequireTendereeAsync(TenderAward award, TenderActor actor, CancellationToken cancellationToken)
    {
        if (!await IsTendereeAsync(award, actor, cancellationToken))
        {
            throw new DomainRuleException(AwardRules.NotAllowed, $"Only the tenderee of {award.ProjectCode} or its agency may do this.");
        }
    }

    /// <summary>Hurries the procedure after the change committed; it re-reads the model when it wakes, so a lost message loses nothing.</summary>
    private async Task TellProcedureAsync(string projectCode, string message, string userId, CancellationToken cancellationToken)
    {
        try
        {
            await engine.CorrelateMessageAsync(new MessageCorrelation(message) { BusinessKey = projectCode, UserId = userId, All = true }, cancellationToken);
        }
        catch (WorkflowNotFoundException)
        {
            // Not waiting for it just now (answering objections already): it reads the open objections when it next waits.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMessageLost(logger, ex, message, projectCode);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The procedure of {ProjectCode} did not take message {Message}; it reads the objections when its timer fires")]
    private static partial void LogMessageLost(ILogger logger, Exception exception, string message, string projectCode);
}

/// <summary>Messages the award part sends to the project's procedure (business key = project code).</summary>
public static class AwardMessages
{
    public const string ResultObjectionRaised = "engineering.result-objection-raised";
}

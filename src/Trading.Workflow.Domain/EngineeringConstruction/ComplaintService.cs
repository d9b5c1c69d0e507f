using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>A complaint with the project it concerns, for the supervisors' list.</summary>
public sealed record ComplaintItem(TenderComplaint Complaint, string ProjectCode, string ProjectName)
{
    public Guid ProjectId => Complaint.ProjectId;
}

/// <summary>
/// Complaints to the supervising department after an objection of any kind (条例 60–61): filed by the objector's entity
/// within 10 日 of knowing (<see cref="AwardRules.CheckComplaint"/>, the one rule for the three kinds), accepted or not
/// within 3 working days, decided within 30 after acceptance, only by supervisors of the project's centre. Each step runs
/// in its own transaction with its trail record, from which the parties' notifications are derived.
/// </summary>
public sealed class ComplaintService(
    ITradingDatabase database,
    IAuditTrail trail,
    IBusinessCalendar calendar,
    IOptions<AwardLimits> limits,
    IEntityMembership membership,
    TimeProvider clock)
{
    private AwardLimits Limits => limits.Value;

    /// <summary>The objector's entity complains about the answer to its objection, or about the answer period passing without one.</summary>
    public async Task<TenderComplaint> FileAsync(ComplaintObjectionKind kind, Guid objectionId, string text, TenderActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var objection = await ObjectionAsync(db, kind, objectionId, cancellationToken)
            ?? throw new DomainRuleException(AwardRules.ComplaintBeforeAnswer, "A complaint names the objection it follows (条例 60).");
        if (!await membership.IsMemberAsync(objection.EntityId, actor.AccountId, cancellationToken))
        {
            throw new DomainRuleException(AwardRules.ComplaintNotObjector, "Only the entity that raised the objection may complain about its answer (条例 60).");
        }

        // One complaint per objection at a time, as the pages offer it: a second (another tab, a repeated request) would
        // ask the supervisor to accept and decide the same matter twice. One not accepted (不予受理, a defect the
        // complainant may put right) may be filed again within the 10 日. On PostgreSQL two filings side by side are
        // ordered by the trail's writer lock, which the filing takes anyway, taken here before the check.
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync(AuditTrail.PostgresWriterLockSql, cancellationToken);
        }

        if (await db.Set<TenderComplaint>().AnyAsync(c => c.ObjectionKind == kind && c.ObjectionId == objectionId && c.RefusedAt == null, cancellationToken))
        {
            throw new DomainRuleException(AwardRules.ComplaintAlreadyFiled, "A complaint about this objection's answer is already filed and not refused (条例 60).");
        }

        var tender = await TenderAsync(db, objection.ProjectId, cancellationToken);
        var now = clock.GetUtcNow();
        AwardRules.CheckComplaint(objection.AnsweredAt, objection.AnswerDueAt, now, Limits, calendar);
        var complaint = TenderComplaint.File(kind, objectionId, objection.ProjectId, objection.EntityId, objection.EntityName, text, actor.UserId, now,
            ComplaintRules.AcceptDue(now, Limits, calendar));
        db.Add(complaint);
        await trail.AppendAsync(db, TenderService.Record(actor.UserId, tender, "complaint.filed", new
        {
            complaintId = complaint.Id,
            objectionKind = kind.ToString(),
            objectionId,
            entityId = objection.EntityId,
            entityName = objection.EntityName,
            acceptDueAt = complaint.AcceptDueAt,
        }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return complaint;
    }

    /// <summary>受理 (条例 61): after the 3 working days still taken, recorded as late.</summary>
    public Task<TenderComplaint> AcceptAsync(Guid complaintId, TenderActor actor, CancellationToken cancellationToken = default) =>
        SuperviseAsync(complaintId, actor, "complaint.accepted", (complaint, now) =>
        {
            var late = complaint.IsOverdue(now);
            complaint.Accept(actor.UserId, now, ComplaintRules.DecideDue(now, Limits, calendar));
            return new { late, decideDueAt = complaint.DecideDueAt };
        }, cancellationToken);

    /// <summary>不予受理 with the reason (条例 61): the complaint ends.</summary>
    public Task<TenderComplaint> RefuseAsync(Guid complaintId, string reason, TenderActor actor, CancellationToken cancellationToken = default) =>
        SuperviseAsync(complaintId, actor, "complaint.refused", (complaint, now) =>
        {
            var late = complaint.IsOverdue(now);
            complaint.Refuse(reason, actor.UserId, now);
            return new { late, reason = complaint.RefusalReason };
        }, cancellationToken);

    /// <summary>The decision on an accepted complaint (条例 61); refused before acceptance.</summary>
    public Task<TenderComplaint> DecideAsync(Guid complaintId, string decision, TenderActor actor, CancellationToken cancellationToken = default) =>
        SuperviseAsync(complaintId, actor, "complaint.decided", (complaint, now) =>
        {
            var late = complaint.IsOverdue(now);
            complaint.Decide(decision, actor.UserId, now);
            return new { late, decision = complaint.Decision };
        }, cancellationToken);

    /// <summary>The actor of the platform's overdue announcements on the trail.</summary>
    public const string SystemActor = "system:complaints";

    /// <summary>
    /// Announces every complaint whose acceptance or decision passed its 条例 61 due time unannounced: one trail record
    /// per complaint and step (<c>complaint.overdue</c>), from which the centre's supervisors are notified. A step is
    /// marked in the same transaction, by a conditional update, so two nodes or rounds announce it once. Returns how many.
    /// </summary>
    public async Task<int> AnnounceOverdueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        List<TenderComplaint> open;
        await using (var read = database.Create())
        {
            open = await read.Set<TenderComplaint>().AsNoTracking()
                .Where(c => c.DecidedAt == null && c.RefusedAt == null
                    && ((c.AcceptedAt == null && c.AcceptDueAt != null && c.AcceptEscalatedAt == null)
                        || (c.AcceptedAt != null && c.DecideDueAt != null && c.DecideEscalatedAt == null)))
                .ToListAsync(cancellationToken);
        }

        var announced = 0;
        foreach (var complaint in open.Where(c => c.IsOverdue(now)))
        {
            var accepting = complaint.Stage == ComplaintStage.Filed;
            await using var db = database.Create();
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var marked = accepting
                ? await db.Set<TenderComplaint>()
                    .Where(c => c.Id == complaint.Id && c.AcceptedAt == null && c.RefusedAt == null && c.AcceptEscalatedAt == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(c => c.AcceptEscalatedAt, now), cancellationToken)
                : await db.Set<TenderComplaint>()
                    .Where(c => c.Id == complaint.Id && c.DecidedAt == null && c.DecideEscalatedAt == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(c => c.DecideEscalatedAt, now), cancellationToken);
            if (marked == 0)
            {
                continue;
            }

            var tender = await TenderAsync(db, complaint.ProjectId, cancellationToken);
            var data = new { step = accepting ? "accept" : "decide", dueAt = accepting ? complaint.AcceptDueAt : complaint.DecideDueAt };
            await trail.AppendAsync(db, Record(SystemActor, tender, complaint, "complaint.overdue", data), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            announced++;
        }

        return announced;
    }

    /// <summary>A supervisor's or the platform's step on a complaint: the project's ids, the complaint and its complainant.</summary>
    private static AuditRecord Record(string actor, Tender tender, TenderComplaint complaint, string action, object? data)
    {
        var values = TenderService.TrailData(tender, data);
        values["complaintId"] = complaint.Id;
        values["objectionKind"] = complaint.ObjectionKind.ToString();
        values["entityId"] = complaint.EntityId;
        values["entityName"] = complaint.EntityName;
        return new AuditRecord(actor, tender.CentreId, "project", tender.ProjectId.ToString(), $"{TenderService.Area}.{action}", values);
    }

    private async Task<TenderComplaint> SuperviseAsync<T>(Guid complaintId, TenderActor actor, string action, Func<TenderComplaint, DateTimeOffset, T> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var complaint = await db.Set<TenderComplaint>().FirstOrDefaultAsync(c => c.Id == complaintId, cancellationToken)
            ?? throw new DomainRuleException(AwardRules.NotFound, "No such complaint.");
        var tender = await TenderAsync(db, complaint.ProjectId, cancellationToken);
        if (!IsSupervisor(tender.CentreId, actor))
        {
            throw new DomainRuleException(AwardRules.SupervisorOnly, "Only the supervising department of the project's centre accepts and decides complaints (条例 61).");
        }

        var data = step(complaint, clock.GetUtcNow());
        await trail.AppendAsync(db, Record(actor.UserId, tender, complaint, action, data), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return complaint;
    }

    /// <summary>The complaints following these objections of one kind (a page shows each under its objection).</summary>
    public async Task<IReadOnlyList<TenderComplaint>> ForObjectionsAsync(ComplaintObjectionKind kind, IReadOnlyCollection<Guid> objectionIds, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var rows = await db.Set<TenderComplaint>().AsNoTracking().Where(c => c.ObjectionKind == kind && objectionIds.Contains(c.ObjectionId)).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(c => c.FiledAt)];
    }

    /// <summary>Every complaint of the centre's engineering projects (every centre when null): open ones first, the overdue before them.</summary>
    public async Task<IReadOnlyList<ComplaintItem>> ForCentreAsync(Guid? centreId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var now = clock.GetUtcNow();
        var rows = await (from c in db.Set<TenderComplaint>().AsNoTracking()
                          join t in db.Set<Tender>().AsNoTracking() on c.ProjectId equals t.ProjectId
                          where centreId == null || t.CentreId == centreId
                          select new { Complaint = c, t.ProjectCode, t.ProjectName }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ComplaintItem(r.Complaint, r.ProjectCode, r.ProjectName))
            .OrderByDescending(i => i.Complaint.IsOverdue(now))
            .ThenByDescending(i => i.Complaint.IsOpen)
            .ThenBy(i => i.Complaint.FiledAt)];
    }

    /// <summary>A supervisor of the project's centre (a supervisor with no centre supervises every centre).</summary>
    public static bool IsSupervisor(Guid centreId, TenderActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Roles.Contains(PlatformRoles.Supervisor, StringComparer.Ordinal) && (actor.CentreId is null || actor.CentreId == centreId);
    }

    private static async Task<Tender> TenderAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken) =>
        await db.Set<Tender>().AsNoTracking().FirstOrDefaultAsync(t => t.ProjectId == projectId, cancellationToken)
        ?? throw new DomainRuleException(AwardRules.NotFound, "Complaints here concern engineering tenders.");

    private sealed record Objection(Guid ProjectId, Guid EntityId, string EntityName, DateTimeOffset? AnsweredAt, DateTimeOffset AnswerDueAt);

    /// <summary>
    /// The objection's facts for 条例 60. One raised at the opening is answered on the spot (条例 44): unanswered, the
    /// bidder knows when the opening closes, so its end stands for the answer period's; while the opening runs it is too early.
    /// </summary>
    private static async Task<Objection?> ObjectionAsync(TradingDbContext db, ComplaintObjectionKind kind, Guid id, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case ComplaintObjectionKind.Documents:
                return await db.Set<TenderObjection>().AsNoTracking().Where(o => o.Id == id)
                    .Select(o => new Objection(o.ProjectId, o.EntityId, o.EntityName, o.AnsweredAt, o.AnswerDueAt)).FirstOrDefaultAsync(cancellationToken);
            case ComplaintObjectionKind.Result:
                return await db.Set<ResultObjection>().AsNoTracking().Where(o => o.Id == id)
                    .Select(o => new Objection(o.ProjectId, o.EntityId, o.EntityName, o.AnsweredAt, o.AnswerDueAt)).FirstOrDefaultAsync(cancellationToken);
            case ComplaintObjectionKind.Opening:
                var opening = await (from o in db.Set<OpeningObjection>().AsNoTracking()
                                     join s in db.Set<OpeningSession>().AsNoTracking() on o.SessionId equals s.Id
                                     where o.Id == id
                                     select new { s.ProjectId, o.EntityId, o.EntityName, o.AnsweredAt, s.ClosedAt }).FirstOrDefaultAsync(cancellationToken);
                return opening is null ? null : new Objection(opening.ProjectId, opening.EntityId, opening.EntityName, opening.AnsweredAt, opening.ClosedAt ?? DateTimeOffset.MaxValue);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}

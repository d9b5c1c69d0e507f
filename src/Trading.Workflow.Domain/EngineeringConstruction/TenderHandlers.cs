using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>Process variables of <c>workflows/engineering-construction/engineering-tender.bpmn</c> the handlers set.</summary>
public static class TenderVariables
{
    public const string Invited = "invited";
    public const string Prequalification = "prequalification";
    public const string SaleStartsAt = "saleStartsAt";
    public const string SaleEndsAt = "saleEndsAt";
    public const string BidDeadline = "bidDeadline";
    public const string PrequalificationSaleStartsAt = "pqSaleStartsAt";
    public const string PrequalificationApplicationDeadline = "pqApplicationDeadline";
    public const string QualifiedCount = "qualifiedCount";
    public const string OpenObjections = "openObjections";
    public const string DeadlineReached = "deadlineReached";
    public const string OpeningToAnnounce = "openingToAnnounce";
    public const string OpeningAt = "openingAt";
    public const string OpeningReached = "openingReached";
    public const string HoldWaitsAgain = "holdWaitsAgain";
    public const string ObjectionAnswerDue = "objectionAnswerDue";
    public const string ObjectionReminderAt = "objectionReminderAt";
    public const string ObjectionsToRemind = "objectionsToRemind";
    public const string ObjectionOverdueAt = "objectionOverdueAt";
    public const string ObjectionsToEscalate = "objectionsToEscalate";
    public const string BidCount = "bidCount";
    public const string RetenderRule = "retenderRule";
    public const string RetenderReason = "retenderReason";
    public const string Retender = "retender";

    /// <summary>How the handlers write an instant for a timer's timeDate: ISO 8601 in China Standard Time.</summary>
    public static string Instant(DateTimeOffset value) => value.ToOffset(ChinaStandardTime.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}

/// <summary>
/// The service tasks of the engineering tender procedure. Each reads and changes the tender inside the engine's command
/// transaction and writes its trail record there; the procedure keeps only what its timers and gateways need, copied
/// from the tender each time (the tender is the truth: a clarification moves its deadline, and the next wait reads it).
/// </summary>
public abstract class TenderHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits) : IServiceTaskHandler
{
    /// <summary>The actor of the procedure's own steps in the trail.</summary>
    public const string ProcedureActor = "system:procedure";

    public abstract string Name { get; }

    public abstract string Description { get; }

    protected TenderLimits Limits => limits.Value;

    protected DateTimeOffset Now => clock.GetUtcNow();

    protected IAuditTrail Trail => trail;

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = database.For(context);
        var tender = await TenderService.FindByCodeAsync(db, context.BusinessKey ?? string.Empty, context.CancellationToken);
        await ApplyAsync(context, db, tender);
    }

    protected abstract ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender);

    protected static Tender Require(Tender? tender, ServiceTaskContext context) =>
        tender ?? throw new DomainRuleException(TenderRules.NotFound, $"Project {context.BusinessKey} has no engineering tender.");

    protected Task AppendAsync(TradingDbContext db, Tender tender, string action, object? data, ServiceTaskContext context) =>
        trail.AppendAsync(db, TenderService.Record(ProcedureActor, tender, action, data), context.CancellationToken);

    /// <summary>Reminds the tenderee of each of these objections not reminded yet, each recorded in the trail.</summary>
    protected async Task RemindAsync(TradingDbContext db, Tender tender, IEnumerable<TenderObjection> objections, ServiceTaskContext context)
    {
        foreach (var objection in objections.ToList())
        {
            if (objection.Remind(Now))
            {
                await AppendAsync(db, tender, "objection.reminded", new { objectionId = objection.Id, answerDueAt = objection.AnswerDueAt }, context);
            }
        }
    }

    protected static void CopyDates(ServiceTaskContext context, Tender tender)
    {
        context.SetVariable(TenderVariables.Invited, tender.Kind == TenderKind.Invited);
        context.SetVariable(TenderVariables.Prequalification, tender.Prequalification);
        context.SetVariable(TenderVariables.SaleStartsAt, TenderVariables.Instant(tender.SaleStartsAt));
        context.SetVariable(TenderVariables.SaleEndsAt, TenderVariables.Instant(tender.SaleEndsAt));
        context.SetVariable(TenderVariables.BidDeadline, TenderVariables.Instant(tender.BidDeadline));
        if (tender.PrequalificationSaleStartsAt is { } pqStart && tender.PrequalificationApplicationDeadline is { } pqDeadline)
        {
            context.SetVariable(TenderVariables.PrequalificationSaleStartsAt, TenderVariables.Instant(pqStart));
            context.SetVariable(TenderVariables.PrequalificationApplicationDeadline, TenderVariables.Instant(pqDeadline));
        }
    }
}

/// <summary><c>tenderPrepare</c>: the submitted project gets its tender (open or invited, by the project's method).</summary>
public sealed class TenderPrepareHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderPrepare";

    public override string Description => "建立招标项目（公开或邀请招标） / Set up the engineering tender of the project";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        if (tender is null)
        {
            var project = await db.Set<Project>().AsNoTracking().Include(p => p.Sections).FirstOrDefaultAsync(p => p.Code == context.BusinessKey, context.CancellationToken)
                ?? throw new DomainRuleException(TenderRules.NotFound, $"No project with code {context.BusinessKey}.");
            tender = await TenderService.EnsureAsync(db, project, Now, context.CancellationToken);
            await AppendAsync(db, tender, "tender.prepared", new { kind = tender.Kind.ToString() }, context);
        }

        context.SetVariable(TenderVariables.Invited, tender.Kind == TenderKind.Invited);
    }
}

/// <summary>
/// <c>tenderConfirmSchedule</c>: the tenderee has set documents and dates; the notice the method needs is published
/// (条例 15: the tender or prequalification notice; an invited tender sends invitations instead, 法 17). Copies the dates
/// for the timers.
/// </summary>
public sealed class TenderConfirmScheduleHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderConfirmSchedule";

    public override string Description => "确认招标文件、时间安排与公告 / Confirm the documents, dates and notice";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        if (!tender.IsScheduled)
        {
            throw new DomainRuleException(TenderRules.NotScheduled, $"Upload the tender documents and set the dates of {tender.ProjectCode} first.");
        }

        if (tender.Kind == TenderKind.Invited)
        {
            if (tender.Invitations.Count < Limits.MinimumBidders)
            {
                throw new DomainRuleException(TenderRules.TooFewInvitees, $"An invited tender invites at least {Limits.MinimumBidders} verified entities (法 17).");
            }
        }
        else
        {
            var kind = tender.Prequalification ? NoticeKind.Prequalification : NoticeKind.Tender;
            var published = await db.Set<Notice>().AsNoTracking()
                .AnyAsync(n => n.ProjectId == tender.ProjectId && n.Kind == kind && n.State == NoticeState.Published, context.CancellationToken);
            if (!published)
            {
                throw new DomainRuleException(TenderRules.NoticeNotPublished, tender.Prequalification
                    ? "Publish the prequalification notice (资格预审公告) on the portal before its documents go on sale (条例 15)."
                    : "Publish the tender notice (招标公告) on the portal before the tender documents go on sale (条例 15).");
            }
        }

        CopyDates(context, tender);
        await AppendAsync(db, tender, "tender.confirmed", new { saleStartsAt = tender.SaleStartsAt, bidDeadline = tender.BidDeadline }, context);
    }
}

/// <summary><c>tenderStartPrequalification</c>: the prequalification documents are on sale, applications accepted.</summary>
public sealed class TenderStartPrequalificationHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderStartPrequalification";

    public override string Description => "资格预审文件开始发售 / Prequalification documents on sale";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        tender.StartPrequalification(Now);
        await AppendAsync(db, tender, "prequalification.started", new { applicationDeadline = tender.PrequalificationApplicationDeadline }, context);
    }
}

/// <summary><c>tenderPrequalificationResult</c>: how many qualified (the gateway re-tenders below 3, 条例 19).</summary>
public sealed class TenderPrequalificationResultHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderPrequalificationResult";

    public override string Description => "资格预审结果（合格申请人不足三个的重新招标） / Prequalification result";

    protected override ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        if (!tender.PrequalificationReviewed)
        {
            throw new DomainRuleException(TenderRules.WrongStage, "Record which applicants qualified before closing the review.");
        }

        context.SetVariable(TenderVariables.QualifiedCount, tender.Qualified.Count);
        var outcome = TenderRules.AfterPrequalification(tender.Qualified.Count, Limits);
        context.SetVariable(TenderVariables.Retender, outcome is not null);
        if (outcome is not null)
        {
            context.SetVariable(TenderVariables.RetenderRule, outcome.RuleCode);
            context.SetVariable(TenderVariables.RetenderReason, outcome.Message);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// <c>tenderOpenSale</c>: the tender documents are issued (the 5 and 20 日 of 条例 16 and 法 24 run from now). Reached
/// after the set start, the sale starts now and its end and the deadline move as far as the law needs; the sections'
/// bid windows follow the deadline, and the trail keeps the dates before and after.
/// </summary>
public sealed class TenderOpenSaleHandler(
    ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits, IBusinessCalendar calendar, SealedBidService sealedBids)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderOpenSale";

    public override string Description => "招标文件开始发售 / Tender documents on sale";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        var moved = tender.OpenSale(Now, Limits, calendar);
        if (moved is { DeadlineMoved: true })
        {
            foreach (var sectionId in await db.Set<Section>().AsNoTracking().Where(s => s.ProjectId == tender.ProjectId).Select(s => s.Id).ToListAsync(context.CancellationToken))
            {
                await sealedBids.SetDeadlineAsync(db, sectionId, tender.BidDeadline, ProcedureActor, context.CancellationToken);
            }
        }

        CopyDates(context, tender);
        var correction = moved is not null && (moved.DeadlineMoved || moved.SaleEndsAt != moved.SaleEndsBefore)
            // Corrects the notice that announced the moved times (an invited tender has none: its invitees see the tender page).
            ? await TenderNotices.PublishBesideAnnouncementAsync(
                db, Trail, tender, ProcedureActor, (project, announcement) => TenderNotices.SaleDatesCorrection(project, announcement, moved, Now),
                new { reason = "sale-opened-late" }, context.CancellationToken)
            : null;
        await AppendAsync(db, tender, "tender.sale-opened", new
        {
            saleEndsAt = tender.SaleEndsAt,
            bidDeadline = tender.BidDeadline,
            openedLate = moved is null ? null : new { setStart = moved.SaleStartsBefore, setEnd = moved.SaleEndsBefore, setDeadline = moved.DeadlineBefore, correctionNoticeId = correction?.Id },
        }, context);
    }
}

/// <summary><c>tenderCloseSale</c>: the sale period is over; bids are still accepted until the deadline.</summary>
public sealed class TenderCloseSaleHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderCloseSale";

    public override string Description => "招标文件发售期届满 / Tender documents' sale ends";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        tender.CloseSale(Now);
        var downloaded = await TenderService.DownloadedEntitiesAsync(db, tender.ProjectId, context.CancellationToken);
        await AppendAsync(db, tender, "tender.sale-closed", new { entitiesDownloaded = downloaded.Count }, context);
    }
}

/// <summary>
/// <c>tenderDeadlineState</c>: reads the deadline in force and the open objections. The procedure waits on the
/// deadline only while no objection is open (条例 22: the process is suspended until the answer), so the timer it arms
/// next always reads the deadline the latest clarification left.
/// </summary>
public sealed class TenderDeadlineStateHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderDeadlineState";

    public override string Description => "读取投标截止时间与未答复异议 / Read the bid deadline and open objections";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        var open = await TenderDocumentsHold.OpenAnswerDuesAsync(db, tender.ProjectId, context.CancellationToken);
        context.SetVariable(TenderVariables.BidDeadline, TenderVariables.Instant(tender.BidDeadline));
        context.SetVariable(TenderVariables.OpenObjections, open.Count);
        // deadlineReached keeps its first meaning for instances of earlier versions of the procedure, which open at once.
        context.SetVariable(TenderVariables.DeadlineReached, open.Count == 0 && Now >= tender.BidDeadline);
        // An answer that came after the deadline: the tenderee announces the opening time first, and the bids open then.
        var toAnnounce = open.Count == 0 && await TenderDocumentsHold.OpeningToAnnounceAsync(db, tender, Now, context.CancellationToken);
        context.SetVariable(TenderVariables.OpeningToAnnounce, toAnnounce);
        context.SetVariable(TenderVariables.OpeningAt, TenderVariables.Instant(tender.OpeningTime));
        context.SetVariable(TenderVariables.OpeningReached, open.Count == 0 && !toAnnounce && Now >= tender.OpeningTime);
        if (open.Count > 0)
        {
            var due = open.Min();
            context.SetVariable(TenderVariables.ObjectionAnswerDue, TenderVariables.Instant(due));
            context.SetVariable(TenderVariables.ObjectionReminderAt, TenderVariables.Instant(due.AddDays(-1) > Now ? due.AddDays(-1) : Now));
        }
    }
}

/// <summary>
/// The timers of <c>objectionHold</c>, one objection at a time: each open objection is reminded at the start of the last
/// day of its own answer period and escalated at its end (条例 22: 3 日 from its own receipt), so the next reminder and
/// the next escalation are the earliest of the objections not yet reminded or escalated. The steps that fire them set
/// the next ones from the tender, which keeps the objections (a new one, an answer) between firings.
/// </summary>
internal static class TenderObjectionTimes
{
    /// <summary>The tender's open objections (tracked), in the order raised.</summary>
    public static async Task<List<TenderObjection>> OpenAsync(TradingDbContext db, Tender tender, CancellationToken cancellationToken) =>
        [.. (await db.Set<TenderObjection>().Where(o => o.ProjectId == tender.ProjectId && o.AnsweredAt == null).ToListAsync(cancellationToken)).OrderBy(o => o.RaisedAt)];

    /// <summary><c>objectionsToRemind</c> and, when some are, <c>objectionReminderAt</c> (now when that time has passed).</summary>
    public static void SetReminder(ServiceTaskContext context, IEnumerable<TenderObjection> open, DateTimeOffset now) =>
        Set(context, [.. open.Where(o => o.IsOpen && o.RemindedAt is null).Select(o => o.ReminderAt)], now, TenderVariables.ObjectionsToRemind, TenderVariables.ObjectionReminderAt);

    /// <summary><c>objectionsToEscalate</c> and, when some are, <c>objectionOverdueAt</c> (now when that time has passed).</summary>
    public static void SetEscalation(ServiceTaskContext context, IEnumerable<TenderObjection> open, DateTimeOffset now) =>
        Set(context, [.. open.Where(o => o.IsOpen && o.EscalatedAt is null).Select(o => o.AnswerDueAt)], now, TenderVariables.ObjectionsToEscalate, TenderVariables.ObjectionOverdueAt);

    private static void Set(ServiceTaskContext context, List<DateTimeOffset> times, DateTimeOffset now, string count, string next)
    {
        context.SetVariable(count, times.Count);
        if (times.Count > 0)
        {
            var first = times.Min();
            context.SetVariable(next, TenderVariables.Instant(first > now ? first : now));
        }
    }
}

/// <summary>
/// <c>tenderObjectionTimes</c>: when the hold starts, and again whenever another objection comes while it runs, the next
/// reminder and the next escalation of the open objections (<see cref="TenderObjectionTimes"/>).
/// </summary>
public sealed class TenderObjectionTimesHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderObjectionTimes";

    public override string Description => "读取每项异议的提醒与报告时间 / When each objection is reminded and escalated";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        var open = await TenderObjectionTimes.OpenAsync(db, tender, context.CancellationToken);
        TenderObjectionTimes.SetReminder(context, open, Now);
        TenderObjectionTimes.SetEscalation(context, open, Now);
    }
}

/// <summary>
/// <c>tenderObjectionRemindDue</c>: the tenderee is reminded (trail → notification) of each open objection whose last day
/// has begun, once per objection (<see cref="TenderObjection.RemindedAt"/>); an objection answered before then is never
/// reminded. Sets the next reminder.
/// </summary>
public sealed class TenderObjectionRemindDueHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderObjectionRemindDue";

    public override string Description => "提醒招标人答复到期前一日的异议 / Remind the tenderee of objections due within a day";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        var open = await TenderObjectionTimes.OpenAsync(db, tender, context.CancellationToken);
        await RemindAsync(db, tender, open.Where(o => o.ReminderAt <= Now), context);
        TenderObjectionTimes.SetReminder(context, open, Now);
    }
}

/// <summary>
/// <c>tenderObjectionReminder</c>, the step of the procedure's versions before <c>tenderObjectionRemindDue</c>: a single
/// reminder timer at the earliest open objection's last day reminds every open objection then, once per objection
/// (<see cref="TenderObjection.RemindedAt"/>): the answer task comes back while one is open (another answered, or the
/// tenderee went on), and its reminder timer, armed at once when the day has passed, fires again. Kept as it was for the
/// projects running on those versions, which would otherwise not remind a later objection at all.
/// </summary>
public sealed class TenderObjectionReminderHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderObjectionReminder";

    public override string Description => "提醒招标人答复异议 / Remind the tenderee to answer objections";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        await RemindAsync(db, tender, await TenderObjectionTimes.OpenAsync(db, tender, context.CancellationToken), context);
    }
}

/// <summary>
/// <c>tenderObjectionOverdue</c>: fired at an answer due date; each objection still unanswered past its due is escalated
/// to the supervisors and its objector, once (the bid deadline waits for the answer, so nobody else would notice). Sets
/// the next escalation (<c>objectionOverdueAt</c>, read by the versions that time each objection).
/// </summary>
public sealed class TenderObjectionOverdueHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderObjectionOverdue";

    public override string Description => "异议逾期未答复，报告行政监督部门 / Escalate an unanswered objection to the documents";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        var open = await TenderObjectionTimes.OpenAsync(db, tender, context.CancellationToken);
        foreach (var objection in open)
        {
            if (objection.Escalate(Now))
            {
                await AppendAsync(db, tender, "objection.overdue", ObjectionOverdue.Data(objection.Id, objection.EntityId, objection.EntityName, objection.RaisedAt, objection.AnswerDueAt), context);
            }
        }

        TenderObjectionTimes.SetEscalation(context, open, Now);
    }
}

/// <summary>
/// <c>tenderOpeningHeld</c>: the bid deadline came while the tenderee still answers objections to the documents (the
/// boundary timer of <c>answerObjections</c> at <c>${bidDeadline}</c>), so the opening does not start (条例 22). Recorded
/// once for the deadline (trail → the tenderee, its agency and the centre's staff are told to answer). Bids stay sealed;
/// the procedure reads the deadline again after the answer. Nothing is held when every objection is answered. When a
/// clarification moved the deadline later while the task was open, the timer armed at the old one fired early: the step
/// sets <c>holdWaitsAgain</c> and <c>bidDeadline</c>, and the procedure waits for the deadline in force and comes back.
/// </summary>
public sealed class TenderOpeningHeldHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public const string Action = "opening.held";

    public override string Name => "tenderOpeningHeld";

    public override string Description => "投标截止时异议未答复，开标暂停 / Bid deadline with an objection unanswered: the opening is held";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        var due = await TenderDocumentsHold.OpenAnswerDuesAsync(db, tender.ProjectId, context.CancellationToken);
        var before = due.Count > 0 && tender.Stage is (TenderStage.OnSale or TenderStage.BidsOpen);
        context.SetVariable(TenderVariables.HoldWaitsAgain, before && Now < tender.BidDeadline);
        context.SetVariable(TenderVariables.BidDeadline, TenderVariables.Instant(tender.BidDeadline));
        if (!before || Now < tender.BidDeadline)
        {
            return;
        }

        // The task comes back (and its past-due timer fires again) when the tenderee goes on with an objection open.
        var subject = tender.ProjectId.ToString();
        var action = $"{TenderService.Area}.{Action}";
        var recorded = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.SubjectType == "project" && e.SubjectId == subject && e.Action == action)
            .Select(e => e.OccurredAt).ToListAsync(context.CancellationToken);
        if (recorded.Any(at => at >= tender.BidDeadline))
        {
            return;
        }

        await AppendAsync(db, tender, Action, new { bidDeadline = tender.BidDeadline, openObjections = due.Count, answerDueAt = due.Max() }, context);
    }
}

/// <summary>
/// <c>tenderAtDeadline</c>: after <c>openingStart</c> counted the bids (<c>bidCount</c>), the tender records the
/// deadline; fewer than 3 bids → no opening, re-tender (条例 44). Idempotent for the same tender and deadline: when the
/// deadline is already recorded (a second firing of the deadline timer), the step sets the variables from what was
/// recorded and completes without changing the tender or writing to the trail, so the engine's own version check, not
/// a domain rule, settles which firing counts.
/// </summary>
public sealed class TenderAtDeadlineHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderAtDeadline";

    public override string Description => "投标截止：记录投标数量（不足三个的不得开标） / Bid deadline: record the number of bids";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        if (tender.DeadlineRecorded)
        {
            var recorded = tender.BidCount!.Value;
            SetOutcome(context, recorded, TenderRules.AtDeadline(recorded, Limits));
            return;
        }

        var bids = context.GetVariable(TenderVariables.BidCount) switch
        {
            null => throw new DomainRuleException(TenderRules.WrongStage, "The opening has not counted the bids (bidCount)."),
            var value => Convert.ToInt32(value, CultureInfo.InvariantCulture),
        };
        var outcome = tender.ReachDeadline(bids, Limits, Now);
        SetOutcome(context, bids, outcome);
        await AppendAsync(db, tender, "tender.deadline-reached", new { bids, retender = outcome is not null }, context);
    }

    private static void SetOutcome(ServiceTaskContext context, int bids, TenderOutcome? outcome)
    {
        context.SetVariable(TenderVariables.BidCount, bids);
        context.SetVariable(TenderVariables.Retender, outcome is not null);
        if (outcome is not null)
        {
            context.SetVariable(TenderVariables.RetenderRule, outcome.RuleCode);
            context.SetVariable(TenderVariables.RetenderReason, outcome.Message);
        }
    }
}

/// <summary>
/// <c>tenderRetender</c>: the tender is held again (too few qualified applicants or bids); recorded and announced to the
/// tenderee and every entity that took part (trail → notifications).
/// </summary>
public sealed class TenderRetenderHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderRetender";

    public override string Description => "重新招标（记录并通知） / Re-tender: recorded and announced";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        var rule = context.GetVariable(TenderVariables.RetenderRule)?.ToString() is { Length: > 0 } r ? r : TenderRules.TooFewBids;
        var reason = context.GetVariable(TenderVariables.RetenderReason)?.ToString() is { Length: > 0 } m ? m : rule;
        tender.Retender(rule, reason, Now);
        var entities = await TenderService.DownloadedEntitiesAsync(db, tender.ProjectId, context.CancellationToken);
        var participants = entities.Concat(tender.Invitations.Select(i => i.EntityId)).Concat(tender.Qualified).Distinct().ToList();
        await AppendAsync(db, tender, "tender.retendered", new { rule, reason, entityIds = participants }, context);
    }
}

/// <summary><c>tenderOpened</c>: the opening closed (after <c>openingClose</c>); evaluation follows.</summary>
public sealed class TenderOpenedHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<TenderLimits> limits)
    : TenderHandler(database, trail, clock, limits)
{
    public override string Name => "tenderOpened";

    public override string Description => "开标结束 / The opening is closed";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender? tender)
    {
        tender = Require(tender, context);
        tender.MarkOpened(Now);
        await AppendAsync(db, tender, "tender.opened", new { bids = tender.BidCount }, context);
    }
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Printing;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Domain.Grants;

/// <summary>Process variables of <c>land-grant.bpmn</c> and <c>mineral-grant.bpmn</c> the handlers set.</summary>
public static class GrantVariables
{
    public const string OfferingId = "offeringId";
    public const string LotId = "lotId";
    public const string BiddingEnds = "biddingEnds";
    public const string LotClosed = "lotClosed";
    public const string NextCheckAt = "nextCheckAt";
    public const string Sold = "sold";
    public const string ResultDue = "resultDue";

    /// <summary>Staff's decision on <c>reviewOffering</c>: <see cref="Publish"/> (the default flow) or <see cref="Return"/>.</summary>
    public const string ReviewDecision = "reviewDecision";
    public const string Publish = "publish";
    public const string Return = "return";
    public const string ReturnReason = "returnReason";
    public const string ReturnedBy = "returnedBy";
    public const string WithdrawnBy = "withdrawnBy";
    public const string WithdrawReason = "withdrawReason";
    public const string TerminatedBy = "terminatedBy";
    public const string TerminationReason = "terminationReason";

    /// <summary>Who asked: <c>grantor</c> (the owner's user) or <c>staff</c> (the centre's, on the grantor's written request).</summary>
    public const string TerminatedAs = "terminatedAs";

    /// <summary>An instant for a timer's timeDate: ISO 8601 in China Standard Time.</summary>
    public static string Instant(DateTimeOffset value) => value.ToOffset(ChinaStandardTime.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}

/// <summary>
/// The service tasks of the grant procedures (shared by land and mineral rights). Each reads and changes the offering
/// inside the engine's command transaction and writes its trail record there; the procedure keeps only what its timers
/// and gateways need.
/// </summary>
public abstract class GrantHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock) : IServiceTaskHandler
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    protected DateTimeOffset Now => clock.GetUtcNow();

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = database.For(context);
        var offering = await db.Set<GrantOffering>().SingleOrDefaultAsync(o => o.ProjectCode == context.BusinessKey, context.CancellationToken)
            ?? throw new DomainRuleException(GrantRules.NotFound, $"Project {context.BusinessKey} has no grant offering.");
        await ApplyAsync(context, db, offering);
    }

    protected abstract ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, GrantOffering offering);

    /// <summary>
    /// A notice the step publishes on the portal, in the portal's search index too (saved first: the index names the row),
    /// as every published notice is, so a search and its type filter find it.
    /// </summary>
    protected static async Task PublishAsync(TradingDbContext db, Notices.Notice notice, CancellationToken cancellationToken)
    {
        db.Add(notice);
        await db.SaveChangesAsync(cancellationToken);
        await Notices.Search.NoticeSearchIndex.AddAsync(db, notice, cancellationToken);
    }

    /// <summary>Appends the step's trail record; <paramref name="actor"/> is the user whose command ran it, else the procedure.</summary>
    protected Task AppendAsync(TradingDbContext db, GrantOffering offering, string action, object? data, ServiceTaskContext context, string? actor = null) =>
        trail.AppendAsync(db, GrantService.Record(actor ?? GrantService.ProcedureActor, offering, action, data), context.CancellationToken);
}

/// <summary><c>grantPrepare</c>: links the submitted offering to the procedure.</summary>
public sealed class GrantPrepareHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock) : GrantHandler(database, trail, clock)
{
    public override string Name => "grantPrepare";

    public override string Description => "建立出让项目 / Set up the grant of the project";

    protected override ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, GrantOffering offering)
    {
        context.SetVariable(GrantVariables.OfferingId, offering.Id.ToString());
        context.SetVariable(GrantVariables.LotId, offering.LotId?.ToString());
        context.SetVariable(GrantVariables.BiddingEnds, GrantVariables.Instant(offering.BiddingEnds));
        // Each review (the first and every one after a resubmission) starts undecided: the screen's plain completion publishes.
        context.SetVariable(GrantVariables.ReviewDecision, GrantVariables.Publish);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// <c>grantReturn</c>: staff's return (退回修改) recorded in the command that completed <c>reviewOffering</c>, so the task
/// and the offering change together. <see cref="GrantService.ReturnAsync"/> checked who returns and the reason first.
/// </summary>
public sealed class GrantReturnHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock) : GrantHandler(database, trail, clock)
{
    public const string HandlerName = "grantReturn";

    public override string Name => HandlerName;

    public override string Description => "退回出让人修改 / Return the offering to the grantor";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, GrantOffering offering)
    {
        var by = (context.GetVariable(GrantVariables.ReturnedBy) as string) ?? GrantService.ProcedureActor;
        offering.Return((context.GetVariable(GrantVariables.ReturnReason) as string) ?? string.Empty, by, Now);
        await AppendAsync(db, offering, "offering.returned", new { reason = offering.ReturnReason, lotId = offering.LotId }, context, by);
    }
}

/// <summary>
/// <c>grantWithdraw</c>: the grantor's withdrawal (撤回) before the notice, in the command that delivered the message and
/// ends the procedure: the offering withdrawn, its project terminated. The lot has no bidder (none is admitted before the
/// notice); GrantService shelves it (<see cref="Bidding.BiddingEngine.ShelveAsync"/>), so it never opens or closes and its
/// reserve stays sealed.
/// </summary>
public sealed class GrantWithdrawHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock) : GrantHandler(database, trail, clock)
{
    public const string HandlerName = "grantWithdraw";

    public override string Name => HandlerName;

    public override string Description => "出让人撤回出让 / The grantor withdraws the offering";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, GrantOffering offering)
    {
        var by = (context.GetVariable(GrantVariables.WithdrawnBy) as string) ?? GrantService.ProcedureActor;
        var now = Now;
        offering.Withdraw((context.GetVariable(GrantVariables.WithdrawReason) as string), by, now);
        var project = await db.Set<Projects.Project>().SingleAsync(p => p.Id == offering.ProjectId, context.CancellationToken);
        project.Terminate(now);
        await AppendAsync(db, offering, "offering.withdrawn", new { reason = offering.WithdrawReason, lotId = offering.LotId }, context, by);
    }
}

/// <summary>
/// <c>grantTerminate</c>: the sale ended after its notice (终止), in the command that delivered
/// <see cref="GrantMessages.Terminated"/> to the wait for the close, so the procedure ends with it: the offering
/// terminated with its reason and the public 终止公告, pending applications closed, every deposit held in the section owed
/// back at once (the refund timer's path, as after a 流拍), the project terminated, the recorded request closed and its
/// letter (终止申请函, staff's) named with its hashes in the trail. <see cref="GrantService.TerminateAsync"/> checked who
/// and why and called the lot off first, so it never closes.
/// </summary>
public sealed class GrantTerminateHandler(
    ITradingDatabase database, IAuditTrail trail, TimeProvider clock, DepositService deposits, IBusinessCalendar calendar, IOptions<GrantOptions> options)
    : GrantHandler(database, trail, clock)
{
    public const string HandlerName = "grantTerminate";

    /// <summary>Why a deposit is owed back (the deposits pages name it).</summary>
    public const string RefundReason = "grant-terminated";

    public override string Name => HandlerName;

    public override string Description => "终止出让并发布终止公告 / Terminate the grant and publish the termination notice";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, GrantOffering offering)
    {
        var ct = context.CancellationToken;
        var by = (context.GetVariable(GrantVariables.TerminatedBy) as string) ?? GrantService.ProcedureActor;
        var reason = GrantOffering.RequireReason(context.GetVariable(GrantVariables.TerminationReason) as string, "A termination states its reason");
        var now = Now;
        var refundDays = options.Value.For(offering.TradeType).RefundWorkingDays;
        var notice = GrantDocuments.TerminationNotice(offering, reason, refundDays, now);
        await PublishAsync(db, notice, context.CancellationToken);
        offering.Terminate(reason, by, notice.Id, now);
        var pending = await db.Set<GrantApplication>().Where(a => a.OfferingId == offering.Id && a.State == GrantApplicationState.Pending).ToListAsync(ct);
        foreach (var application in pending)
        {
            application.Close(reason, now);
        }

        var project = await db.Set<Projects.Project>().SingleAsync(p => p.Id == offering.ProjectId, ct);
        project.Terminate(now);
        // The request recorded before the call-off is done with in this command: the recovery never delivers it again.
        var request = await db.Set<GrantTerminationRequest>().SingleOrDefaultAsync(r => r.OfferingId == offering.Id, ct);
        request?.Complete(GrantTerminationRequest.Terminated, now);
        var letter = request?.LetterDocumentId is { } letterId
            ? await db.Set<Documents.Document>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == letterId, ct)
            : null;
        // Refundable at once: the guards hold nothing any more (the lot is called off, the stage ended); the limit is the
        // same as after a close.
        var refundDue = GrantSchedule.Counted(() => calendar.AddWorkingDays(now, refundDays));
        var holders = await db.Set<DepositAccount>().AsNoTracking().Where(a => a.SectionId == offering.SectionId).Select(a => a.EntityId).Distinct().ToListAsync(ct);
        foreach (var entityId in holders)
        {
            await deposits.ScheduleRefundAsync(db, offering.SectionId, entityId, RefundReason, offering.Id, refundDue, by, ct);
        }

        await AppendAsync(db, offering, "offering.terminated", new
        {
            reason,
            noticeId = notice.Id,
            lotId = offering.LotId,
            requestedAs = context.GetVariable(GrantVariables.TerminatedAs) as string,
            letter = letter is null ? null : new { documentId = letter.Id, name = letter.Name, sha256 = letter.Sha256, sm3 = letter.Sm3 },
            closedApplications = pending.Select(a => a.Id).ToList(),
            refunds = holders.Count,
        }, context, by);
    }
}

/// <summary>
/// <c>grantPublishNotice</c>: after staff's review, the 出让公告 goes on the portal — refused (an incident) when the bidding
/// would start less than the notice days after today (Grant.NoticeTooShort), or its opening time passed and the lot was
/// shelved unannounced (Grant.NoticeAfterOpening); staff's screen checks the dates first.
/// </summary>
public sealed class GrantPublishNoticeHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, GrantService grants, BidLogStore lots)
    : GrantHandler(database, trail, clock)
{
    public override string Name => "grantPublishNotice";

    public override string Description => "发布出让公告（不少于 20 日）/ Publish the grant notice (at least 20 日 ahead)";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, GrantOffering offering)
    {
        var now = Now;
        grants.CheckPublishable(offering, now);
        if (offering.LotId is { } lotId)
        {
            // Under the lot's row (PostgreSQL; on SQLite this transaction is already the only writer): the opening gate
            // either reads this notice once it commits, or shelved the lot first and the notice is refused here. Never a
            // notice for a sale that will not open.
            if (db.Database.IsNpgsql())
            {
                await db.Database.ExecuteSqlAsync($"SELECT 1 FROM tr_bidding_lots WHERE id = {lotId} FOR UPDATE", context.CancellationToken);
            }

            if ((await lots.FindLotAsync(lotId, context.CancellationToken))?.Phase.IsEnded() == true)
            {
                throw GrantService.NoticeAfterOpening(offering);
            }
        }

        var notice = GrantDocuments.OfferingNotice(offering, grants.LimitsFor(offering.TradeType), now);
        await PublishAsync(db, notice, context.CancellationToken);
        offering.Announce(notice.Id, now);
        await AppendAsync(db, offering, "notice.published", new { noticeId = notice.Id, offering.BiddingOpens, offering.BiddingEnds, offering.ApplicationDeadline }, context);
        context.SetVariable(GrantVariables.BiddingEnds, GrantVariables.Instant(offering.BiddingEnds));
    }
}

/// <summary>
/// <c>grantLotState</c>: reads whether the lot closed in the bidding engine (the close is the server's, moved by
/// extensions and the timed phase); when not, the next look is at the scheduled end or a minute from now.
/// </summary>
public sealed class GrantLotStateHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, BidLogStore lots) : GrantHandler(database, trail, clock)
{
    public override string Name => "grantLotState";

    public override string Description => "读取网上竞价是否结束 / Read whether the online bidding closed";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, GrantOffering offering)
    {
        var lot = await lots.FindLotAsync(offering.LotId ?? Guid.Empty, context.CancellationToken)
            ?? throw new DomainRuleException(GrantRules.NotFound, $"Offering {offering.ProjectCode} has no lot.");
        var closed = lot.Phase == LotPhase.Closed;
        context.SetVariable(GrantVariables.LotClosed, closed);
        context.SetVariable(GrantVariables.NextCheckAt, GrantVariables.Instant(NextCheckAt(offering.BiddingEnds, lot.NextDue, Now)));
    }

    /// <summary>
    /// When to read the lot again if the close hook's message does not come: at the scheduled end; past it, just after
    /// the countdown the lot runs on (a demo's is seconds), and at most a minute from now.
    /// </summary>
    public static DateTimeOffset NextCheckAt(DateTimeOffset biddingEnds, DateTimeOffset? lotDue, DateTimeOffset now)
    {
        if (biddingEnds > now)
        {
            return biddingEnds;
        }

        var next = now.AddMinutes(1);
        return lotDue is { } due && due > now && due.AddSeconds(1) < next ? due.AddSeconds(1) : next;
    }
}

/// <summary>
/// <c>grantRecordOutcome</c>: the outcome from the bid log's Closed entry. Sold: the winner (identity behind the number)
/// and the price, the 成交确认书 issued as a PDF, the result due within the result working days. Not sold (流拍): recorded
/// and announced. Every deposit but the winner's is owed back within the refund working days, without interest (the
/// refund timer pays it).
/// </summary>
public sealed class GrantRecordOutcomeHandler(
    ITradingDatabase database, IAuditTrail trail, TimeProvider clock, BidLogStore lots, DepositService deposits, IOfficialDocuments documents,
    IBusinessCalendar calendar, IOptions<GrantOptions> options) : GrantHandler(database, trail, clock)
{
    /// <summary>Why a deposit is owed back (the deposits pages name it): not the winner, or no sale.</summary>
    public const string NotWonRefundReason = "grant-not-won";

    public const string NoSaleRefundReason = "grant-no-sale";

    public override string Name => "grantRecordOutcome";

    public override string Description => "记录竞价结果，出具成交确认书或流拍公告，安排退还保证金 / Record the outcome, issue the confirmation or the no-sale notice, schedule refunds";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, GrantOffering offering)
    {
        var ct = context.CancellationToken;
        var lotId = offering.LotId ?? throw new DomainRuleException(GrantRules.NotFound, $"Offering {offering.ProjectCode} has no lot.");
        var log = await lots.ReadLogAsync(lotId, 0, ct);
        var closed = log.LastOrDefault(e => e.Kind == BidLogKind.Closed)
            ?? throw new DomainRuleException(GrantRules.WrongStage, $"The lot of {offering.ProjectCode} has not closed.");
        var limits = options.Value.For(offering.TradeType);
        var closedAt = closed.At;
        Guid? winnerEntity = null;
        if (closed.Accepted && closed.BidderNumber is { } number && closed.Amount is { } price)
        {
            var bidder = (await lots.BiddersAsync(lotId, ct)).Single(b => b.Number == number);
            winnerEntity = bidder.EntityId;
            var resultDue = GrantSchedule.Counted(() => calendar.AddWorkingDays(closedAt, limits.ResultWorkingDays));
            offering.RecordSale(bidder.EntityId, bidder.EntityName, number, price, closedAt, resultDue);
            var issued = await documents.IssueAsync(db, GrantDocuments.Confirmation(offering), ct);
            offering.AttachConfirmation(issued.Id, issued.DocumentId);
            await AppendAsync(db, offering, "lot.sold", new { lotId, winnerEntityId = bidder.EntityId, winnerName = bidder.EntityName, winnerNumber = number, price, closedAt, resultDue, confirmationId = issued.Id }, context);
            context.SetVariable(GrantVariables.Sold, true);
            context.SetVariable(GrantVariables.ResultDue, GrantVariables.Instant(resultDue));
        }
        else
        {
            var reason = closed.Reason ?? NoSaleReasons.NoBids;
            var notice = GrantDocuments.NoSaleNotice(offering, reason, limits.RefundWorkingDays, Now);
            await PublishAsync(db, notice, context.CancellationToken);
            offering.RecordNoSale(reason, notice.Id, closedAt);
            await AppendAsync(db, offering, "lot.no-sale", new { lotId, reason, closedAt, noticeId = notice.Id }, context);
            context.SetVariable(GrantVariables.Sold, false);
        }

        // Applications staff never decided took no part: settled now, or they would wait for a decision nobody can make.
        var pending = await db.Set<GrantApplication>().Where(a => a.OfferingId == offering.Id && a.State == GrantApplicationState.Pending).ToListAsync(ct);
        foreach (var application in pending)
        {
            application.SettleAsNotAdmitted(Now);
            await AppendAsync(db, offering, "application.not-admitted",
                new { applicationId = application.Id, entityId = application.EntityId, entityName = application.EntityName, reason = application.Reason, lotId, closedAt }, context);
        }

        var refundDue = GrantSchedule.Counted(() => calendar.AddWorkingDays(closedAt, limits.RefundWorkingDays));
        var holders = await db.Set<DepositAccount>().AsNoTracking().Where(a => a.SectionId == offering.SectionId).Select(a => a.EntityId).ToListAsync(ct);
        foreach (var entityId in holders.Where(e => e != winnerEntity).Distinct())
        {
            await deposits.ScheduleRefundAsync(db, offering.SectionId, entityId, winnerEntity is null ? NoSaleRefundReason : NotWonRefundReason, offering.Id, refundDue, GrantService.ProcedureActor, ct);
        }
    }
}

/// <summary><c>grantResultOverdue</c>: the result was not published within the limit; recorded so staff and supervisors see it.</summary>
public sealed class GrantResultOverdueHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock) : GrantHandler(database, trail, clock)
{
    public override string Name => "grantResultOverdue";

    public override string Description => "出让结果公示逾期提醒 / Alert: the result is overdue";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, GrantOffering offering)
    {
        if (offering.ResultPublishedAt is not null)
        {
            return;
        }

        offering.MarkResultOverdue(Now);
        await AppendAsync(db, offering, "result.overdue", new { offering.ResultDueAt }, context);
    }
}

/// <summary><c>grantPublishResult</c>: the 出让结果公示 on the portal (winner and price, from the bid log's outcome).</summary>
public sealed class GrantPublishResultHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock) : GrantHandler(database, trail, clock)
{
    public override string Name => "grantPublishResult";

    public override string Description => "发布出让结果公示 / Publish the grant result";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, GrantOffering offering)
    {
        var now = Now;
        var notice = GrantDocuments.ResultNotice(offering, now);
        await PublishAsync(db, notice, context.CancellationToken);
        offering.PublishResult(notice.Id, now);
        await AppendAsync(db, offering, "result.published", new { noticeId = notice.Id, late = now > offering.ResultDueAt, offering.ResultDueAt }, context);
    }
}

/// <summary><c>grantConfirmationSigned</c>: both signed and the winner's deposit counted towards the price (checked, recorded).</summary>
public sealed class GrantConfirmationSignedHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock) : GrantHandler(database, trail, clock)
{
    public override string Name => "grantConfirmationSigned";

    public override string Description => "成交确认书双方已签署 / The confirmation is signed by both";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, GrantOffering offering)
    {
        if (!offering.IsSigned || offering.DepositConvertedAt is null)
        {
            throw new DomainRuleException(GrantRules.WrongStage, $"The confirmation of {offering.ProjectCode} is not signed by both, or the deposit is not converted.");
        }

        await AppendAsync(db, offering, "confirmation.completed", new { offering.GrantorSignedAt, offering.WinnerSignedAt, offering.DepositConvertedAt }, context);
    }
}

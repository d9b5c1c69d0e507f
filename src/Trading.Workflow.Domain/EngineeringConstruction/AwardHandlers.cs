using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>Process variables the award handlers set (documented in docs/engineering-award.md).</summary>
public static class AwardVariables
{
    public const string PublicityStartsAt = "publicityStartsAt";
    public const string PublicityEndsAt = "publicityEndsAt";
    public const string PublicityOver = "publicityOver";
    public const string OpenResultObjections = "openResultObjections";
    public const string ResultObjectionAnswerDue = "resultObjectionAnswerDue";
    public const string ResultObjectionReminderAt = "resultObjectionReminderAt";
    public const string AwardedAt = "awardedAt";
    public const string ContractDueAt = "contractDueAt";
    public const string ContractReminder1At = "contractReminder1At";
    public const string ContractReminder2At = "contractReminder2At";
    public const string WinnerReportDueAt = "winnerReportDueAt";
    public const string WinnerReportReminderAt = "winnerReportReminderAt";
    public const string ContractSignedAt = "contractSignedAt";
}

/// <summary>
/// The service tasks from the evaluation report to the contracts. Each reads and changes the award inside the engine's
/// command transaction and writes its trail record there; the procedure keeps only what its timers and gateways need,
/// copied from the award each time.
/// </summary>
public abstract class AwardHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<AwardLimits> limits) : IServiceTaskHandler
{
    public const string ProcedureActor = TenderHandler.ProcedureActor;

    public abstract string Name { get; }

    public abstract string Description { get; }

    protected AwardLimits Limits => limits.Value;

    protected DateTimeOffset Now => clock.GetUtcNow();

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = database.For(context);
        var tender = await TenderService.FindByCodeAsync(db, context.BusinessKey ?? string.Empty, context.CancellationToken)
            ?? throw new DomainRuleException(AwardRules.NotFound, $"Project {context.BusinessKey} has no engineering tender.");
        await ApplyAsync(context, db, tender);
    }

    protected abstract ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender tender);

    protected static async Task<TenderAward> AwardOfAsync(TradingDbContext db, Tender tender, CancellationToken cancellationToken) =>
        await AwardService.LoadAsync(db, tender.ProjectId, cancellationToken);

    /// <summary>The award's unanswered result objections, tracked, in the order they were raised.</summary>
    protected static async Task<IReadOnlyList<ResultObjection>> OpenObjectionsAsync(TradingDbContext db, TenderAward award, CancellationToken cancellationToken) =>
        [.. (await db.Set<ResultObjection>().Where(o => o.ProjectId == award.ProjectId && o.AnsweredAt == null).ToListAsync(cancellationToken)).OrderBy(o => o.RaisedAt)];

    protected Task AppendAsync(TradingDbContext db, TenderAward award, string action, object? data, ServiceTaskContext context) =>
        trail.AppendAsync(db, AwardService.Record(ProcedureActor, award, action, data), context.CancellationToken);
}

/// <summary>
/// <c>engineering.publishCandidates</c>: the confirmed evaluation report's candidates are published on the portal at once
/// (条例 54: within 3 日 of the report, for at least 3 日). Out: <c>publicityStartsAt</c>, <c>publicityEndsAt</c>.
/// </summary>
public sealed class PublishCandidatesHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<AwardLimits> limits, AwardService awards)
    : AwardHandler(database, trail, clock, limits)
{
    public override string Name => "engineering.publishCandidates";

    public override string Description => "公示中标候选人（评标报告确认后即时公示，不少于 3 日） / Publish the candidates";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender tender)
    {
        var award = await awards.PublishCandidatesAsync(db, tender, ProcedureActor, context.CancellationToken);
        context.SetVariable(AwardVariables.PublicityStartsAt, TenderVariables.Instant(award.PublicityStartsAt));
        context.SetVariable(AwardVariables.PublicityEndsAt, TenderVariables.Instant(award.PublicityEndsAt));
    }
}

/// <summary>
/// <c>engineering.awardState</c>: reads the publicity's end and the open objections to the result each time the procedure
/// wakes. Out: <c>openResultObjections</c>, <c>publicityOver</c>, <c>publicityEndsAt</c>, and with open objections
/// <c>resultObjectionAnswerDue</c>, <c>resultObjectionReminderAt</c>.
/// </summary>
public sealed class AwardStateHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<AwardLimits> limits)
    : AwardHandler(database, trail, clock, limits)
{
    public override string Name => "engineering.awardState";

    public override string Description => "读取公示期与未答复的异议 / Read the publicity and open objections";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender tender)
    {
        var award = await AwardOfAsync(db, tender, context.CancellationToken);
        var open = await db.Set<ResultObjection>().AsNoTracking().Where(o => o.ProjectId == award.ProjectId && o.AnsweredAt == null).ToListAsync(context.CancellationToken);
        context.SetVariable(AwardVariables.PublicityEndsAt, TenderVariables.Instant(award.PublicityEndsAt));
        context.SetVariable(AwardVariables.OpenResultObjections, open.Count);
        context.SetVariable(AwardVariables.PublicityOver, Now >= award.PublicityEndsAt);
        if (open.Count > 0)
        {
            var due = open.Min(o => o.AnswerDueAt);
            context.SetVariable(AwardVariables.ResultObjectionAnswerDue, TenderVariables.Instant(due));
            context.SetVariable(AwardVariables.ResultObjectionReminderAt, TenderVariables.Instant(AwardRules.ObjectionReminderAt(due, Now)));
        }
    }
}

/// <summary><c>engineering.remindResultObjections</c>: on the day an answer is due the tenderee is reminded (trail → notification), once per objection.</summary>
public sealed class RemindResultObjectionsHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<AwardLimits> limits)
    : AwardHandler(database, trail, clock, limits)
{
    public override string Name => "engineering.remindResultObjections";

    public override string Description => "提醒招标人答复对评标结果的异议 / Remind the tenderee to answer objections";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender tender)
    {
        var award = await AwardOfAsync(db, tender, context.CancellationToken);
        foreach (var objection in await OpenObjectionsAsync(db, award, context.CancellationToken))
        {
            if (objection.Remind(Now))
            {
                await AppendAsync(db, award, "result-objection.reminded", new { objectionId = objection.Id, answerDueAt = objection.AnswerDueAt }, context);
            }
        }
    }
}

/// <summary>
/// <c>engineering.resultObjectionOverdue</c>: fired at the answer due date; each objection still unanswered past its due is
/// escalated to the supervisors and its objector, once (the award waits for the answer, so nobody else would notice).
/// </summary>
public sealed class ResultObjectionOverdueHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<AwardLimits> limits)
    : AwardHandler(database, trail, clock, limits)
{
    public override string Name => "engineering.resultObjectionOverdue";

    public override string Description => "异议逾期未答复，报告行政监督部门 / Escalate an unanswered objection to the result";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender tender)
    {
        var award = await AwardOfAsync(db, tender, context.CancellationToken);
        foreach (var objection in await OpenObjectionsAsync(db, award, context.CancellationToken))
        {
            if (objection.Escalate(Now))
            {
                await AppendAsync(db, award, "result-objection.overdue", ObjectionOverdue.Data(objection.Id, objection.EntityId, objection.EntityName, objection.RaisedAt, objection.AnswerDueAt), context);
            }
        }
    }
}

/// <summary>
/// <c>engineering.awardDeadlines</c>: after the award task, the award's deadlines for the timers. Out: <c>awardedAt</c>,
/// <c>contractDueAt</c> (30 日, 法 46), <c>contractReminder1At</c>/<c>contractReminder2At</c> (days 20 and 27 by default),
/// <c>winnerReportDueAt</c> (15 日, 法 47), <c>winnerReportReminderAt</c> (day 10 by default).
/// </summary>
public sealed class AwardDeadlinesHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<AwardLimits> limits)
    : AwardHandler(database, trail, clock, limits)
{
    public override string Name => "engineering.awardDeadlines";

    public override string Description => "定标后的合同与书面报告期限 / Deadlines of the contract and the winner report";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender tender)
    {
        var award = await AwardOfAsync(db, tender, context.CancellationToken);
        award.RequireAwarded();
        var awardedAt = award.AwardedAt!.Value;
        var reminders = Limits.ContractReminderDays is { Length: > 0 } days ? days : [20, 27];
        context.SetVariable(AwardVariables.AwardedAt, TenderVariables.Instant(awardedAt));
        context.SetVariable(AwardVariables.ContractDueAt, TenderVariables.Instant(award.ContractDueAt!.Value));
        context.SetVariable(AwardVariables.ContractReminder1At, TenderVariables.Instant(AwardRules.ReminderOn(awardedAt, reminders[0])));
        context.SetVariable(AwardVariables.ContractReminder2At, TenderVariables.Instant(AwardRules.ReminderOn(awardedAt, reminders[^1])));
        context.SetVariable(AwardVariables.WinnerReportDueAt, TenderVariables.Instant(award.WinnerReportDueAt!.Value));
        context.SetVariable(AwardVariables.WinnerReportReminderAt, TenderVariables.Instant(AwardRules.ReminderOn(awardedAt, Limits.WinnerReportReminderDay)));
    }
}

/// <summary>
/// The reminders and escalations of the award's time limits (contract 30 日, winner report 15 日), fired by the boundary
/// timers: each reads the award and records what is still missing, a section without its contract or the written report.
/// </summary>
public abstract class AwardDeadlineHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<AwardLimits> limits)
    : AwardHandler(database, trail, clock, limits)
{
    protected sealed override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender tender) =>
        await OnDueAsync(context, db, await AwardOfAsync(db, tender, context.CancellationToken));

    protected abstract ValueTask OnDueAsync(ServiceTaskContext context, TradingDbContext db, TenderAward award);

    /// <summary>The award's sections whose contract is not uploaded, by section code (tracked when the handler changes them).</summary>
    protected static async Task<List<AwardSection>> SectionsWithoutContractAsync(TradingDbContext db, TenderAward award, bool tracked, CancellationToken cancellationToken)
    {
        var query = db.Set<AwardSection>().Where(s => s.ProjectId == award.ProjectId && s.ContractDocumentId == null);
        var sections = await (tracked ? query : query.AsNoTracking()).ToListAsync(cancellationToken);
        return [.. sections.OrderBy(s => s.SectionCode, StringComparer.Ordinal)];
    }

    protected Task RecordSectionAsync(TradingDbContext db, TenderAward award, string action, AwardSection section, ServiceTaskContext context) =>
        AppendAsync(db, award, action, new { sectionId = section.SectionId, sectionCode = section.SectionCode, winnerEntityId = section.WinnerEntityId, contractDueAt = award.ContractDueAt }, context);

    protected Task RecordWinnerReportAsync(TradingDbContext db, TenderAward award, string action, ServiceTaskContext context) =>
        AppendAsync(db, award, action, new { winnerReportDueAt = award.WinnerReportDueAt }, context);
}

/// <summary><c>engineering.contractReminder</c>: the tenderee and the winners are reminded of each section whose contract is not uploaded.</summary>
public sealed class ContractReminderHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<AwardLimits> limits)
    : AwardDeadlineHandler(database, trail, clock, limits)
{
    public override string Name => "engineering.contractReminder";

    public override string Description => "提醒签订并上传书面合同（30 日内） / Remind of the contract due";

    protected override async ValueTask OnDueAsync(ServiceTaskContext context, TradingDbContext db, TenderAward award)
    {
        foreach (var section in await SectionsWithoutContractAsync(db, award, tracked: false, context.CancellationToken))
        {
            await RecordSectionAsync(db, award, "contract.reminded", section, context);
        }
    }
}

/// <summary><c>engineering.contractOverdue</c>: at the 30 日's end each section still without its contract is escalated to the supervisors (recorded once).</summary>
public sealed class ContractOverdueHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<AwardLimits> limits)
    : AwardDeadlineHandler(database, trail, clock, limits)
{
    public override string Name => "engineering.contractOverdue";

    public override string Description => "合同逾期未签订，报告行政监督部门 / Escalate a late contract to the supervisor";

    protected override async ValueTask OnDueAsync(ServiceTaskContext context, TradingDbContext db, TenderAward award)
    {
        foreach (var section in await SectionsWithoutContractAsync(db, award, tracked: true, context.CancellationToken))
        {
            if (section.Escalate(Now))
            {
                await RecordSectionAsync(db, award, "contract.overdue", section, context);
            }
        }
    }
}

/// <summary><c>engineering.winnerReportReminder</c>: the tenderee is reminded of the written report while it is missing.</summary>
public sealed class WinnerReportReminderHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<AwardLimits> limits)
    : AwardDeadlineHandler(database, trail, clock, limits)
{
    public override string Name => "engineering.winnerReportReminder";

    public override string Description => "提醒提交招标投标情况书面报告（15 日内） / Remind of the winner report due";

    protected override async ValueTask OnDueAsync(ServiceTaskContext context, TradingDbContext db, TenderAward award)
    {
        if (award.WinnerReportSubmittedAt is null)
        {
            await RecordWinnerReportAsync(db, award, "winner-report.reminded", context);
        }
    }
}

/// <summary><c>engineering.winnerReportOverdue</c>: at the 15 日's end a missing written report is escalated to the supervisors (once).</summary>
public sealed class WinnerReportOverdueHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<AwardLimits> limits)
    : AwardDeadlineHandler(database, trail, clock, limits)
{
    public override string Name => "engineering.winnerReportOverdue";

    public override string Description => "书面报告逾期未提交，报告行政监督部门 / Escalate a late winner report";

    protected override async ValueTask OnDueAsync(ServiceTaskContext context, TradingDbContext db, TenderAward award)
    {
        if (award.EscalateWinnerReport(Now))
        {
            await RecordWinnerReportAsync(db, award, "winner-report.overdue", context);
        }
    }
}

/// <summary>
/// <c>engineering.contractsSigned</c>: after the contract task, every section's contract is uploaded; the procedure goes on
/// to the deposit refunds (条例 57: within 5 日 of the contract). Out: <c>contractSignedAt</c> (the last contract's upload).
/// </summary>
public sealed class ContractsSignedHandler(ITradingDatabase database, IAuditTrail trail, TimeProvider clock, IOptions<AwardLimits> limits)
    : AwardHandler(database, trail, clock, limits)
{
    public override string Name => "engineering.contractsSigned";

    public override string Description => "书面合同已全部签订 / Every contract is signed";

    protected override async ValueTask ApplyAsync(ServiceTaskContext context, TradingDbContext db, Tender tender)
    {
        var award = await AwardOfAsync(db, tender, context.CancellationToken);
        var sections = await db.Set<AwardSection>().AsNoTracking().Where(s => s.ProjectId == award.ProjectId).ToListAsync(context.CancellationToken);
        if (sections.Count == 0 || sections.Any(s => !s.HasContract))
        {
            throw new DomainRuleException(AwardRules.ContractsMissing, $"Upload the signed contract of every section of {award.ProjectCode} first (法 46).");
        }

        var signedAt = sections.Max(s => s.ContractUploadedAt!.Value);
        award.MarkContractsSigned(signedAt, Now);
        context.SetVariable(AwardVariables.ContractSignedAt, TenderVariables.Instant(signedAt));
        await AppendAsync(db, award, "contracts.signed", new
        {
            contractSignedAt = signedAt,
            entityIds = award.Bidders.Select(b => b.EntityId).Distinct().ToList(),
        }, context);
    }
}

using System.Globalization;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Domain.Experts;

/// <summary>
/// Service task <c>expertsCommitteeState</c>: reads the committee of the instance's project (business key = project
/// code) and sets <c>committeeRequested</c>, <c>committeeConfirmed</c>, and once confirmed <c>committeeId</c> and
/// <c>evaluators</c> (user names of every member, representatives included) — the same variables the message
/// <c>experts.committee-confirmed</c> carries. A procedure uses it before waiting for the message (the committee may
/// already be complete) or after a timer, so a lost message costs no progress. It also sets
/// <c>evaluationStartReached</c> (always) and, once requested, <c>evaluationStartsAt</c> (the start the tenderee asked
/// for, ISO 8601 +08:00): a confirmed committee waits for it with a timer, since the evaluation starts at the scheduled
/// time and not when the last expert confirms.
/// </summary>
public sealed class ExpertsCommitteeStateHandler(ITradingDatabase database, TimeProvider time) : IServiceTaskHandler
{
    public const string HandlerName = "expertsCommitteeState";
    public const string Requested = "committeeRequested";
    public const string Confirmed = "committeeConfirmed";
    public const string EvaluationStartsAt = "evaluationStartsAt";
    public const string EvaluationStartReached = "evaluationStartReached";

    public string Name => HandlerName;

    public string Description => "评标委员会状态：读取项目的专家抽取结果（committeeRequested、committeeConfirmed、committeeId、evaluators、evaluationStartsAt、evaluationStartReached）";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = database.For(context);
        var committee = await CommitteeService.FindByProjectCodeAsync(db, context.BusinessKey ?? string.Empty, context.CancellationToken);
        context.SetVariable(Requested, committee is not null);
        context.SetVariable(EvaluationStartReached, committee is not null && time.GetUtcNow() >= committee.EvaluationStartsAt);
        if (committee is not null)
        {
            context.SetVariable(EvaluationStartsAt, Instant(committee.EvaluationStartsAt));
        }

        var confirmed = committee?.State == CommitteeState.Confirmed;
        context.SetVariable(Confirmed, confirmed);
        if (confirmed)
        {
            context.SetVariable(ExpertMessages.CommitteeId, committee!.Id.ToString());
            context.SetVariable(ExpertMessages.Evaluators, committee.Members().Select(m => m.UserName).ToList());
        }
    }

    private static string Instant(DateTimeOffset value) =>
        value.ToOffset(ChinaStandardTime.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}

using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Domain.Experts;

/// <summary>
/// Service task <c>expertsCommitteeState</c>: reads the committee of the instance's project (business key = project
/// code) and sets <c>committeeRequested</c>, <c>committeeConfirmed</c>, and once confirmed <c>committeeId</c> and
/// <c>evaluators</c> (user names of every member, representatives included) — the same variables the message
/// <c>experts.committee-confirmed</c> carries. A procedure uses it before waiting for the message (the committee may
/// already be complete) or after a timer, so a lost message costs no progress.
/// </summary>
public sealed class ExpertsCommitteeStateHandler(ITradingDatabase database) : IServiceTaskHandler
{
    public const string HandlerName = "expertsCommitteeState";
    public const string Requested = "committeeRequested";
    public const string Confirmed = "committeeConfirmed";

    public string Name => HandlerName;

    public string Description => "评标委员会状态：读取项目的专家抽取结果（committeeRequested、committeeConfirmed、committeeId、evaluators）";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = database.For(context);
        var committee = await CommitteeService.FindByProjectCodeAsync(db, context.BusinessKey ?? string.Empty, context.CancellationToken);
        context.SetVariable(Requested, committee is not null);
        var confirmed = committee?.State == CommitteeState.Confirmed;
        context.SetVariable(Confirmed, confirmed);
        if (confirmed)
        {
            context.SetVariable(ExpertMessages.CommitteeId, committee!.Id.ToString());
            context.SetVariable(ExpertMessages.Evaluators, committee.Members().Select(m => m.UserName).ToList());
        }
    }
}

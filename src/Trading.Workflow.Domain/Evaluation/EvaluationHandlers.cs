using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Domain.Evaluation;

/// <summary>
/// <c>evaluation.open</c>, after the committee is confirmed and the opening closed: opens the project's evaluation
/// (business key = project code; optional <c>committeeId</c>) and sets <c>evaluators</c> (the members' user names, the
/// multi-instance collection), <c>evaluationId</c> and <c>evaluationDue</c>.
/// </summary>
public sealed class EvaluationOpenHandler(ITradingDatabase database) : IServiceTaskHandler
{
    public string Name => "evaluation.open";

    public string Description => "评标：按已确认的评标委员会和解密的投标开始评标 / Open the evaluation with the confirmed committee and the decrypted bids";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var service = context.Services.GetRequiredService<EvaluationService>();
        var code = context.BusinessKey is { Length: > 0 } key
            ? key
            : throw new DomainRuleException(EvaluationRules.NotFound, "The evaluation needs the project code as business key.");
        Guid? committeeId = (context.TryGetVariable(EvaluationVariables.CommitteeId, out var named) ? named : null) switch
        {
            Guid id => id,
            string text when Guid.TryParse(text, out var parsed) => parsed,
            _ => null,
        };
        var (evaluation, members) = await service.OpenAsync(database.For(context), code, committeeId, context.InstanceId, context.CancellationToken);
        context.SetVariable(EvaluationVariables.EvaluationId, evaluation.Id.ToString());
        context.SetVariable(EvaluationVariables.Evaluators, members.Where(m => m.IsActive).OrderBy(m => m.Position).Select(m => (object?)m.UserName).ToList());
        context.SetVariable(EvaluationVariables.EvaluationDue, EvaluationService.Iso(evaluation.DueAt));
    }
}

/// <summary>
/// <c>evaluation.aggregate</c>, when every member's workbench task is completed: aggregates the submitted sheets, names
/// the chair (<c>evaluationChair</c>) and sets <c>evaluators</c> again to the active members (replacements included),
/// the collection of the confirmation tasks.
/// </summary>
public sealed class EvaluationAggregateHandler(ITradingDatabase database) : IServiceTaskHandler
{
    public string Name => "evaluation.aggregate";

    public string Description => "评标：汇总评分并确定评标委员会负责人 / Aggregate the sheets and name the chair";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var service = context.Services.GetRequiredService<EvaluationService>();
        var (evaluation, members) = await service.AggregateAsync(database.For(context), await EvaluationIdAsync(database, context), context.CancellationToken);
        context.SetVariable(EvaluationVariables.Chair, evaluation.ChairUserName);
        context.SetVariable(EvaluationVariables.Evaluators, members.Select(m => (object?)m).ToList());
    }

    internal static async Task<Guid> EvaluationIdAsync(ITradingDatabase database, ServiceTaskContext context)
    {
        if (context.TryGetVariable(EvaluationVariables.EvaluationId, out var value) && Guid.TryParse(value?.ToString(), out var id))
        {
            return id;
        }

        var code = context.BusinessKey;
        return await database.For(context).Set<Evaluation>().Where(e => e.ProjectCode == code).Select(e => (Guid?)e.Id).SingleOrDefaultAsync(context.CancellationToken)
               ?? throw new DomainRuleException(EvaluationRules.NotFound, "No evaluation for this procedure.");
    }
}

/// <summary>
/// <c>evaluation.close</c>, when every member answered the report: the report is final (readable by the parties and
/// by <see cref="IEvaluationResults"/>); sets <c>candidateCount</c> (ranked candidates over all sections, ≤ 3 each)
/// and <c>evaluationReportId</c>.
/// </summary>
public sealed class EvaluationCloseHandler(ITradingDatabase database) : IServiceTaskHandler
{
    public string Name => "evaluation.close";

    public string Description => "评标：全体成员签署后评标报告生效 / The report is final once every member answered";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var service = context.Services.GetRequiredService<EvaluationService>();
        var evaluation = await service.CloseAsync(database.For(context), await EvaluationAggregateHandler.EvaluationIdAsync(database, context), context.CancellationToken);
        context.SetVariable(EvaluationVariables.CandidateCount, evaluation.CandidateCount);
        context.SetVariable(EvaluationVariables.ReportId, evaluation.Id.ToString());
    }
}

using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Runtime;

/// <summary>The engine's collaborators, shared by every command.</summary>
internal sealed class EngineServices(
    IWorkflowStore store,
    IDefinitionRepository definitions,
    IExpressionEvaluator expressions,
    HandlerRegistry handlers,
    IReadOnlyList<IWorkflowCommitObserver> commitObservers,
    TimeProvider time,
    WorkflowEngineOptions options,
    EngineLog log,
    IServiceScopeFactory scopeFactory,
    TimerMath timerMath,
    ITaskCandidateScope candidateScope)
{
    /// <summary>Read once: <see cref="WorkflowEngineOptions.DefaultCandidateRoles"/> without blanks or repeats.</summary>
    public string[] DefaultCandidateRoles { get; } = [.. options.DefaultCandidateRoles.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal)];

    public IWorkflowStore Store { get; } = store;

    public IDefinitionRepository Definitions { get; } = definitions;

    public IExpressionEvaluator Expressions { get; } = expressions;

    public HandlerRegistry Handlers { get; } = handlers;

    /// <summary>Told after each commit (<see cref="IWorkflowCommitObserver"/>); none in a bare engine.</summary>
    public IWorkflowCommitObserver[] CommitObservers { get; } = [.. commitObservers];

    public TimeProvider Time { get; } = time;

    public WorkflowEngineOptions Options { get; } = options;

    public EngineLog Log { get; } = log;

    public IServiceScopeFactory ScopeFactory { get; } = scopeFactory;

    public TimerMath TimerMath { get; } = timerMath;

    /// <summary>What candidate roles mean for a business key (the host's; unscoped by default).</summary>
    public ITaskCandidateScope CandidateScope { get; } = candidateScope;
}

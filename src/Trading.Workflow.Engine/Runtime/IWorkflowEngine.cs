using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Engine.Runtime;

/// <summary>
/// The engine's one entry point. Every command is atomic: it runs until every token waits and then stores all of
/// its effects (on every instance it touched) together, or nothing when it throws.
/// </summary>
public interface IWorkflowEngine
{
    /// <summary>
    /// Deploys every process of the definitions as the next version of its process id (non-executable ones cannot be
    /// started). Validates first unless <see cref="WorkflowEngineOptions.ValidateOnDeploy"/> is off: errors throw
    /// <see cref="WorkflowValidationException"/>.
    /// </summary>
    ValueTask<IReadOnlyList<ProcessDefinitionInfo>> DeployAsync(BpmnDefinitions definitions, string? deployedBy = null, CancellationToken cancellationToken = default);

    /// <summary>Validates the definitions against the engine: registered handlers, deployed processes, expression and timer syntax.</summary>
    ValueTask<IReadOnlyList<ValidationProblem>> ValidateAsync(BpmnDefinitions definitions, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deploys files that belong together (a scenario's files, several files imported at once) as one set, in one
    /// command: they are validated as one set first (a call activity may call a process of any file, in any order),
    /// and an error in any file deploys nothing.
    /// </summary>
    ValueTask<IReadOnlyList<ProcessDefinitionInfo>> DeploySetAsync(IReadOnlyList<BpmnDefinitions> files, string? deployedBy = null, CancellationToken cancellationToken = default);

    /// <summary>Validates files deployed together as one set (see <see cref="BpmnValidator.ValidateSet"/>): each file's problems, in order.</summary>
    ValueTask<IReadOnlyList<IReadOnlyList<ValidationProblem>>> ValidateSetAsync(IReadOnlyList<BpmnDefinitions> files, CancellationToken cancellationToken = default);

    /// <summary>Starts the latest usable version of the process (or <see cref="StartInstanceRequest.Version"/>).</summary>
    ValueTask<ProcessInstanceInfo> StartAsync(StartInstanceRequest request, CancellationToken cancellationToken = default);

    ValueTask<ProcessInstanceInfo> StartAsync(string processId, string? businessKey = null, IReadOnlyDictionary<string, object?>? variables = null, string? userId = null, CancellationToken cancellationToken = default);

    /// <summary>Completes an open user task; throws <see cref="WorkflowConflictException"/> when it is no longer open.</summary>
    ValueTask CompleteTaskAsync(Guid taskId, IReadOnlyDictionary<string, object?>? variables = null, string? userId = null, CancellationToken cancellationToken = default);

    ValueTask ClaimTaskAsync(Guid taskId, string userId, CancellationToken cancellationToken = default);

    ValueTask UnclaimTaskAsync(Guid taskId, string? userId = null, CancellationToken cancellationToken = default);

    /// <summary>Sets (or with null clears) the assignee.</summary>
    ValueTask AssignTaskAsync(Guid taskId, string? assignee, string? userId = null, CancellationToken cancellationToken = default);

    /// <summary>Hands the task to another user; the note is kept in history.</summary>
    ValueTask DelegateTaskAsync(Guid taskId, string delegateTo, string? note = null, string? userId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves an open task's due date (null clears it), e.g. when the host extends the time limit the task was created
    /// with. Recorded in the history with the old and new value and the reason; the inbox orders by the new date.
    /// </summary>
    ValueTask SetTaskDueAsync(Guid taskId, DateTimeOffset? due, string? reason = null, string? userId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Delivers a message to the waiting subscriptions that match the name and correlation key (or business key);
    /// when none waits, starts an instance of a process with a matching message start event.
    /// </summary>
    ValueTask<CorrelationResult> CorrelateMessageAsync(MessageCorrelation correlation, CancellationToken cancellationToken = default);

    /// <summary>Delivers a signal to every waiting signal subscription and starts processes with a matching signal start event.</summary>
    ValueTask<int> BroadcastSignalAsync(string signalName, IReadOnlyDictionary<string, object?>? variables = null, string? userId = null, CancellationToken cancellationToken = default);

    /// <summary>Fires one timer (due or not); a timer of a suspended instance is refused.</summary>
    ValueTask FireTimerAsync(Guid timerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// What a scheduler calls when a timer's trigger wakes: in one command (its instance loaded once) the timer is fired
    /// if it is due by now + <paramref name="earlyTolerance"/>, else left alone (<see cref="TimerFireOutcome.NotYetDue"/>
    /// with its due time). Never throws for the timer's own failures: one that firing again would repeat opens an
    /// incident on the instance (<see cref="TimerFireOutcome.IncidentOpened"/>, as an async job whose retries ran out);
    /// one that may pass is <see cref="TimerFireOutcome.Failed"/> with its error, nothing changed.
    /// </summary>
    ValueTask<TimerFireResult> FireTimerIfDueAsync(Guid timerId, TimeSpan earlyTolerance = default, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives up on a timer whose firing keeps failing: it becomes a failed job with a <c>failedTimer</c> incident on its
    /// instance, and <see cref="RetryJobAsync"/> on that job fires the timer's event. False when the timer is gone or
    /// is a process's start timer (no instance to hold the incident).
    /// </summary>
    ValueTask<bool> OpenTimerIncidentAsync(Guid timerId, string message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Fires every timer due at <paramref name="now"/> (default: the TimeProvider's now), in due order, including timers
    /// that come due through firing. A timer failing for good opens an incident (see <see cref="FireTimerIfDueAsync"/>)
    /// and the others still fire; a failure that may pass is thrown after the others fired.
    /// </summary>
    ValueTask<int> FireDueTimersAsync(DateTimeOffset? now = null, CancellationToken cancellationToken = default);

    /// <summary>Executes an async job. A handler failure does not throw: it uses a retry and opens an incident when none is left.</summary>
    ValueTask<JobExecutionResult> ExecuteJobAsync(Guid jobId, CancellationToken cancellationToken = default);

    /// <summary>Executes every job due now (skipping suspended instances and jobs without retries), in due order.</summary>
    ValueTask<int> ExecuteDueJobsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a job whose retries ran out new retries and resolves its incident, first setting <paramref name="variables"/>
    /// (when given) on the process level of the instance, which must then be active. One command: a refused retry
    /// changes no variable. Recorded in history: the variable changes and the administrative action with the user and
    /// <paramref name="reason"/>.
    /// </summary>
    /// <exception cref="WorkflowNotFoundException">The job does not exist (any more).</exception>
    /// <exception cref="WorkflowConflictException">The job has retries left (it has not failed, or was retried already).</exception>
    /// <exception cref="InstanceSuspendedException">Variables were given and the instance is suspended.</exception>
    ValueTask RetryJobAsync(
        Guid jobId, int retries = 1, string? userId = null, IReadOnlyDictionary<string, object?>? variables = null, string? reason = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels the instance with everything it called. Cancelling a called instance cancels its callers as well (as Camunda 7:
    /// the call activity's cancellation propagates up), so no caller is left waiting for a child that never returns.
    /// </summary>
    ValueTask CancelInstanceAsync(Guid instanceId, string? reason = null, string? userId = null, CancellationToken cancellationToken = default);

    ValueTask SuspendInstanceAsync(Guid instanceId, string? reason = null, string? userId = null, CancellationToken cancellationToken = default);

    ValueTask ResumeInstanceAsync(Guid instanceId, string? reason = null, string? userId = null, CancellationToken cancellationToken = default);

    /// <summary>Sets process-level variables of an active instance (administrative correction; recorded in history).</summary>
    ValueTask SetVariablesAsync(Guid instanceId, IReadOnlyDictionary<string, object?> variables, string? userId = null, CancellationToken cancellationToken = default);

    // Queries

    /// <summary>The latest usable version of every deployed process.</summary>
    ValueTask<IReadOnlyList<ProcessDefinitionInfo>> GetLatestDefinitionsAsync(CancellationToken cancellationToken = default);

    ValueTask<UserTaskInfo?> GetTaskAsync(Guid taskId, CancellationToken cancellationToken = default);

    /// <summary>Open tasks the user may work on: assigned to them, or unassigned with them or one of their roles as candidate.</summary>
    ValueTask<IReadOnlyList<UserTaskInfo>> GetOpenTasksForUserAsync(string userId, IReadOnlyCollection<string>? roles = null, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<UserTaskInfo>> GetTasksAsync(TaskQuery query, CancellationToken cancellationToken = default);

    ValueTask<ProcessInstanceInfo?> GetInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<ProcessInstanceInfo>> GetInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default);

    /// <summary>The instance's process-level variables.</summary>
    ValueTask<IReadOnlyDictionary<string, object?>> GetVariablesAsync(Guid instanceId, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<HistoryEvent>> GetHistoryAsync(Guid instanceId, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<TimerInfo>> GetTimersAsync(Guid? instanceId = null, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<JobInfo>> GetJobsAsync(Guid? instanceId = null, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<EventSubscriptionInfo>> GetSubscriptionsAsync(Guid? instanceId = null, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<IncidentInfo>> GetIncidentsAsync(Guid? instanceId = null, CancellationToken cancellationToken = default);
}

public sealed record StartInstanceRequest(string ProcessId)
{
    public string? BusinessKey { get; init; }

    public IReadOnlyDictionary<string, object?>? Variables { get; init; }

    public string? UserId { get; init; }

    /// <summary>A specific deployed version; null means the latest usable one.</summary>
    public int? Version { get; init; }

    /// <summary>
    /// Runs inside the start command once the new instance has run to its first wait states and before anything is
    /// stored, with the command's transaction (null on a store without one) and the new instance: what the caller
    /// writes in that transaction commits with the instance or not at all (a project that becomes submitted as its
    /// procedure starts). Throwing aborts the start: nothing is stored.
    /// </summary>
    public Func<ICommandTransaction?, ProcessInstanceInfo, CancellationToken, ValueTask>? BeforeCommit { get; init; }
}

public sealed record MessageCorrelation(string MessageName)
{
    /// <summary>Matches subscriptions whose correlation key equals this value.</summary>
    public string? CorrelationKey { get; init; }

    /// <summary>Matches subscriptions of instances with this business key (used when no correlation key is given); also the business key of an instance a message start event creates.</summary>
    public string? BusinessKey { get; init; }

    public IReadOnlyDictionary<string, object?>? Variables { get; init; }

    public string? UserId { get; init; }

    /// <summary>Deliver to every matching subscription instead of exactly one.</summary>
    public bool All { get; init; }
}

public sealed record CorrelationResult(int Delivered, IReadOnlyList<Guid> StartedInstanceIds);

public enum JobExecutionOutcome
{
    Succeeded,
    FailedWillRetry,
    FailedIncidentOpened,
}

public sealed record JobExecutionResult(Guid JobId, JobExecutionOutcome Outcome, string? Error);

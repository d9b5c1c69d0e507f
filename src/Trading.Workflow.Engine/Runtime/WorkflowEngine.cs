using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Timers;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Engine.Runtime;

/// <summary>
/// The BPMN engine. Each command opens a store session, loads what it touches, works until every token waits, and
/// commits everything at once; any exception before the commit discards the session, so a failed command leaves no
/// trace. Register with <c>services.AddWorkflowEngine()</c>.
/// </summary>
public sealed class WorkflowEngine : IWorkflowEngine
{
    private readonly EngineServices _services;

    // The sessions a command's first run opened (see RerunOnStaleAsync); null in a rerun.
    private static readonly AsyncLocal<List<IWorkflowSession>?> FirstRun = new();

    internal WorkflowEngine(EngineServices services)
    {
        _services = services;
    }

    private IWorkflowStore Store => _services.Store;

    // ---------------------------------------------------------------- deploy and start

    public ValueTask<IReadOnlyList<ProcessDefinitionInfo>> DeployAsync(BpmnDefinitions definitions, string? deployedBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        return DeploySetAsync([definitions], deployedBy, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<ProcessDefinitionInfo>> DeploySetAsync(IReadOnlyList<BpmnDefinitions> files, string? deployedBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (_services.Options.ValidateOnDeploy)
        {
            var problems = await ValidateSetAsync(files, cancellationToken);
            if (problems.Any(p => p.HasErrors()))
            {
                throw new WorkflowValidationException([.. problems.SelectMany(p => p)]);
            }
        }

        var deployed = new List<ProcessDefinitionInfo>();
        var now = _services.Time.GetUtcNow();
        await using var context = await OpenAsync(deployedBy, cancellationToken);
        foreach (var process in files.SelectMany(f => f.Processes))
        {
            CompiledProcess.For(process);
            var added = await _services.Definitions.AddAsync(process, now, deployedBy, cancellationToken);
            deployed.Add(added.ToInfo());
            _services.Log.Deployed(added.ProcessId, added.Version);

            foreach (var timer in await Store.GetTimersAsync(null, cancellationToken))
            {
                if (timer.InstanceId is null && timer.ProcessId == process.Id)
                {
                    context.Changes.RemovedStartTimerIds.Add(timer.Id);
                }
            }

            if (!process.IsExecutable)
            {
                continue;
            }

            foreach (var node in process.Nodes)
            {
                if (node is StartEvent { Definition: TimerEventDefinition timer })
                {
                    var schedule = _services.TimerMath.First(timer.Kind, timer.Value, now, node.Id);
                    context.Changes.SavedStartTimers.Add(new TimerRecord
                    {
                        Id = SequentialIds.Next(now),
                        ProcessId = process.Id,
                        ProcessVersion = added.Version,
                        ElementId = node.Id,
                        Purpose = TriggerPurpose.ProcessStart,
                        Due = schedule.Due,
                        Kind = timer.Kind,
                        Definition = schedule.Definition,
                        RepeatsLeft = schedule.RepeatsLeft,
                        CreatedAt = now,
                    });
                }
            }

        }

        await context.CommitAsync();
        return deployed;
    }

    /// <summary>Runs the validator with what the engine knows: registered handlers, deployed processes, the expression and timer syntax.</summary>
    public async ValueTask<IReadOnlyList<ValidationProblem>> ValidateAsync(BpmnDefinitions definitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        return (await ValidateSetAsync([definitions], cancellationToken))[0];
    }

    public async ValueTask<IReadOnlyList<IReadOnlyList<ValidationProblem>>> ValidateSetAsync(IReadOnlyList<BpmnDefinitions> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var deployed in await _services.Definitions.GetAllLatestAsync(cancellationToken))
        {
            known.Add(deployed.ProcessId);
        }

        var context = EngineValidation.CreateContext(
            _services.Options.UnknownHandlersAreNoOps ? null : new HashSet<string>(_services.Handlers.Handlers.Keys, StringComparer.Ordinal),
            known);
        return BpmnValidator.ValidateSet(files, context);
    }

    public ValueTask<ProcessInstanceInfo> StartAsync(string processId, string? businessKey = null, IReadOnlyDictionary<string, object?>? variables = null, string? userId = null, CancellationToken cancellationToken = default) =>
        StartAsync(new StartInstanceRequest(processId) { BusinessKey = businessKey, Variables = variables, UserId = userId }, cancellationToken);

    public ValueTask<ProcessInstanceInfo> StartAsync(StartInstanceRequest request, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(request);
        var definition = await _services.Definitions.GetForStartAsync(request.ProcessId, request.Version, cancellationToken, keptLatest: true);
        var start = CompiledProcess.For(definition.Model).InitialNode
            ?? throw new WorkflowDefinitionException($"流程 {request.ProcessId} 没有开始事件", $"The process '{request.ProcessId}' has no start event.");

        await using var context = await OpenAsync(request.UserId, cancellationToken);
        var instance = context.CreateInstance(definition, request.BusinessKey, request.Variables);
        instance.OnLatestVersion = request.Version is null;
        context.StartInstance(instance, start);
        var beforeCommit = request.BeforeCommit is { } callback
            ? async () => await callback(await context.Session.GetTransactionAsync(cancellationToken), ProcessInstanceInfo.From(instance.Record), cancellationToken)
            : (Func<ValueTask>?)null;
        await RunAndCommitAsync(context, nameof(StartAsync), beforeCommit);
        return ProcessInstanceInfo.From(instance.Record);
    });

    // ---------------------------------------------------------------- tasks

    public ValueTask CompleteTaskAsync(Guid taskId, IReadOnlyDictionary<string, object?>? variables = null, string? userId = null, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        await using var context = await OpenAsync(userId, cancellationToken);
        var (instance, task) = await LoadOpenTaskAsync(context, taskId);
        var execution = instance.Find(task.ExecutionId)
            ?? throw WorkflowConflictException.TaskNotOpen(taskId, "no execution");
        if (variables is not null)
        {
            context.SetVariables(instance, execution, variables);
        }

        instance.Record.Tasks.Remove(task);
        task.State = UserTaskState.Completed;
        task.CompletedBy = userId;
        task.CompletedAt = context.Now;
        context.Changes.EndedTasks.Add(task);
        var node = context.NodeOf(instance, execution);
        context.History(instance, HistoryEventType.TaskCompleted, execution, node, taskId: taskId, elementName: task.Name);
        context.EnqueueLeave(instance, execution, node);
        await RunAndCommitAsync(context, nameof(CompleteTaskAsync));
    });

    public ValueTask ClaimTaskAsync(Guid taskId, string userId, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        await using var context = await OpenAsync(userId, cancellationToken);
        var (instance, task) = await LoadOpenTaskAsync(context, taskId);
        if (task.Assignee is { } current && current != userId)
        {
            throw new WorkflowConflictException($"任务 {taskId} 已由 {current} 认领", $"The task '{taskId}' is already claimed by '{current}'.");
        }

        task.Assignee = userId;
        task.ClaimedBy = userId;
        task.ClaimedAt = context.Now;
        context.History(instance, HistoryEventType.TaskClaimed, null, null, taskId: taskId, elementId: task.ElementId, elementName: task.Name);
        await RunAndCommitAsync(context, nameof(ClaimTaskAsync));
    });

    public ValueTask UnclaimTaskAsync(Guid taskId, string? userId = null, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        await using var context = await OpenAsync(userId, cancellationToken);
        var (instance, task) = await LoadOpenTaskAsync(context, taskId);
        task.Assignee = null;
        task.ClaimedBy = null;
        task.ClaimedAt = null;
        context.History(instance, HistoryEventType.TaskUnclaimed, null, null, taskId: taskId, elementId: task.ElementId, elementName: task.Name);
        await RunAndCommitAsync(context, nameof(UnclaimTaskAsync));
    });

    public ValueTask AssignTaskAsync(Guid taskId, string? assignee, string? userId = null, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        if (!string.IsNullOrEmpty(assignee))
        {
            await RequireRecipientAsync(taskId, assignee, cancellationToken);
        }

        await using var context = await OpenAsync(userId, cancellationToken);
        var (instance, task) = await LoadOpenTaskAsync(context, taskId);
        var previous = task.Assignee;
        task.Assignee = string.IsNullOrEmpty(assignee) ? null : assignee;
        context.History(instance, HistoryEventType.TaskAssigned, null, null, taskId: taskId, elementId: task.ElementId, elementName: task.Name, oldValue: previous, newValue: task.Assignee);
        await RunAndCommitAsync(context, nameof(AssignTaskAsync));
    });

    public ValueTask DelegateTaskAsync(Guid taskId, string delegateTo, string? note = null, string? userId = null, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        ArgumentException.ThrowIfNullOrEmpty(delegateTo);
        await RequireRecipientAsync(taskId, delegateTo, cancellationToken);
        await using var context = await OpenAsync(userId, cancellationToken);
        var (instance, task) = await LoadOpenTaskAsync(context, taskId);
        var previous = task.Assignee;
        task.Owner = previous ?? userId;
        task.Assignee = delegateTo;
        task.DelegationNote = note;
        context.History(instance, HistoryEventType.TaskDelegated, null, null, taskId: taskId, elementId: task.ElementId, elementName: task.Name, oldValue: previous, newValue: delegateTo, details: note);
        await RunAndCommitAsync(context, nameof(DelegateTaskAsync));
    });

    public ValueTask SetTaskDueAsync(Guid taskId, DateTimeOffset? due, string? reason = null, string? userId = null, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        await using var context = await OpenAsync(userId, cancellationToken);
        var (instance, task) = await LoadOpenTaskAsync(context, taskId);
        var previous = task.Due;
        if (previous == due)
        {
            return;
        }

        task.Due = due;
        context.History(instance, HistoryEventType.TaskDueChanged, null, null, taskId: taskId, elementId: task.ElementId, elementName: task.Name,
            oldValue: previous, newValue: due, details: reason);
        await RunAndCommitAsync(context, nameof(SetTaskDueAsync));
    });

    // Delegation and assignment go only to users who could receive the task within its scope. Judged before the
    // command opens its session (the host may read other tables); a scope that cannot judge the user limits nothing.
    private async ValueTask RequireRecipientAsync(Guid taskId, string recipient, CancellationToken cancellationToken)
    {
        if (await Store.GetTaskAsync(taskId, cancellationToken) is not { State: UserTaskState.Open } task)
        {
            return; // the command itself reports the missing or closed task
        }

        var scope = _services.CandidateScope;
        if (await scope.StandingOfAsync(task.BusinessKey, recipient, cancellationToken) is not { } standing)
        {
            return;
        }

        var assigneeRoles = task.Assignee is { } assignee && assignee != recipient
            ? (await scope.StandingOfAsync(task.BusinessKey, assignee, cancellationToken))?.Roles
            : null;
        if (!TaskCandidates.CouldReceive(task, standing, assigneeRoles))
        {
            throw new TaskRecipientNotAllowedException(taskId, recipient);
        }
    }

    private static async ValueTask<(LoadedInstance Instance, UserTaskRecord Task)> LoadOpenTaskAsync(CommandContext context, Guid taskId)
    {
        var location = await context.Session.FindTaskAsync(taskId, context.CancellationToken)
            ?? throw new WorkflowNotFoundException("task", taskId.ToString());
        if (location.State != UserTaskState.Open)
        {
            throw WorkflowConflictException.TaskNotOpen(taskId, location.State.ToString());
        }

        var instance = await context.LoadRequiredAsync(location.InstanceId);
        CommandContext.EnsureActive(instance);
        foreach (var task in instance.Record.Tasks)
        {
            if (task.Id == taskId)
            {
                return (instance, task);
            }
        }

        throw WorkflowConflictException.TaskNotOpen(taskId, "gone");
    }

    // ---------------------------------------------------------------- events

    public ValueTask<CorrelationResult> CorrelateMessageAsync(MessageCorrelation correlation, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(correlation);
        await using var context = await OpenAsync(correlation.UserId, cancellationToken);
        var delivered = 0;
        var fired = new HashSet<Guid>();
        var candidates = await context.Session.FindSubscriptionsAsync(EventKind.Message, correlation.MessageName, correlation.CorrelationKey, correlation.BusinessKey, cancellationToken);
        foreach (var candidate in candidates)
        {
            var instance = await context.LoadAsync(candidate.InstanceId);
            if (instance is null || instance.Record.State != InstanceState.Active
                || WaitingFor(instance, candidate, correlation) is not { } subscription || !fired.Add(subscription.Id))
            {
                continue;
            }

            context.History(instance, HistoryEventType.MessageCorrelated, null, null, elementId: subscription.ElementId, details: correlation.MessageName);
            context.FireTrigger(instance, subscription.ExecutionId, subscription.ElementId, subscription.Purpose, correlation.Variables);
            delivered++;
            if (!correlation.All)
            {
                break;
            }
        }

        var started = new List<Guid>();
        if (delivered == 0)
        {
            foreach (var definition in await _services.Definitions.GetAllLatestAsync(cancellationToken))
            {
                if (!definition.Model.IsExecutable)
                {
                    continue;
                }

                foreach (var node in definition.Model.Nodes)
                {
                    if (node is StartEvent { Definition: MessageEventDefinition message } start && CommandContext.MessageName(message, start) == correlation.MessageName)
                    {
                        var instance = context.CreateInstance(definition, correlation.BusinessKey, correlation.Variables);
                        context.StartInstance(instance, start, triggered: true);
                        started.Add(instance.Record.Id);
                        break;
                    }
                }
            }
        }

        if (delivered == 0 && started.Count == 0)
        {
            throw new WorkflowNotFoundException("message", correlation.MessageName);
        }

        await RunAndCommitAsync(context, nameof(CorrelateMessageAsync));
        return new CorrelationResult(delivered, started);
    });

    /// <summary>
    /// The subscription of the loaded instance that takes the message: the one the index found, or, when the instance
    /// moved on between the index read and the load (a timer's commit that left it waiting again, with new
    /// subscriptions), the one it waits with now. Null when it no longer waits for the message.
    /// </summary>
    private static SubscriptionRecord? WaitingFor(LoadedInstance instance, SubscriptionRecord found, MessageCorrelation correlation)
    {
        SubscriptionRecord? now = null;
        foreach (var subscription in instance.Record.Subscriptions)
        {
            if (subscription == found)
            {
                return found;
            }

            if (now is null && subscription.Kind == EventKind.Message && subscription.EventName == correlation.MessageName
                && (correlation.CorrelationKey is null || subscription.CorrelationKey == correlation.CorrelationKey))
            {
                now = subscription;
            }
        }

        return now;
    }

    public ValueTask<int> BroadcastSignalAsync(string signalName, IReadOnlyDictionary<string, object?>? variables = null, string? userId = null, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        ArgumentException.ThrowIfNullOrEmpty(signalName);
        await using var context = await OpenAsync(userId, cancellationToken);
        var delivered = await context.DeliverSignalAsync(signalName, variables);
        await RunAndCommitAsync(context, nameof(BroadcastSignalAsync));
        return delivered;
    });

    public ValueTask FireTimerAsync(Guid timerId, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        await using var context = await OpenAsync(null, cancellationToken);
        var location = await context.Session.FindTimerAsync(timerId, cancellationToken)
            ?? throw new WorkflowNotFoundException("timer", timerId.ToString());
        await FireLocatedTimerAsync(context, location, timerId, dueBy: null, cancellationToken);
    });

    public async ValueTask<TimerFireResult> FireTimerIfDueAsync(Guid timerId, TimeSpan earlyTolerance = default, CancellationToken cancellationToken = default)
    {
        DateTimeOffset? due = null;
        try
        {
            // One command: the timer is found, its instance loaded once, checked for being due and fired.
            return await RerunOnStaleAsync(async () =>
            {
                await using var context = await OpenAsync(null, cancellationToken);
                var location = await context.Session.FindTimerAsync(timerId, cancellationToken);
                if (location is null)
                {
                    return new TimerFireResult(TimerFireOutcome.Withdrawn);
                }

                due = await FireLocatedTimerAsync(context, location, timerId, context.Now + earlyTolerance, cancellationToken);
                return due is { } notYet && notYet > context.Now + earlyTolerance
                    ? new TimerFireResult(TimerFireOutcome.NotYetDue, notYet)
                    : new TimerFireResult(TimerFireOutcome.Fired, due);
            });
        }
        catch (Exception e) when (e is WorkflowNotFoundException or WorkflowConflictException)
        {
            // Withdrawn, or another node got there first: the effect happened once.
            return new TimerFireResult(TimerFireOutcome.Withdrawn, due);
        }
        catch (InstanceSuspendedException)
        {
            return new TimerFireResult(TimerFireOutcome.Suspended, due);
        }
        catch (Exception e) when (IsPermanentFailure(e))
        {
            return await OpenTimerIncidentAsync(timerId, e.Message, cancellationToken)
                ? new TimerFireResult(TimerFireOutcome.IncidentOpened, due, e)
                : new TimerFireResult(TimerFireOutcome.Failed, due, e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new TimerFireResult(TimerFireOutcome.Failed, due, e);
        }
    }

    /// <summary>
    /// A failure that firing again would repeat: the model cannot run this way (a bad expression, a missing variable,
    /// an uncaught BPMN error, no flow to take...). A handler's failure or the database's may pass, so they are not.
    /// </summary>
    public static bool IsPermanentFailure(Exception error) =>
        error is WorkflowException and not (WorkflowConflictException or WorkflowNotFoundException or InstanceSuspendedException or WorkflowHandlerException);

    /// <summary>
    /// Fires the located timer in the context and commits; with <paramref name="dueBy"/>, a timer due later is left
    /// as it is and its due time returned (nothing committed). Returns the timer's due time.
    /// </summary>
    private async ValueTask<DateTimeOffset> FireLocatedTimerAsync(CommandContext context, TimerLocation location, Guid timerId, DateTimeOffset? dueBy, CancellationToken cancellationToken)
    {
        DateTimeOffset due;
        if (location.StartTimer is { } startTimer)
        {
            due = startTimer.Due;
            if (due > dueBy)
            {
                return due;
            }

            // A start timer belongs to the latest usable version; once that version is retired it starts nothing.
            var latest = await _services.Definitions.GetLatestAsync(startTimer.ProcessId, cancellationToken);
            if (latest is null || latest.Version != startTimer.ProcessVersion)
            {
                context.Changes.RemovedStartTimerIds.Add(startTimer.Id);
            }
            else
            {
                FireStartTimer(context, startTimer, latest);
            }
        }
        else
        {
            var instance = await context.LoadRequiredAsync(location.InstanceId!.Value);
            var timer = instance.Record.Timers.Find(t => t.Id == timerId)
                ?? throw new WorkflowConflictException($"定时器 {timerId} 已被撤销", $"The timer '{timerId}' was withdrawn.");
            due = timer.Due;
            if (due > dueBy)
            {
                return due;
            }

            CommandContext.EnsureActive(instance);
            if (_services.TimerMath.Next(timer.Kind, timer.Definition, timer.Due) is { } next)
            {
                timer.Due = next.Due;
                timer.Definition = next.Definition;
                timer.RepeatsLeft = next.RepeatsLeft;
            }
            else
            {
                instance.Record.Timers.Remove(timer);
            }

            context.History(instance, HistoryEventType.TimerFired, null, null, elementId: timer.ElementId);
            context.FireTrigger(instance, timer.ExecutionId, timer.ElementId, timer.Purpose, null);
        }

        await RunAndCommitAsync(context, nameof(FireTimerAsync));
        return due;
    }

    public ValueTask<bool> OpenTimerIncidentAsync(Guid timerId, string message, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var context = await OpenAsync(null, cancellationToken);
        var location = await context.Session.FindTimerAsync(timerId, cancellationToken);
        if (location?.InstanceId is not { } instanceId)
        {
            // Gone, or a process's start timer: there is no instance to hold an incident.
            return false;
        }

        var instance = await context.LoadRequiredAsync(instanceId);
        var timer = instance.Record.Timers.Find(t => t.Id == timerId);
        if (timer is null || instance.Record.IsEnded)
        {
            return false;
        }

        // The timer leaves the schedulers (no more firing every few seconds) and waits as a failed job, as an async
        // job whose retries ran out: retrying the incident fires the timer's event. A cycle's later firings go with it.
        instance.Record.Timers.Remove(timer);
        var job = new JobRecord
        {
            Id = SequentialIds.Next(context.Now),
            InstanceId = instanceId,
            ExecutionId = timer.ExecutionId,
            ProcessId = instance.Record.ProcessId,
            ElementId = timer.ElementId,
            Kind = JobKind.FireTimer,
            Due = context.Now,
            RetriesLeft = 0,
            LastError = message,
            CreatedAt = context.Now,
        };
        instance.Record.Jobs.Add(job);
        instance.Record.Incidents.Add(new IncidentRecord
        {
            Id = SequentialIds.Next(context.Now),
            InstanceId = instanceId,
            JobId = job.Id,
            ExecutionId = timer.ExecutionId,
            ElementId = timer.ElementId,
            Type = "failedTimer",
            Message = message,
            CreatedAt = context.Now,
        });
        context.History(instance, HistoryEventType.IncidentOpened, null, null, elementId: timer.ElementId, details: message);
        _services.Log.IncidentOpened(instanceId, timer.ElementId, message);
        await context.CommitAsync();
        return true;
    });

    private void FireStartTimer(CommandContext context, TimerRecord timer, DeployedProcess? definition)
    {
        if (_services.TimerMath.Next(timer.Kind, timer.Definition, timer.Due) is { } next)
        {
            var rescheduled = timer.Clone();
            rescheduled.Due = next.Due;
            rescheduled.Definition = next.Definition;
            rescheduled.RepeatsLeft = next.RepeatsLeft;
            context.Changes.SavedStartTimers.Add(rescheduled);
        }
        else
        {
            context.Changes.RemovedStartTimerIds.Add(timer.Id);
        }

        if (definition?.Model.FindNode(timer.ElementId) is StartEvent start)
        {
            var instance = context.CreateInstance(definition, null, null);
            context.StartInstance(instance, start, triggered: true);
        }
    }

    public async ValueTask<int> FireDueTimersAsync(DateTimeOffset? now = null, CancellationToken cancellationToken = default)
    {
        var fired = 0;
        var failed = new HashSet<Guid>();
        Exception? firstFailure = null;
        while (true)
        {
            var at = now ?? _services.Time.GetUtcNow();
            IReadOnlyList<TimerInfo> due;
            await using (var session = await Store.OpenSessionAsync(cancellationToken))
            {
                due = await session.FindDueTimersAsync(at, _services.Options.MaxDueBatch, cancellationToken);
            }

            var progressed = false;
            foreach (var timer in due)
            {
                if (failed.Contains(timer.Id))
                {
                    continue;
                }

                var result = await FireTimerIfDueAsync(timer.Id, at - _services.Time.GetUtcNow(), cancellationToken);
                switch (result.Outcome)
                {
                    case TimerFireOutcome.Fired:
                        fired++;
                        progressed = true;
                        break;
                    case TimerFireOutcome.IncidentOpened:
                        // As an async job: the incident is on the instance; the other timers fire.
                        failed.Add(timer.Id);
                        progressed = true;
                        break;
                    case TimerFireOutcome.Failed:
                        failed.Add(timer.Id);
                        firstFailure ??= result.Error;
                        break;
                    default:
                        failed.Add(timer.Id);
                        break;
                }
            }

            if (!progressed)
            {
                break;
            }
        }

        if (firstFailure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(firstFailure);
        }

        return fired;
    }

    // ---------------------------------------------------------------- jobs

    public ValueTask<JobExecutionResult> ExecuteJobAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        ExecuteJobAsync(jobId, dueBy: null, cancellationToken);

    /// <summary>
    /// Runs the job; with <paramref name="dueBy"/> only while it is due by then (a sweep's list of due jobs may be stale:
    /// an attempt that failed meanwhile moved the job's due date by the retry delay, and running it again at once would
    /// spend a retry early), else a <see cref="WorkflowConflictException"/>.
    /// </summary>
    internal async ValueTask<JobExecutionResult> ExecuteJobAsync(Guid jobId, DateTimeOffset? dueBy, CancellationToken cancellationToken)
    {
        // The retries the job had when this attempt loaded it: an attempt run twice at once (two nodes, or a scheduler
        // and a caller) counts its failure once.
        int? retriesSeen = null;
        try
        {
            return await RerunOnStaleAsync(async () =>
            {
                await using var context = await OpenAsync(null, cancellationToken);
                var instanceId = await context.Session.FindJobInstanceAsync(jobId, cancellationToken)
                    ?? throw new WorkflowNotFoundException("job", jobId.ToString());
                var instance = await context.LoadRequiredAsync(instanceId);
                CommandContext.EnsureActive(instance);
                var job = instance.Record.Jobs.Find(j => j.Id == jobId)
                    ?? throw new WorkflowNotFoundException("job", jobId.ToString());
                if (job.RetriesLeft <= 0)
                {
                    throw new WorkflowStateException($"作业 {jobId} 已无重试次数，请先处理事件", $"The job '{jobId}' has no retries left; resolve its incident first.");
                }

                if (dueBy is { } by && job.Due > by)
                {
                    throw new WorkflowConflictException($"作业 {jobId} 尚未到期", $"The job '{jobId}' is no longer due.");
                }

                retriesSeen = job.RetriesLeft;
                instance.Record.Jobs.Remove(job);
                var execution = instance.Find(job.ExecutionId)
                    ?? throw new WorkflowConflictException("作业的执行已不存在", $"The execution of job '{jobId}' no longer exists.");
                if (job.Kind == JobKind.FireTimer)
                {
                    // A timer that had failed for good, retried from its incident: its event happens now.
                    var timerNode = instance.Definition.Model.FindNode(job.ElementId)
                        ?? throw new WorkflowDefinitionException($"找不到定时器节点 {job.ElementId}", $"The timer event '{job.ElementId}' does not exist.", job.ElementId);
                    context.History(instance, HistoryEventType.TimerFired, null, null, elementId: job.ElementId);
                    context.FireTrigger(instance, execution.Id, job.ElementId, CommandContext.TimerPurpose(timerNode, execution), null);
                    await context.RunAsync();
                    await context.CommitAsync();
                    return new JobExecutionResult(jobId, JobExecutionOutcome.Succeeded, null);
                }

                var node = context.NodeOf(instance, execution);
                context.Enqueue(new Op(job.Kind == JobKind.AsyncBefore ? OpKind.Enter : OpKind.Leave, instance, execution, node, FromJob: true));
                await context.RunAsync();
                await context.CommitAsync();
                return new JobExecutionResult(jobId, JobExecutionOutcome.Succeeded, null);
            });
        }
        catch (Exception e) when (e is not (WorkflowNotFoundException or WorkflowConflictException or InstanceSuspendedException or WorkflowStateException or OperationCanceledException))
        {
            return await RecordJobFailureAsync(jobId, e, retriesSeen, cancellationToken);
        }
    }

    private ValueTask<JobExecutionResult> RecordJobFailureAsync(Guid jobId, Exception error, int? retriesSeen, CancellationToken cancellationToken) => RerunOnStaleAsync(async () =>
    {
        await using var context = await OpenAsync(null, cancellationToken);
        var instanceId = await context.Session.FindJobInstanceAsync(jobId, cancellationToken)
            ?? throw new WorkflowNotFoundException("job", jobId.ToString());
        var instance = await context.LoadRequiredAsync(instanceId);
        var job = instance.Record.Jobs.Find(j => j.Id == jobId)
            ?? throw new WorkflowNotFoundException("job", jobId.ToString());
        if (retriesSeen is { } seen && job.RetriesLeft < seen)
        {
            // Another run of the same attempt failed and was counted meanwhile.
            return new JobExecutionResult(jobId, job.RetriesLeft == 0 ? JobExecutionOutcome.FailedIncidentOpened : JobExecutionOutcome.FailedWillRetry, error.Message);
        }

        job.RetriesLeft = error is BpmnErrorException ? 0 : Math.Max(0, job.RetriesLeft - 1);
        job.LastError = error.Message;
        job.Due = context.Now + _services.Options.JobRetryDelay;
        job.LockOwner = null;
        job.LockExpiry = null;
        _services.Log.JobFailed(jobId, job.ElementId, instanceId, job.RetriesLeft, error);
        context.History(instance, HistoryEventType.JobFailed, null, null, elementId: job.ElementId, details: error.Message);
        var outcome = JobExecutionOutcome.FailedWillRetry;
        if (job.RetriesLeft == 0)
        {
            instance.Record.Incidents.Add(new IncidentRecord
            {
                Id = SequentialIds.Next(context.Now),
                InstanceId = instanceId,
                JobId = jobId,
                ExecutionId = job.ExecutionId,
                ElementId = job.ElementId,
                Type = error is BpmnErrorException ? "bpmnError" : "failedJob",
                Message = error.Message,
                CreatedAt = context.Now,
            });
            context.History(instance, HistoryEventType.IncidentOpened, null, null, elementId: job.ElementId, details: error.Message);
            _services.Log.IncidentOpened(instanceId, job.ElementId, error.Message);
            outcome = JobExecutionOutcome.FailedIncidentOpened;
        }

        await context.CommitAsync();
        return new JobExecutionResult(jobId, outcome, error.Message);
    });

    public async ValueTask<int> ExecuteDueJobsAsync(CancellationToken cancellationToken = default)
    {
        var executed = 0;
        var tried = new HashSet<Guid>();
        while (true)
        {
            IReadOnlyList<JobInfo> due;
            var now = _services.Time.GetUtcNow();
            await using (var session = await Store.OpenSessionAsync(cancellationToken))
            {
                due = await session.FindDueJobsAsync(now, _services.Options.MaxDueBatch, cancellationToken);
            }

            var progressed = false;
            foreach (var job in due)
            {
                if (!tried.Add(job.Id))
                {
                    continue;
                }

                try
                {
                    var result = await ExecuteJobAsync(job.Id, now, cancellationToken);
                    if (result.Outcome == JobExecutionOutcome.Succeeded)
                    {
                        executed++;
                    }

                    progressed = true;
                }
                catch (WorkflowException e) when (e is WorkflowNotFoundException or WorkflowConflictException or InstanceSuspendedException or WorkflowStateException)
                {
                    // Gone, changed or suspended since the query: the next call sees the current state.
                }
            }

            if (!progressed)
            {
                return executed;
            }
        }
    }

    public ValueTask RetryJobAsync(
        Guid jobId, int retries = 1, string? userId = null, IReadOnlyDictionary<string, object?>? variables = null, string? reason = null,
        CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retries, 1);
        await using var context = await OpenAsync(userId, cancellationToken);
        var instanceId = await context.Session.FindJobInstanceAsync(jobId, cancellationToken)
            ?? throw new WorkflowNotFoundException("job", jobId.ToString());
        var instance = await context.LoadRequiredAsync(instanceId);
        var job = instance.Record.Jobs.Find(j => j.Id == jobId)
            ?? throw new WorkflowNotFoundException("job", jobId.ToString());
        if (job.RetriesLeft > 0)
        {
            throw new WorkflowConflictException(
                $"异步作业 {jobId} 未处于失败状态（还剩 {job.RetriesLeft} 次重试），可能已被他人重试",
                $"The job '{jobId}' has not failed ({job.RetriesLeft} retries left); someone may have retried it already.");
        }

        if (variables is { Count: > 0 })
        {
            // Same rule as SetVariablesAsync; in this command, so a refused retry changes no variable.
            CommandContext.EnsureActive(instance);
            foreach (var (name, value) in variables)
            {
                context.SetVariable(instance, instance.Root, name, value, local: true);
            }
        }

        job.RetriesLeft = retries;
        job.Due = context.Now;
        var incidents = instance.Record.Incidents;
        for (var i = incidents.Count - 1; i >= 0; i--)
        {
            if (incidents[i].JobId == jobId)
            {
                context.History(instance, HistoryEventType.IncidentResolved, null, null, elementId: incidents[i].ElementId, details: "retry");
                incidents.RemoveAt(i);
            }
        }

        var changed = variables is { Count: > 0 } ? $", variables: {string.Join(", ", variables.Keys)}" : string.Empty;
        var why = string.IsNullOrWhiteSpace(reason) ? string.Empty : $": {reason}";
        context.History(instance, HistoryEventType.AdminAction, null, null, elementId: job.ElementId, details: $"retry job ({retries}){changed}{why}");
        await RunAndCommitAsync(context, nameof(RetryJobAsync));
    });

    // ---------------------------------------------------------------- instance administration

    public ValueTask CancelInstanceAsync(Guid instanceId, string? reason = null, string? userId = null, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        await using var context = await OpenAsync(userId, cancellationToken);
        var instance = await context.LoadRequiredAsync(instanceId);
        if (instance.Record.IsEnded)
        {
            throw WorkflowConflictException.NotActive(instanceId, instance.Record.State.ToString());
        }

        // As Camunda 7: deleting a called instance deletes its caller too (the call activity's cancellation
        // propagates up), else the caller would wait forever for a child that never returns. Cancelling the
        // top-most active caller cascades down through every call activity to this instance.
        var target = instance;
        while (target.Record.ParentInstanceId is { } parentId && context.Loaded(parentId) is { Record.IsEnded: false } caller)
        {
            target = caller;
        }

        context.CompleteInstance(target, InstanceState.Cancelled, reason);
        _services.Log.AdminAction(instanceId, "cancel", userId, reason);
        await RunAndCommitAsync(context, nameof(CancelInstanceAsync));
    });

    public ValueTask SuspendInstanceAsync(Guid instanceId, string? reason = null, string? userId = null, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        await using var context = await OpenAsync(userId, cancellationToken);
        var instance = await context.LoadRequiredAsync(instanceId);
        CommandContext.EnsureActive(instance);
        foreach (var target in WithCalledInstances(context, instance))
        {
            if (target.Record.State == InstanceState.Active)
            {
                target.Record.State = InstanceState.Suspended;
                context.History(target, HistoryEventType.InstanceSuspended, null, null, details: reason);
            }
        }

        _services.Log.AdminAction(instanceId, "suspend", userId, reason);
        await RunAndCommitAsync(context, nameof(SuspendInstanceAsync));
    });

    public ValueTask ResumeInstanceAsync(Guid instanceId, string? reason = null, string? userId = null, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        await using var context = await OpenAsync(userId, cancellationToken);
        var instance = await context.LoadRequiredAsync(instanceId);
        if (instance.Record.State != InstanceState.Suspended)
        {
            throw new WorkflowStateException($"流程实例 {instanceId} 未挂起", $"The process instance '{instanceId}' is not suspended.");
        }

        foreach (var target in WithCalledInstances(context, instance))
        {
            if (target.Record.State == InstanceState.Suspended)
            {
                target.Record.State = InstanceState.Active;
                target.Resumed = true;
                context.History(target, HistoryEventType.InstanceResumed, null, null, details: reason);
            }
        }

        _services.Log.AdminAction(instanceId, "resume", userId, reason);
        await RunAndCommitAsync(context, nameof(ResumeInstanceAsync));
    });

    public ValueTask SetVariablesAsync(Guid instanceId, IReadOnlyDictionary<string, object?> variables, string? userId = null, CancellationToken cancellationToken = default) => RerunOnStaleAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(variables);
        await using var context = await OpenAsync(userId, cancellationToken);
        var instance = await context.LoadRequiredAsync(instanceId);
        CommandContext.EnsureActive(instance);
        var root = instance.Root;
        foreach (var (name, value) in variables)
        {
            context.SetVariable(instance, root, name, value, local: true);
        }

        await RunAndCommitAsync(context, nameof(SetVariablesAsync));
    });

    /// <summary>The instance and every instance its call activities started, however deep (suspension covers them all, as in Camunda).</summary>
    private static List<LoadedInstance> WithCalledInstances(CommandContext context, LoadedInstance root)
    {
        var result = new List<LoadedInstance> { root };
        for (var i = 0; i < result.Count; i++)
        {
            foreach (var execution in result[i].Record.Executions)
            {
                if (execution.CalledInstanceId is { } calledId && context.Loaded(calledId) is { } called)
                {
                    result.Add(called);
                }
            }
        }

        return result;
    }

    // ---------------------------------------------------------------- queries

    public async ValueTask<IReadOnlyList<ProcessDefinitionInfo>> GetLatestDefinitionsAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<ProcessDefinitionInfo>();
        foreach (var deployed in await _services.Definitions.GetAllLatestAsync(cancellationToken))
        {
            result.Add(deployed.ToInfo());
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.ProcessId, b.ProcessId));
        return result;
    }

    public ValueTask<UserTaskInfo?> GetTaskAsync(Guid taskId, CancellationToken cancellationToken = default) =>
        Store.GetTaskAsync(taskId, cancellationToken);

    public async ValueTask<IReadOnlyList<UserTaskInfo>> GetOpenTasksForUserAsync(string userId, IReadOnlyCollection<string>? roles = null, CancellationToken cancellationToken = default)
    {
        var tasks = await Store.GetOpenTasksForUserAsync(userId, roles ?? [], cancellationToken);
        if (_services.CandidateScope is UnscopedTaskCandidates)
        {
            return tasks;
        }

        // The store matches candidate strings; the scope then keeps, per business key, what is offered to the user there.
        var standings = new Dictionary<string, CandidateStanding>(StringComparer.Ordinal);
        var result = new List<UserTaskInfo>(tasks.Count);
        foreach (var task in tasks)
        {
            if (task.Assignee == userId)
            {
                result.Add(task);
                continue;
            }

            var key = task.BusinessKey ?? string.Empty;
            if (!standings.TryGetValue(key, out var standing))
            {
                standing = await _services.CandidateScope.StandingAsync(task.BusinessKey, userId, roles ?? [], cancellationToken);
                standings[key] = standing;
            }

            if (TaskCandidates.IsCandidate(task, standing))
            {
                result.Add(task);
            }
        }

        return result;
    }

    public ValueTask<IReadOnlyList<UserTaskInfo>> GetTasksAsync(TaskQuery query, CancellationToken cancellationToken = default) =>
        Store.QueryTasksAsync(query, cancellationToken);

    public ValueTask<ProcessInstanceInfo?> GetInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        Store.GetInstanceAsync(instanceId, cancellationToken);

    public ValueTask<IReadOnlyList<ProcessInstanceInfo>> GetInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) =>
        Store.QueryInstancesAsync(query, cancellationToken);

    public async ValueTask<IReadOnlyDictionary<string, object?>> GetVariablesAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        await Store.GetVariablesAsync(instanceId, cancellationToken) ?? throw new WorkflowNotFoundException("instance", instanceId.ToString());

    public ValueTask<IReadOnlyList<HistoryEvent>> GetHistoryAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        Store.GetHistoryAsync(instanceId, cancellationToken);

    public ValueTask<IReadOnlyList<TimerInfo>> GetTimersAsync(Guid? instanceId = null, CancellationToken cancellationToken = default) =>
        Store.GetTimersAsync(instanceId, cancellationToken);

    public ValueTask<IReadOnlyList<JobInfo>> GetJobsAsync(Guid? instanceId = null, CancellationToken cancellationToken = default) =>
        Store.GetJobsAsync(instanceId, cancellationToken);

    public ValueTask<IReadOnlyList<EventSubscriptionInfo>> GetSubscriptionsAsync(Guid? instanceId = null, CancellationToken cancellationToken = default) =>
        Store.GetSubscriptionsAsync(instanceId, cancellationToken);

    public ValueTask<IReadOnlyList<IncidentInfo>> GetIncidentsAsync(Guid? instanceId = null, CancellationToken cancellationToken = default) =>
        Store.GetIncidentsAsync(instanceId, cancellationToken);

    // ---------------------------------------------------------------- plumbing

    private async ValueTask<CommandContext> OpenAsync(string? userId, CancellationToken cancellationToken)
    {
        var session = await Store.OpenSessionAsync(cancellationToken);
        FirstRun.Value?.Add(session);
        return new CommandContext(_services, session, userId, cancellationToken);
    }

    /// <summary>
    /// Runs a command, and once more when its first run failed after reading an instance from the store's cache of
    /// committed instances: another node may have committed that instance since (PostgreSQL), so the first run's
    /// error (a version conflict at commit, or a check on rows that were no longer current) says nothing. The rerun
    /// reads the database. Nothing of the first run was committed; a handler it ran runs again, as after any
    /// rolled-back command (a handler's own failure is not rerun). Likewise a start on a version the definition
    /// repository kept as the latest, when its commit found that another process had published or retired one.
    /// </summary>
    private async ValueTask<T> RerunOnStaleAsync<T>(Func<ValueTask<T>> command)
    {
        var sessions = new List<IWorkflowSession>();
        FirstRun.Value = sessions;
        try
        {
            return await command();
        }
        catch (WorkflowException e) when (Reruns(e, sessions.Exists(s => s.ReadCachedState)))
        {
            foreach (var session in sessions)
            {
                session.ForgetCachedState();
            }

            if (e is WorkflowConflictException { LatestVersionOf: { } processId })
            {
                // Started on a version kept as the latest while another process published or retired one.
                _services.Definitions.ForgetLatest(processId);
            }
        }

        FirstRun.Value = null;
        return await command();
    }

    /// <summary>Whether a command's first run that failed with <paramref name="error"/> runs again (see <see cref="RerunOnStaleAsync{T}"/>).</summary>
    private static bool Reruns(WorkflowException error, bool readCachedState) =>
        error is WorkflowConflictException { LatestVersionOf: not null } || (readCachedState && error is not WorkflowHandlerException);

    private async ValueTask RerunOnStaleAsync(Func<ValueTask> command) =>
        await RerunOnStaleAsync<bool>(async () =>
        {
            await command();
            return true;
        });

    private async ValueTask RunAndCommitAsync(CommandContext context, string command, Func<ValueTask>? beforeCommit = null)
    {
        try
        {
            await context.RunAsync();
            if (beforeCommit is not null)
            {
                await beforeCommit();
            }

            await context.CommitAsync();
        }
        catch (WorkflowException e) when (FirstRun.Value is null || !Reruns(e, context.Session.ReadCachedState))
        {
            if (e is WorkflowConflictException)
            {
                _services.Log.CommandConflicted(command, e.Message);
            }
            else
            {
                _services.Log.CommandFailed(command, e.Code, e);
            }

            throw;
        }
    }
}

/// <summary>Creates the engine outside DI (tests, tools); <c>AddWorkflowEngine</c> does the same inside.</summary>
internal static class WorkflowEngineFactory
{
    public static WorkflowEngine Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WorkflowEngineOptions>>().Value;
        var loggerFactory = services.GetService<Microsoft.Extensions.Logging.ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        var engineServices = new EngineServices(
            services.GetRequiredService<IWorkflowStore>(),
            services.GetRequiredService<IDefinitionRepository>(),
            services.GetRequiredService<IExpressionEvaluator>(),
            services.GetRequiredService<HandlerRegistry>(),
            services.GetServices<IWorkflowCommitObserver>().ToList(),
            services.GetRequiredService<TimeProvider>(),
            options,
            new EngineLog(loggerFactory.CreateLogger("Trading.Workflow.Engine")),
            services.GetRequiredService<IServiceScopeFactory>(),
            new TimerMath(services.GetService<IBusinessCalendar>()),
            services.GetService<ITaskCandidateScope>() ?? new UnscopedTaskCandidates());
        return new WorkflowEngine(engineServices);
    }
}

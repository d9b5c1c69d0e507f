using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Store;

/// <summary>
/// Thread-safe store in memory. Committed aggregates are never changed again: a command works on a clone and its
/// commit swaps the new object in after checking versions, so a failed command leaves no trace and readers never
/// see half a command. Indexes (tasks, timers, jobs, subscriptions) are rebuilt per committed instance.
/// </summary>
public sealed class InMemoryWorkflowStore : IWorkflowStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, ProcessInstanceRecord> _instances = [];
    private readonly Dictionary<Guid, UserTaskRecord> _tasks = [];
    private readonly Dictionary<Guid, UserTaskRecord> _openTasks = [];
    private readonly Dictionary<Guid, TimerRecord> _timers = [];
    private readonly Dictionary<Guid, JobRecord> _jobs = [];
    private readonly Dictionary<(EventKind Kind, string Name), HashSet<SubscriptionRecord>> _subscriptions = [];
    private readonly InMemoryHistoryLog _history = new();
    private long _sequence;

    public ValueTask<IWorkflowSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IWorkflowSession>(new Session(this));

    public int InstanceCount
    {
        get
        {
            lock (_lock)
            {
                return _instances.Count;
            }
        }
    }

    // ---------------------------------------------------------------- queries

    public ValueTask<UserTaskInfo?> GetTaskAsync(Guid taskId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_tasks.TryGetValue(taskId, out var task) ? UserTaskInfo.From(task) : null);
        }
    }

    public ValueTask<IReadOnlyList<UserTaskInfo>> GetOpenTasksForUserAsync(string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default)
    {
        var result = new List<UserTaskInfo>();
        lock (_lock)
        {
            foreach (var task in _openTasks.Values)
            {
                if (task.Assignee == userId || (task.Assignee is null && IsCandidate(task, userId, roles)))
                {
                    result.Add(UserTaskInfo.From(task));
                }
            }
        }

        result.Sort(static (a, b) =>
        {
            var byDue = (a.Due ?? DateTimeOffset.MaxValue).CompareTo(b.Due ?? DateTimeOffset.MaxValue);
            if (byDue != 0)
            {
                return byDue;
            }

            return a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : a.Id.CompareTo(b.Id);
        });
        return ValueTask.FromResult<IReadOnlyList<UserTaskInfo>>(result);
    }

    private static bool IsCandidate(UserTaskRecord task, string userId, IReadOnlyCollection<string> roles)
    {
        if (Array.IndexOf(task.CandidateUsers, userId) >= 0)
        {
            return true;
        }

        foreach (var role in task.CandidateRoles)
        {
            if (roles.Contains(role))
            {
                return true;
            }
        }

        return false;
    }

    public ValueTask<IReadOnlyList<UserTaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        var result = new List<UserTaskInfo>();
        lock (_lock)
        {
            foreach (var task in (query.OpenOnly ? _openTasks : _tasks).Values)
            {
                if ((query.InstanceId is null || task.InstanceId == query.InstanceId)
                    && (query.BusinessKey is null || task.BusinessKey == query.BusinessKey)
                    && (query.ProcessId is null || task.ProcessId == query.ProcessId)
                    && (query.ElementId is null || task.ElementId == query.ElementId)
                    && (query.Assignee is null || task.Assignee == query.Assignee)
                    && (query.DueBefore is null || (task.Due is { } due && due <= query.DueBefore)))
                {
                    result.Add(UserTaskInfo.From(task));
                }
            }
        }

        result.Sort(static (a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : a.Id.CompareTo(b.Id));
        return ValueTask.FromResult<IReadOnlyList<UserTaskInfo>>(result);
    }

    public ValueTask<ProcessInstanceInfo?> GetInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        ProcessInstanceRecord? record;
        lock (_lock)
        {
            record = _instances.GetValueOrDefault(instanceId);
        }

        return ValueTask.FromResult(record is null ? null : ProcessInstanceInfo.From(record));
    }

    public ValueTask<IReadOnlyList<ProcessInstanceInfo>> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        var matches = new List<ProcessInstanceRecord>();
        lock (_lock)
        {
            if (query.InstanceId is { } id)
            {
                if (_instances.TryGetValue(id, out var one))
                {
                    matches.Add(one);
                }
            }
            else
            {
                matches.AddRange(_instances.Values);
            }
        }

        var result = new List<ProcessInstanceInfo>();
        foreach (var r in matches)
        {
            if ((query.InstanceIds is null || query.InstanceIds.Contains(r.Id))
                && (query.BusinessKey is null || r.BusinessKey == query.BusinessKey)
                && (query.ProcessId is null || r.ProcessId == query.ProcessId)
                && (query.State is null || r.State == query.State)
                && (query.ParentInstanceId is null || r.ParentInstanceId == query.ParentInstanceId))
            {
                result.Add(ProcessInstanceInfo.From(r));
            }
        }

        result.Sort(static (a, b) => a.StartedAt != b.StartedAt ? a.StartedAt.CompareTo(b.StartedAt) : a.Id.CompareTo(b.Id));
        return ValueTask.FromResult<IReadOnlyList<ProcessInstanceInfo>>(result);
    }

    public ValueTask<IReadOnlyDictionary<string, object?>?> GetVariablesAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        ProcessInstanceRecord? record;
        lock (_lock)
        {
            record = _instances.GetValueOrDefault(instanceId);
        }

        if (record is null)
        {
            return ValueTask.FromResult<IReadOnlyDictionary<string, object?>?>(null);
        }

        foreach (var execution in record.Executions)
        {
            if (execution.Kind == ExecutionKind.Process)
            {
                return ValueTask.FromResult<IReadOnlyDictionary<string, object?>?>(
                    execution.Variables is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(execution.Variables));
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, object?>?>(new Dictionary<string, object?>());
    }

    public ValueTask<IReadOnlyList<HistoryEvent>> GetHistoryAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_history.Read(instanceId));
        }
    }

    public ValueTask<IReadOnlyList<TimerInfo>> GetTimersAsync(Guid? instanceId, CancellationToken cancellationToken = default)
    {
        var result = new List<TimerInfo>();
        lock (_lock)
        {
            foreach (var timer in _timers.Values)
            {
                if (instanceId is null || timer.InstanceId == instanceId)
                {
                    result.Add(TimerInfo.From(timer));
                }
            }
        }

        result.Sort(static (a, b) => a.Due != b.Due ? a.Due.CompareTo(b.Due) : a.Id.CompareTo(b.Id));
        return ValueTask.FromResult<IReadOnlyList<TimerInfo>>(result);
    }

    public ValueTask<IReadOnlyList<JobInfo>> GetJobsAsync(Guid? instanceId, CancellationToken cancellationToken = default)
    {
        var result = new List<JobInfo>();
        lock (_lock)
        {
            foreach (var job in _jobs.Values)
            {
                if (instanceId is null || job.InstanceId == instanceId)
                {
                    result.Add(JobInfo.From(job));
                }
            }
        }

        result.Sort(static (a, b) => a.Due != b.Due ? a.Due.CompareTo(b.Due) : a.Id.CompareTo(b.Id));
        return ValueTask.FromResult<IReadOnlyList<JobInfo>>(result);
    }

    public ValueTask<IReadOnlyList<EventSubscriptionInfo>> GetSubscriptionsAsync(Guid? instanceId, CancellationToken cancellationToken = default)
    {
        var result = new List<EventSubscriptionInfo>();
        lock (_lock)
        {
            foreach (var set in _subscriptions.Values)
            {
                foreach (var s in set)
                {
                    if (instanceId is null || s.InstanceId == instanceId)
                    {
                        result.Add(EventSubscriptionInfo.From(s));
                    }
                }
            }
        }

        result.Sort(static (a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : a.Id.CompareTo(b.Id));
        return ValueTask.FromResult<IReadOnlyList<EventSubscriptionInfo>>(result);
    }

    public ValueTask<IReadOnlyList<IncidentInfo>> GetIncidentsAsync(Guid? instanceId, CancellationToken cancellationToken = default)
    {
        var result = new List<IncidentInfo>();
        lock (_lock)
        {
            foreach (var record in _instances.Values)
            {
                if (instanceId is not null && record.Id != instanceId)
                {
                    continue;
                }

                foreach (var incident in record.Incidents)
                {
                    result.Add(IncidentInfo.From(incident));
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<IncidentInfo>>(result);
    }

    // ---------------------------------------------------------------- commit

    private void Commit(WorkflowChangeSet changes)
    {
        lock (_lock)
        {
            foreach (var change in changes.Instances)
            {
                var stored = _instances.GetValueOrDefault(change.Instance.Id);
                if (change.IsNew ? stored is not null : stored is null || stored.Version != change.ExpectedVersion)
                {
                    throw WorkflowConflictException.Concurrency(change.Instance.Id);
                }
            }

            foreach (var change in changes.Instances)
            {
                var stored = _instances.GetValueOrDefault(change.Instance.Id);
                if (stored is not null)
                {
                    Unindex(stored);
                }

                change.Instance.Version = change.ExpectedVersion + 1;
                Index(change.Instance);
                _instances[change.Instance.Id] = change.Instance;
            }

            foreach (var task in changes.EndedTasks)
            {
                _openTasks.Remove(task.Id);
                _tasks[task.Id] = task;
            }

            foreach (var id in changes.RemovedStartTimerIds)
            {
                _timers.Remove(id);
            }

            foreach (var timer in changes.SavedStartTimers)
            {
                _timers[timer.Id] = timer;
            }

            foreach (var e in changes.History)
            {
                e.Sequence = ++_sequence;
                _history.Append(e);
            }
        }
    }

    private void Unindex(ProcessInstanceRecord record)
    {
        foreach (var task in record.Tasks)
        {
            _openTasks.Remove(task.Id);
        }

        foreach (var timer in record.Timers)
        {
            _timers.Remove(timer.Id);
        }

        foreach (var job in record.Jobs)
        {
            _jobs.Remove(job.Id);
        }

        foreach (var s in record.Subscriptions)
        {
            if (_subscriptions.TryGetValue((s.Kind, s.EventName), out var set))
            {
                set.Remove(s);
            }
        }
    }

    private void Index(ProcessInstanceRecord record)
    {
        foreach (var task in record.Tasks)
        {
            _openTasks[task.Id] = task;
            _tasks[task.Id] = task;
        }

        foreach (var timer in record.Timers)
        {
            _timers[timer.Id] = timer;
        }

        foreach (var job in record.Jobs)
        {
            _jobs[job.Id] = job;
        }

        foreach (var s in record.Subscriptions)
        {
            if (!_subscriptions.TryGetValue((s.Kind, s.EventName), out var set))
            {
                set = [];
                _subscriptions[(s.Kind, s.EventName)] = set;
            }

            set.Add(s);
        }
    }

    private sealed class Session(InMemoryWorkflowStore store) : IWorkflowSession
    {
        private Dictionary<Guid, ProcessInstanceRecord>? _loaded;

        public ValueTask<ICommandTransaction?> GetTransactionAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<ICommandTransaction?>(null);

        public ValueTask<ProcessInstanceRecord?> LoadInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
        {
            if (_loaded is not null && _loaded.TryGetValue(instanceId, out var mine))
            {
                return ValueTask.FromResult<ProcessInstanceRecord?>(mine);
            }

            ProcessInstanceRecord? stored;
            lock (store._lock)
            {
                stored = store._instances.GetValueOrDefault(instanceId);
            }

            if (stored is null)
            {
                return ValueTask.FromResult<ProcessInstanceRecord?>(null);
            }

            var copy = stored.Clone();
            (_loaded ??= [])[instanceId] = copy;
            return ValueTask.FromResult<ProcessInstanceRecord?>(copy);
        }

        public ValueTask<TaskLocation?> FindTaskAsync(Guid taskId, CancellationToken cancellationToken = default)
        {
            lock (store._lock)
            {
                return ValueTask.FromResult(store._tasks.TryGetValue(taskId, out var task) ? new TaskLocation(taskId, task.InstanceId, task.State) : null);
            }
        }

        public ValueTask<TimerLocation?> FindTimerAsync(Guid timerId, CancellationToken cancellationToken = default)
        {
            lock (store._lock)
            {
                if (!store._timers.TryGetValue(timerId, out var timer))
                {
                    return ValueTask.FromResult<TimerLocation?>(null);
                }

                return ValueTask.FromResult<TimerLocation?>(new TimerLocation(timerId, timer.InstanceId, timer.InstanceId is null ? timer : null));
            }
        }

        public ValueTask<Guid?> FindJobInstanceAsync(Guid jobId, CancellationToken cancellationToken = default)
        {
            lock (store._lock)
            {
                return ValueTask.FromResult(store._jobs.TryGetValue(jobId, out var job) ? job.InstanceId : (Guid?)null);
            }
        }

        public ValueTask<IReadOnlyList<SubscriptionRecord>> FindSubscriptionsAsync(EventKind kind, string eventName, string? correlationKey, string? businessKey, CancellationToken cancellationToken = default)
        {
            var result = new List<SubscriptionRecord>();
            lock (store._lock)
            {
                if (store._subscriptions.TryGetValue((kind, eventName), out var set))
                {
                    foreach (var s in set)
                    {
                        if (correlationKey is not null)
                        {
                            if (s.CorrelationKey != correlationKey)
                            {
                                continue;
                            }
                        }
                        else if (businessKey is not null && store._instances.GetValueOrDefault(s.InstanceId)?.BusinessKey != businessKey)
                        {
                            continue;
                        }

                        result.Add(s);
                    }
                }
            }

            result.Sort(static (a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : a.Id.CompareTo(b.Id));
            return ValueTask.FromResult<IReadOnlyList<SubscriptionRecord>>(result);
        }

        public ValueTask<IReadOnlyList<TimerInfo>> FindDueTimersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
        {
            var result = new List<TimerInfo>();
            lock (store._lock)
            {
                foreach (var timer in store._timers.Values)
                {
                    if (timer.Due <= now && (timer.InstanceId is not { } id || store._instances.GetValueOrDefault(id)?.State == InstanceState.Active))
                    {
                        result.Add(TimerInfo.From(timer));
                    }
                }
            }

            result.Sort(static (a, b) => a.Due != b.Due ? a.Due.CompareTo(b.Due) : a.Id.CompareTo(b.Id));
            return ValueTask.FromResult<IReadOnlyList<TimerInfo>>(result.Count > max ? result.GetRange(0, max) : result);
        }

        public ValueTask<IReadOnlyList<JobInfo>> FindDueJobsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
        {
            var result = new List<JobInfo>();
            lock (store._lock)
            {
                foreach (var job in store._jobs.Values)
                {
                    if (job.Due <= now && job.RetriesLeft > 0 && store._instances.GetValueOrDefault(job.InstanceId)?.State == InstanceState.Active)
                    {
                        result.Add(JobInfo.From(job));
                    }
                }
            }

            result.Sort(static (a, b) => a.Due != b.Due ? a.Due.CompareTo(b.Due) : a.Id.CompareTo(b.Id));
            return ValueTask.FromResult<IReadOnlyList<JobInfo>>(result.Count > max ? result.GetRange(0, max) : result);
        }

        public ValueTask CommitAsync(WorkflowChangeSet changes, CancellationToken cancellationToken = default)
        {
            store.Commit(changes);
            _loaded = null;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

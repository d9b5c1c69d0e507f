using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>
/// One command's unit of work on one connection. Loads and lookups read committed data without holding locks; the
/// transaction begins at the first access to <see cref="Transaction"/> (a handler writing its own rows) or at the
/// commit. The commit first moves every instance's version forward where it still holds the version it was loaded
/// with (optimistic concurrency: a stale instance fails the whole commit), then writes the index tables and history.
/// A load that raced with another commit is caught by that check too, since that commit moved the version.
/// </summary>
internal sealed class EfWorkflowSession(WorkflowDatabase database, TimeProvider time) : IWorkflowSession
{
    private readonly Dictionary<Guid, LoadedInstance> _loaded = [];
    private DbConnection? _connection;
    private WorkflowDbContext? _db;
    private DbTransaction? _transaction;
    private WorkflowTransaction? _workflowTransaction;

    public object? Transaction
    {
        get
        {
            if (_workflowTransaction is null)
            {
                // A handler may run before anything was loaded (a service task right after the start event).
                EnsureTransactionAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }

            return _workflowTransaction;
        }
    }

    public async ValueTask<ProcessInstanceRecord?> LoadInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        if (_loaded.TryGetValue(instanceId, out var mine))
        {
            return mine.Record;
        }

        var db = await EnsureContextAsync(cancellationToken);
        var entity = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
        if (entity is null)
        {
            return null;
        }

        var variables = await db.Variables.AsNoTracking().Where(v => v.InstanceId == instanceId).ToListAsync(cancellationToken);
        var record = EntityMapping.ToRecord(entity, variables);
        var stored = new Dictionary<(int, string), string>();
        foreach (var v in variables)
        {
            stored[(v.ExecutionId, v.Name)] = v.ValueJson;
        }

        _loaded[instanceId] = new LoadedInstance(record, record.Clone(), stored);
        return record;
    }

    public async ValueTask<TaskLocation?> FindTaskAsync(Guid taskId, CancellationToken cancellationToken = default)
    {
        var db = await EnsureContextAsync(cancellationToken);
        var row = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId)
            .Select(t => new { t.InstanceId, t.State }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new TaskLocation(taskId, row.InstanceId, (UserTaskState)row.State);
    }

    public async ValueTask<TimerLocation?> FindTimerAsync(Guid timerId, CancellationToken cancellationToken = default)
    {
        var db = await EnsureContextAsync(cancellationToken);
        var row = await db.Timers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == timerId, cancellationToken);
        return row is null ? null : new TimerLocation(timerId, row.InstanceId, row.InstanceId is null ? EntityMapping.ToRecord(row) : null);
    }

    public async ValueTask<Guid?> FindJobInstanceAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var db = await EnsureContextAsync(cancellationToken);
        return await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => (Guid?)j.InstanceId).FirstOrDefaultAsync(cancellationToken);
    }

    public async ValueTask<IReadOnlyList<SubscriptionRecord>> FindSubscriptionsAsync(
        EventKind kind, string eventName, string? correlationKey, string? businessKey, CancellationToken cancellationToken = default)
    {
        var db = await EnsureContextAsync(cancellationToken);
        var query = db.Subscriptions.AsNoTracking().Where(s => s.Kind == (int)kind && s.EventName == eventName);
        if (correlationKey is not null)
        {
            query = query.Where(s => s.CorrelationKey == correlationKey);
        }
        else if (businessKey is not null)
        {
            query = query.Where(s => s.BusinessKey == businessKey);
        }

        var rows = await query.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        return rows.Select(EntityMapping.ToRecord).ToList();
    }

    public async ValueTask<IReadOnlyList<TimerInfo>> FindDueTimersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var db = await EnsureContextAsync(cancellationToken);
        var rows = await db.Timers.AsNoTracking()
            .Where(t => t.Due <= now && (t.InstanceId == null || db.Instances.Any(i => i.Id == t.InstanceId && i.State == (int)InstanceState.Active)))
            .OrderBy(t => t.Due).ThenBy(t => t.Id).Take(max).ToListAsync(cancellationToken);
        return rows.Select(t => TimerInfo.From(EntityMapping.ToRecord(t))).ToList();
    }

    public async ValueTask<IReadOnlyList<JobInfo>> FindDueJobsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var db = await EnsureContextAsync(cancellationToken);
        var rows = await db.Jobs.AsNoTracking()
            .Where(j => j.Due <= now && j.RetriesLeft > 0 && db.Instances.Any(i => i.Id == j.InstanceId && i.State == (int)InstanceState.Active))
            .OrderBy(j => j.Due).ThenBy(j => j.Id).Take(max).ToListAsync(cancellationToken);
        return rows.Select(EntityMapping.ToInfo).ToList();
    }

    public async ValueTask CommitAsync(WorkflowChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var db = await EnsureTransactionAsync(cancellationToken);
        try
        {
            await WriteInstancesAsync(db, changes, cancellationToken);
            await WriteIndexesAndHistoryAsync(db, changes, cancellationToken);
            await _workflowTransaction!.SaveContextsAsync(cancellationToken);
            await _transaction!.CommitAsync(cancellationToken);
            await EndTransactionAsync();
        }
        catch (Exception e) when (IsConflict(e))
        {
            throw new WorkflowConflictException(
                "流程数据已被其他操作修改或数据库繁忙，请刷新后重试",
                "The workflow data was changed by another command or the database was busy; reload and try again.");
        }
        finally
        {
            _loaded.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_workflowTransaction is not null)
        {
            await _workflowTransaction.DisposeAsync();
        }

        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }

        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    // ---------------------------------------------------------------- commit

    private async Task WriteInstancesAsync(WorkflowDbContext db, WorkflowChangeSet changes, CancellationToken cancellationToken)
    {
        // Versions first and in id order: the row locks are taken before anything else, the same way by every command.
        foreach (var change in changes.Instances.OrderBy(c => c.Instance.Id))
        {
            // Saved as ExpectedVersion + 1 whatever the record holds, so a commit always moves the version.
            change.Instance.Version = change.ExpectedVersion + 1;
            var entity = EntityMapping.ToEntity(change.Instance);
            if (change.IsNew)
            {
                db.Instances.Add(entity);
            }
            else
            {
                var entry = db.Instances.Attach(entity);
                entry.State = EntityState.Modified;
                entry.Property(e => e.Version).OriginalValue = change.ExpectedVersion;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException e)
        {
            var id = e.Entries.Select(x => x.Entity).OfType<InstanceEntity>().Select(x => x.Id).FirstOrDefault();
            throw WorkflowConflictException.Concurrency(id);
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            throw WorkflowConflictException.Concurrency(changes.Instances.FirstOrDefault(c => c.IsNew)?.Instance.Id ?? Guid.Empty);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private async Task WriteIndexesAndHistoryAsync(WorkflowDbContext db, WorkflowChangeSet changes, CancellationToken cancellationToken)
    {
        var rewriteCandidates = new List<UserTaskRecord>();
        var knownTaskIds = new HashSet<Guid>();
        foreach (var change in changes.Instances)
        {
            var record = change.Instance;
            _loaded.TryGetValue(record.Id, out var loaded);
            var before = change.IsNew ? null : loaded?.Snapshot;
            if (before is not null)
            {
                foreach (var t in before.Tasks)
                {
                    knownTaskIds.Add(t.Id);
                }
            }

            WriteVariables(db, record, change.IsNew ? null : loaded?.Variables);
            DiffTasks(db, before?.Tasks ?? [], record.Tasks, rewriteCandidates);
            Diff(db, before?.Subscriptions ?? [], record.Subscriptions, s => s.Id, s => EntityMapping.ToEntity(s, record.BusinessKey));
            Diff(db, before?.Timers ?? [], record.Timers, t => t.Id, EntityMapping.ToEntity);
            Diff(db, before?.Jobs ?? [], record.Jobs, j => j.Id, EntityMapping.ToEntity);
            DiffIncidents(db, record, before?.Incidents ?? [], changes);
        }

        foreach (var task in changes.EndedTasks)
        {
            var entity = EntityMapping.ToEntity(task);
            if (knownTaskIds.Contains(task.Id))
            {
                db.Tasks.Update(entity);
            }
            else
            {
                // Created and ended in the same command.
                db.Tasks.Add(entity);
            }

            rewriteCandidates.Add(task);
        }

        if (rewriteCandidates.Count > 0)
        {
            var rewrite = rewriteCandidates.Where(t => knownTaskIds.Contains(t.Id)).Select(t => t.Id).Distinct().ToList();
            if (rewrite.Count > 0)
            {
                await db.TaskCandidates.Where(c => rewrite.Contains(c.TaskId)).ExecuteDeleteAsync(cancellationToken);
            }

            var seen = new HashSet<Guid>();
            foreach (var task in Enumerable.Reverse(rewriteCandidates))
            {
                if (seen.Add(task.Id))
                {
                    db.TaskCandidates.AddRange(EntityMapping.Candidates(task));
                }
            }
        }

        if (changes.RemovedStartTimerIds.Count > 0 || changes.SavedStartTimers.Count > 0)
        {
            var ids = changes.RemovedStartTimerIds.Concat(changes.SavedStartTimers.Select(t => t.Id)).ToList();
            await db.Timers.Where(t => ids.Contains(t.Id)).ExecuteDeleteAsync(cancellationToken);
            foreach (var timer in changes.SavedStartTimers)
            {
                db.Timers.Add(EntityMapping.ToEntity(timer));
            }
        }

        var instances = changes.Instances.ToDictionary(c => c.Instance.Id, c => c.Instance);
        var history = new List<(HistoryEvent Event, HistoryEntity Row)>(changes.History.Count);
        foreach (var e in changes.History)
        {
            var row = EntityMapping.ToEntity(e, instances.GetValueOrDefault(e.InstanceId));
            history.Add((e, row));
            db.History.Add(row);
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        foreach (var (e, row) in history)
        {
            e.Sequence = row.Sequence;
        }
    }

    private static void WriteVariables(WorkflowDbContext db, ProcessInstanceRecord record, Dictionary<(int, string), string>? stored)
    {
        var current = new HashSet<(int, string)>();
        foreach (var execution in record.Executions)
        {
            if (execution.Variables is null)
            {
                continue;
            }

            foreach (var (name, value) in execution.Variables)
            {
                var key = (execution.Id, name);
                current.Add(key);
                var json = VariableJson.Serialize(value);
                if (stored is not null && stored.TryGetValue(key, out var old))
                {
                    if (old != json)
                    {
                        db.Variables.Update(new VariableEntity { InstanceId = record.Id, ExecutionId = execution.Id, Name = name, TypeName = VariableValues.TypeName(value), ValueJson = json });
                    }
                }
                else
                {
                    db.Variables.Add(new VariableEntity { InstanceId = record.Id, ExecutionId = execution.Id, Name = name, TypeName = VariableValues.TypeName(value), ValueJson = json });
                }
            }
        }

        if (stored is null)
        {
            return;
        }

        foreach (var key in stored.Keys)
        {
            if (!current.Contains(key))
            {
                db.Variables.Remove(new VariableEntity { InstanceId = record.Id, ExecutionId = key.Item1, Name = key.Item2, TypeName = string.Empty, ValueJson = string.Empty });
            }
        }
    }

    private static void DiffTasks(WorkflowDbContext db, List<UserTaskRecord> before, List<UserTaskRecord> after, List<UserTaskRecord> rewriteCandidates)
    {
        var old = before.ToDictionary(t => t.Id);
        foreach (var task in after)
        {
            if (!old.TryGetValue(task.Id, out var previous))
            {
                db.Tasks.Add(EntityMapping.ToEntity(task));
                db.TaskCandidates.AddRange(EntityMapping.Candidates(task));
            }
            else if (!SameJson(previous, task))
            {
                db.Tasks.Update(EntityMapping.ToEntity(task));
                rewriteCandidates.Add(task);
            }
        }

        // Tasks that left the aggregate arrive in EndedTasks with their final state.
    }

    private static void Diff<TRecord, TEntity>(
        WorkflowDbContext db, List<TRecord> before, List<TRecord> after, Func<TRecord, Guid> id, Func<TRecord, TEntity> toEntity)
        where TEntity : class
    {
        var old = new Dictionary<Guid, TRecord>(before.Count);
        foreach (var r in before)
        {
            old[id(r)] = r;
        }

        foreach (var r in after)
        {
            if (!old.Remove(id(r), out var previous))
            {
                db.Add(toEntity(r));
            }
            else if (!SameJson(previous, r))
            {
                db.Update(toEntity(r));
            }
        }

        foreach (var gone in old.Values)
        {
            db.Remove(toEntity(gone));
        }
    }

    private void DiffIncidents(WorkflowDbContext db, ProcessInstanceRecord record, List<IncidentRecord> before, WorkflowChangeSet changes)
    {
        var old = before.ToDictionary(i => i.Id);
        foreach (var incident in record.Incidents)
        {
            if (!old.Remove(incident.Id, out var previous))
            {
                db.Incidents.Add(EntityMapping.ToEntity(incident, record));
            }
            else if (!SameJson(previous, incident))
            {
                db.Incidents.Update(EntityMapping.ToEntity(incident, record));
            }
        }

        // An incident that left the aggregate was resolved: the row stays, marked with when and by whom.
        foreach (var resolved in old.Values)
        {
            var by = changes.History.LastOrDefault(h => h.InstanceId == record.Id && h.Type is HistoryEventType.IncidentResolved or HistoryEventType.AdminAction)?.UserId;
            var entity = EntityMapping.ToEntity(resolved, record);
            entity.ResolvedAt = resolved.ResolvedAt ?? time.GetUtcNow();
            entity.ResolvedBy = resolved.ResolvedBy ?? by;
            db.Incidents.Update(entity);
        }
    }

    private static bool SameJson<T>(T a, T b) =>
        JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);

    // ---------------------------------------------------------------- plumbing

    private async ValueTask<WorkflowDbContext> EnsureContextAsync(CancellationToken cancellationToken)
    {
        if (_db is not null)
        {
            return _db;
        }

        _connection = await database.OpenConnectionAsync(cancellationToken);
        _db = database.CreateContext(_connection);
        return _db;
    }

    private async ValueTask<WorkflowDbContext> EnsureTransactionAsync(CancellationToken cancellationToken)
    {
        var db = await EnsureContextAsync(cancellationToken);
        if (_transaction is null)
        {
            // Microsoft.Data.Sqlite begins IMMEDIATE: the write lock is taken now and waited for (busy timeout).
            _transaction = await _connection!.BeginTransactionAsync(cancellationToken);
            db.Database.UseTransaction(_transaction);
            _workflowTransaction = new WorkflowTransaction(database, _connection, _transaction);
        }

        return db;
    }

    private async Task EndTransactionAsync()
    {
        await _workflowTransaction!.DisposeAsync();
        await _transaction!.DisposeAsync();
        _workflowTransaction = null;
        _transaction = null;
        _db!.Database.UseTransaction(null);
    }

    private static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        _ => false,
    };

    private static bool IsConflict(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException pg when pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected:
                    return true;
                case SqliteException sqlite when sqlite.SqliteErrorCode is 5 or 6:
                    return true;
            }
        }

        return false;
    }

    private sealed record LoadedInstance(ProcessInstanceRecord Record, ProcessInstanceRecord Snapshot, Dictionary<(int, string), string> Variables);
}

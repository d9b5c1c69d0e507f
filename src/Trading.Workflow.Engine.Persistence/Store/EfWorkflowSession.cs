using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>
/// One command's unit of work on one connection. Loads and lookups read committed data without holding locks; the
/// transaction begins at the first <see cref="GetTransactionAsync"/> (a handler writing its own rows) or at the
/// commit. The commit first moves every instance's version forward where it still holds the version it was loaded
/// with (optimistic concurrency: a stale instance fails the whole commit), then writes the index tables and history.
/// A load that raced with another commit is caught by that check too, since that commit moved the version.
/// The per-command path (task lookup, load, commit) runs plain ADO.NET through <see cref="RowMaps"/>: the version
/// updates first, then the index rows and history in one batch; the rarer lookups go through EF.
/// </summary>
internal sealed class EfWorkflowSession(
    WorkflowDatabase database, RowMaps maps, TimeProvider time, CommitGroup? group = null, CommitCounts? counts = null, InstanceCache? cache = null)
    : IWorkflowSession
{
    private readonly Dictionary<Guid, LoadedInstance> _loaded = [];
    private readonly Dictionary<Guid, InstanceCache.Entry> _written = [];
    private readonly Dictionary<Guid, (InstanceEntity? Entity, List<VariableEntity> Variables)> _prefetched = [];
    private HashSet<Guid>? _fromCache;
    private List<HistoryEntity> _history = [];
    private List<HistoryEntity> _stored = [];
    private DbConnection? _connection;
    private WorkflowDbContext? _db;
    private DbTransaction? _transaction;
    private WorkflowTransaction? _workflowTransaction;

    /// <summary>
    /// The handlers' view of the command's transaction. It begins when a handler first uses it, not here: a command
    /// whose handlers write nothing of their own commits like any other (see <see cref="CommitAsync"/>).
    /// </summary>
    public async ValueTask<ICommandTransaction?> GetTransactionAsync(CancellationToken cancellationToken = default)
    {
        // A handler may run before anything was loaded (a service task right after the start event).
        var connection = await EnsureConnectionAsync(cancellationToken);
        return _workflowTransaction ??= new WorkflowTransaction(database, connection, BeginForHandler);
    }

    /// <summary>A handler used the transaction: it begins now (synchronously, see <see cref="WorkflowTransaction"/>).</summary>
    private DbTransaction BeginForHandler()
    {
        // Microsoft.Data.Sqlite begins IMMEDIATE: the write lock is taken now and waited for (busy timeout).
        _transaction ??= _connection!.BeginTransaction();
        _db?.Database.UseTransaction(_transaction);
        return _transaction;
    }

    public async ValueTask<ProcessInstanceRecord?> LoadInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        if (_loaded.TryGetValue(instanceId, out var mine))
        {
            return mine.Record;
        }

        if (!_prefetched.Remove(instanceId, out var rows) && !TryCached(instanceId, out rows))
        {
            var connection = await EnsureConnectionAsync(cancellationToken);
            var instances = maps.For<InstanceEntity>();
            var batch = new StatementBatch(database.Provider);
            AddInstanceStatements(batch, "{0}", [instances.Column(nameof(InstanceEntity.Id)).ToProvider(instanceId)]);
            await batch.ExecuteAsync(connection, _transaction, async (reader, token) => rows = await ReadInstanceRowsAsync(reader, token), cancellationToken);
        }

        if (rows.Entity is null)
        {
            return null;
        }

        // Kept by this store as it committed it: a copy of the record, without parsing its row's document again.
        var record = cache is not null && cache.TryGet(instanceId, out var entry) && ReferenceEquals(entry.Row, rows.Entity) && entry.Record is { } committed
            ? EntityMapping.WithVariables(committed.Clone(), rows.Variables)
            : EntityMapping.ToRecord(rows.Entity, rows.Variables);
        var stored = new Dictionary<(int, string), string>();
        foreach (var v in rows.Variables)
        {
            stored[(v.ExecutionId, v.Name)] = v.ValueJson;
        }

        _loaded[instanceId] = new LoadedInstance(record, record.Clone(), stored, rows.Entity);
        return record;
    }

    /// <summary>
    /// The task's instance and state; its instance row and variables come along in the same round trip, since the
    /// command loads that instance next (a load reads committed data either way; the commit's version check
    /// catches a change in between).
    /// </summary>
    public async ValueTask<TaskLocation?> FindTaskAsync(Guid taskId, CancellationToken cancellationToken = default)
    {
        // An open task of an instance this store committed: its instance is at hand (loaded, prefetched or cached).
        if (cache is not null && cache.TryFindTask(taskId, out var cachedInstance, out var cachedState)
            && (_loaded.ContainsKey(cachedInstance) || _prefetched.ContainsKey(cachedInstance) || PrefetchCached(cachedInstance)))
        {
            return new TaskLocation(taskId, cachedInstance, cachedState);
        }

        var connection = await EnsureConnectionAsync(cancellationToken);
        var tasks = maps.For<TaskEntity>();
        var instanceColumn = tasks.Column(nameof(TaskEntity.InstanceId));
        var stateColumn = tasks.Column(nameof(TaskEntity.State));
        var idColumn = tasks.Column(nameof(TaskEntity.Id));
        object?[] id = [idColumn.ToProvider(taskId)];
        TaskLocation? location = null;
        (InstanceEntity? Entity, List<VariableEntity> Variables) rows = default;
        var batch = new StatementBatch(database.Provider);
        batch.Add($"SELECT {instanceColumn.Name}, {stateColumn.Name} FROM {tasks.Table} WHERE {idColumn.Name} = {{0}}", id);
        AddInstanceStatements(batch, $"(SELECT {instanceColumn.Name} FROM {tasks.Table} WHERE {idColumn.Name} = {{0}})", id);
        await batch.ExecuteAsync(connection, _transaction, async (reader, token) =>
        {
            if (await reader.ReadAsync(token))
            {
                location = new TaskLocation(taskId, (Guid)instanceColumn.Read(reader, 0)!, (UserTaskState)(int)stateColumn.Read(reader, 1)!);
            }

            await reader.NextResultAsync(token);
            rows = await ReadInstanceRowsAsync(reader, token);
        }, cancellationToken);
        if (location is not null && rows.Entity is not null && !_loaded.ContainsKey(location.InstanceId))
        {
            _prefetched[location.InstanceId] = rows;
        }

        return location;
    }

    public bool ReadCachedState => _fromCache is { Count: > 0 };

    public void ForgetCachedState()
    {
        foreach (var id in _fromCache ?? [])
        {
            cache!.Evict(id);
        }

        _fromCache = null;
    }

    private bool PrefetchCached(Guid instanceId) => TryCached(instanceId, out var rows) && _prefetched.TryAdd(instanceId, rows);

    /// <summary>The rows of the instance as this store last committed them, when it holds them (noted: a failed command reruns without them).</summary>
    private bool TryCached(Guid instanceId, out (InstanceEntity? Entity, List<VariableEntity> Variables) rows)
    {
        if (cache is not null && cache.TryGet(instanceId, out var entry))
        {
            rows = (entry.Row, [.. entry.Variables]);
            (_fromCache ??= []).Add(instanceId);
            return true;
        }

        rows = default;
        return false;
    }

    /// <summary>Two statements: the instance row and its variables, for the instance id that <paramref name="idSql"/> gives.</summary>
    private void AddInstanceStatements(StatementBatch batch, string idSql, object?[] values)
    {
        var instances = maps.For<InstanceEntity>();
        var variables = maps.For<VariableEntity>();
        batch.Add($"SELECT {instances.SelectList} FROM {instances.Table} WHERE {instances.Column(nameof(InstanceEntity.Id)).Name} = {idSql}", values);
        batch.Add($"SELECT {variables.SelectList} FROM {variables.Table} WHERE {variables.Column(nameof(VariableEntity.InstanceId)).Name} = {idSql}", values);
    }

    private async Task<(InstanceEntity? Entity, List<VariableEntity> Variables)> ReadInstanceRowsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        InstanceEntity? entity = null;
        var variables = new List<VariableEntity>();
        if (await reader.ReadAsync(cancellationToken))
        {
            entity = maps.For<InstanceEntity>().Read<InstanceEntity>(reader);
        }

        await reader.NextResultAsync(cancellationToken);
        var variableRows = maps.For<VariableEntity>();
        while (await reader.ReadAsync(cancellationToken))
        {
            variables.Add(variableRows.Read<VariableEntity>(reader));
        }

        return (entity, variables);
    }

    /// <summary>
    /// The timer and, in the same round trip, its instance row and variables: firing a timer loads its instance next,
    /// so a firing costs one read of the instance and no EF query (the commit's version check catches a change between).
    /// </summary>
    public async ValueTask<TimerLocation?> FindTimerAsync(Guid timerId, CancellationToken cancellationToken = default)
    {
        var connection = await EnsureConnectionAsync(cancellationToken);
        var timers = maps.For<TimerEntity>();
        var idColumn = timers.Column(nameof(TimerEntity.Id));
        var instanceColumn = timers.Column(nameof(TimerEntity.InstanceId));
        object?[] id = [idColumn.ToProvider(timerId)];
        TimerEntity? row = null;
        (InstanceEntity? Entity, List<VariableEntity> Variables) rows = default;
        var batch = new StatementBatch(database.Provider);
        batch.Add($"SELECT {timers.SelectList} FROM {timers.Table} WHERE {idColumn.Name} = {{0}}", id);
        AddInstanceStatements(batch, $"(SELECT {instanceColumn.Name} FROM {timers.Table} WHERE {idColumn.Name} = {{0}})", id);
        await batch.ExecuteAsync(connection, _transaction, async (reader, token) =>
        {
            if (await reader.ReadAsync(token))
            {
                row = timers.Read<TimerEntity>(reader);
            }

            await reader.NextResultAsync(token);
            rows = await ReadInstanceRowsAsync(reader, token);
        }, cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (row.InstanceId is { } instanceId && rows.Entity is not null && !_loaded.ContainsKey(instanceId))
        {
            _prefetched[instanceId] = rows;
        }

        return new TimerLocation(timerId, row.InstanceId, row.InstanceId is null ? EntityMapping.ToRecord(row) : null);
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
        if (cache is null)
        {
            await CommitCoreAsync(changes, cancellationToken);
            return;
        }

        _written.Clear();
        try
        {
            await CommitCoreAsync(changes, cancellationToken);
        }
        catch
        {
            // Whatever failed (a stale version above all), the next command on these instances reads the database.
            foreach (var change in changes.Instances)
            {
                cache.Evict(change.Instance.Id);
            }

            foreach (var e in changes.History)
            {
                cache.Evict(e.InstanceId);
            }

            throw;
        }

        foreach (var e in changes.History)
        {
            if (!_written.ContainsKey(e.InstanceId))
            {
                // Its history head moved without its row being written here: not known as committed.
                cache.Evict(e.InstanceId);
            }
        }

        foreach (var entry in _written.Values)
        {
            cache.Put(entry);
        }
    }

    private async ValueTask CommitCoreAsync(WorkflowChangeSet changes, CancellationToken cancellationToken)
    {
        try
        {
            if (_transaction is null && database.Provider == DatabaseProvider.PostgreSql)
            {
                await CommitAlonePostgresAsync(changes, cancellationToken);
            }
            else if (_transaction is null && group is not null)
            {
                // SQLite, nothing of this command in a transaction yet (no handler wrote rows): its batch joins the
                // group commit. The batch is built from what the command loaded; its version checks run in the group.
                var batch = await BuildAsync(changes, cancellationToken);
                if (batch.Count > 0)
                {
                    AssignSequences(changes, await group.CommitAsync(batch));
                }
            }
            else
            {
                var handlerBegan = _transaction is not null;
                await CommitInTransactionAsync(changes, cancellationToken);
                if (handlerBegan)
                {
                    counts?.CountInHandlerTransaction();
                }
            }
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
            _prefetched.Clear();
        }
    }

    /// <summary>
    /// PostgreSQL, nothing of this command in a transaction yet: the whole commit is one batch on the session's own
    /// connection, without BEGIN or COMMIT. Npgsql ends a batch with one Sync, so the server runs its statements as
    /// one implicit transaction that commits at the end of the batch or, when a statement fails (a version check, a
    /// taken key, a deadlock), not at all, and the connection is left outside any transaction: one round trip, no
    /// ROLLBACK to send. Sessions commit side by side on their own backends, and the server's group commit lets
    /// concurrent commits share one WAL flush. Not cancellable once sent: the caller learns whether it committed.
    /// </summary>
    private async Task CommitAlonePostgresAsync(WorkflowChangeSet changes, CancellationToken cancellationToken)
    {
        var connection = await EnsureConnectionAsync(cancellationToken);
        var batch = await BuildAsync(changes, cancellationToken);
        AssignSequences(changes, await batch.ExecuteAsync(connection, null, CancellationToken.None));
    }

    /// <summary>
    /// The command's own transaction (a handler began it, or grouping is off on SQLite). On PostgreSQL the handlers'
    /// pending DbContext changes go first and COMMIT travels in the engine's batch: one round trip for the commit
    /// (a failed check aborts the transaction, so its COMMIT is never reached and the dispose rolls it back).
    /// </summary>
    private async Task CommitInTransactionAsync(WorkflowChangeSet changes, CancellationToken cancellationToken)
    {
        await EnsureTransactionAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            await _workflowTransaction!.SaveContextsAsync(cancellationToken);
            var batch = await BuildAsync(changes, cancellationToken);
            batch.Append("COMMIT");
            AssignSequences(changes, await batch.ExecuteAsync(_connection!, _transaction, CancellationToken.None));
        }
        else
        {
            await WriteAsync(changes, cancellationToken);
            await _workflowTransaction!.SaveContextsAsync(cancellationToken);
            await _transaction!.CommitAsync(cancellationToken);
        }

        await EndTransactionAsync();
    }

    public async ValueTask DisposeAsync()
    {
        var transactionLeft = _transaction is not null;
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
            // Kept for the next command only when no transaction was left to roll back (it ended or never began).
            await (transactionLeft ? _connection.DisposeAsync() : database.ReturnConnectionAsync(_connection));
        }
    }

    // ---------------------------------------------------------------- commit

    private void WriteInstances(RowWriter db, WorkflowChangeSet changes, Dictionary<Guid, ChainHead> chains)
    {
        var map = maps.For<InstanceEntity>();
        var versionColumn = map.Column(nameof(InstanceEntity.Version));
        var updateSql = $"{map.UpdateSql} AND {versionColumn.Name} = {{{map.Updated.Length + map.Keys.Length}}}";

        // Versions first and in id order: the row locks are taken before anything else, the same way by every
        // command. A version that moved (no row updated) or an id taken meanwhile fails the commit as a conflict.
        foreach (var change in changes.Instances.OrderBy(c => c.Instance.Id))
        {
            // Saved as ExpectedVersion + 1 whatever the record holds, so a commit always moves the version.
            change.Instance.Version = change.ExpectedVersion + 1;
            var entity = EntityMapping.ToEntity(change.Instance);
            var id = entity.Id;
            var chain = chains[id];
            entity.HistoryLength = chain.Length;
            entity.HistoryHead = chain.Head;
            chain.Written = true;
            if (cache is not null)
            {
                _written[id] = new InstanceCache.Entry(entity, [], [.. change.Instance.Tasks.Select(t => (t.Id, t.State))])
                {
                    Record = EntityMapping.WithoutVariables(change.Instance.Clone()),
                };
            }

            if (change.IsNew && change.OnLatestVersion)
            {
                var (process, version) = (entity.ProcessId, entity.ProcessVersion);
                db.Batch.AddExpectingOneRow(
                    maps.InstanceOnLatestVersionSql, [.. map.InsertValues(entity), process, version], () => WorkflowConflictException.LatestVersionMoved(process, version));
            }
            else if (change.IsNew)
            {
                db.Batch.AddExpectingOneRow(map.InsertSql, map.InsertValues(entity), () => WorkflowConflictException.Concurrency(id));
            }
            else if (_loaded.TryGetValue(id, out var loaded)
                     && map.ChangedUpdate(loaded.Row, entity, out var values, versionColumn) is { } changedSql)
            {
                // Only the columns that changed (the version always does): the indexes on the others stay untouched.
                values[^1] = change.ExpectedVersion;
                db.Batch.AddExpectingOneRow(changedSql, values, () => WorkflowConflictException.Concurrency(id));
            }
            else
            {
                db.Batch.AddExpectingOneRow(updateSql, [.. map.UpdateValues(entity), change.ExpectedVersion], () => WorkflowConflictException.Concurrency(id));
            }
        }
    }

    /// <summary>The whole commit but the handlers' contexts, in one batch: instance versions, index rows, history.</summary>
    private async Task WriteAsync(WorkflowChangeSet changes, CancellationToken cancellationToken)
    {
        var batch = await BuildAsync(changes, cancellationToken);
        AssignSequences(changes, await batch.ExecuteAsync(_connection!, _transaction, cancellationToken));
    }

    /// <summary>
    /// Gives each history event the sequence its row got. The rows come back as (sequence, instance id, chain position)
    /// in no promised order; the batch's history rows (<see cref="_history"/>) say which event each position is.
    /// </summary>
    private void AssignSequences(WorkflowChangeSet changes, List<object> returned)
    {
        var history = _history;
        var stored = _stored;
        _history = [];
        _stored = [];
        var width = maps.For<HistoryEntity>().Returned.Length;
        if (history.Count != changes.History.Count || returned.Count != stored.Count * width)
        {
            throw new InvalidOperationException($"Expected {stored.Count} history rows for {changes.History.Count} events, got {returned.Count / Math.Max(1, width)}.");
        }

        var instanceColumn = maps.For<HistoryEntity>().Column(nameof(HistoryEntity.InstanceId));
        var events = new Dictionary<(object Instance, long Position), int>(history.Count);
        for (var i = 0; i < history.Count; i++)
        {
            events.Add((instanceColumn.ToProvider(history[i].InstanceId)!, history[i].ChainPosition!.Value), i);
        }

        var counts = new Dictionary<(object Instance, long Position), int>(stored.Count);
        foreach (var row in stored)
        {
            counts.Add((instanceColumn.ToProvider(row.InstanceId)!, row.ChainPosition!.Value), row.EntryCount);
        }

        for (var r = 0; r < returned.Count; r += width)
        {
            var key = (returned[r + 1], Convert.ToInt64(returned[r + 2], System.Globalization.CultureInfo.InvariantCulture));
            if (!counts.Remove(key, out var count))
            {
                throw new InvalidOperationException($"A history row came back that this commit did not write: instance {key.Item1}, position {key.Item2}.");
            }

            // A row of several events has the last one's sequence; theirs run up to it.
            var last = Convert.ToInt64(returned[r], System.Globalization.CultureInfo.InvariantCulture);
            for (var k = 0; k < count; k++)
            {
                changes.History[events[(key.Item1, key.Item2 + k)]].Sequence = last - count + 1 + k;
            }
        }
    }

    /// <summary>The commit's statements: instance versions (checked), index rows, history (returning its sequence numbers).</summary>
    private async Task<StatementBatch> BuildAsync(WorkflowChangeSet changes, CancellationToken cancellationToken)
    {
        var db = new RowWriter(maps, database.Provider);

        // The history chain per instance continues from the head the instance row held when loaded; the version check
        // below makes that head current (a commit in between fails this one), so concurrent writers keep one chain.
        var instances = changes.Instances.ToDictionary(c => c.Instance.Id, c => c.Instance);
        var chains = new Dictionary<Guid, ChainHead>();
        foreach (var change in changes.Instances)
        {
            _loaded.TryGetValue(change.Instance.Id, out var loaded);
            chains[change.Instance.Id] = change.IsNew ? new ChainHead(0, null, 0)
                : loaded is not null ? new ChainHead(loaded.HistoryLength, loaded.HistoryHead, loaded.HistoryLength)
                : await ReadChainHeadAsync(change.Instance.Id, cancellationToken);
        }

        var historyRows = new List<HistoryEntity>(changes.History.Count);
        foreach (var e in changes.History)
        {
            if (!chains.TryGetValue(e.InstanceId, out var chain))
            {
                chains[e.InstanceId] = chain = await ReadChainHeadAsync(e.InstanceId, cancellationToken);
            }

            var row = EntityMapping.ToEntity(e, instances.GetValueOrDefault(e.InstanceId));
            HistoryChain.Link(row, chain.Length, chain.Head, database.HistoryKeys.Current);
            chain.Length = row.ChainPosition!.Value;
            chain.Head = row.Hash;
            historyRows.Add(row);
        }

        WriteInstances(db, changes, chains);
        foreach (var (instanceId, chain) in chains)
        {
            if (!chain.Written && chain.Length != chain.LoadedLength)
            {
                // History of an instance this command did not otherwise change: move its head where it still is.
                var map = maps.For<InstanceEntity>();
                var length = map.Column(nameof(InstanceEntity.HistoryLength));
                var head = map.Column(nameof(InstanceEntity.HistoryHead));
                var id = map.Column(nameof(InstanceEntity.Id));
                db.Batch.AddExpectingOneRow(
                    $"UPDATE {map.Table} SET {length.Name} = {{0}}, {head.Name} = {{1}} WHERE {id.Name} = {{2}} AND {length.Name} = {{3}}",
                    [chain.Length, chain.Head, id.ToProvider(instanceId), chain.LoadedLength],
                    () => WorkflowConflictException.Concurrency(instanceId));
            }
        }

        var rewriteCandidates = new List<UserTaskRecord>();
        var knownTasks = new Dictionary<Guid, UserTaskRecord>();
        foreach (var change in changes.Instances)
        {
            var record = change.Instance;
            _loaded.TryGetValue(record.Id, out var loaded);
            var before = change.IsNew ? null : loaded?.Snapshot;
            if (before is not null)
            {
                foreach (var t in before.Tasks)
                {
                    knownTasks[t.Id] = t;
                }
            }

            var variables = WriteVariables(db, record, change.IsNew ? null : loaded?.Variables);
            if (_written.TryGetValue(record.Id, out var written))
            {
                _written[record.Id] = written with { Variables = [.. variables] };
            }

            DiffTasks(db, before?.Tasks ?? [], record.Tasks, rewriteCandidates);
            Diff(db, before?.Subscriptions ?? [], record.Subscriptions, s => s.Id, s => EntityMapping.ToEntity(s, record.BusinessKey));
            Diff(db, before?.Timers ?? [], record.Timers, t => t.Id, EntityMapping.ToEntity);
            Diff(db, before?.Jobs ?? [], record.Jobs, j => j.Id, EntityMapping.ToEntity);
            DiffIncidents(db, record, before?.Incidents ?? [], changes);
        }

        foreach (var task in changes.EndedTasks)
        {
            var entity = EntityMapping.ToEntity(task);
            if (knownTasks.TryGetValue(task.Id, out var previous))
            {
                db.UpdateChanged(EntityMapping.ToEntity(previous), entity);
            }
            else
            {
                // Created and ended in the same command.
                db.Add(entity);
            }

            rewriteCandidates.Add(task);
        }

        if (rewriteCandidates.Count > 0)
        {
            // A task's access rows follow from the task (EntityMapping.Candidates). Where the same principals stay
            // (a completion, a new due date) only the rows whose active flag or due key moved are updated: a
            // completion is one update instead of a delete of every row and their inserts again.
            var seen = new HashSet<Guid>();
            var rewrite = new List<UserTaskRecord>();
            foreach (var task in Enumerable.Reverse(rewriteCandidates))
            {
                if (!seen.Add(task.Id))
                {
                    continue;
                }

                if (!knownTasks.TryGetValue(task.Id, out var known))
                {
                    rewrite.Add(task);
                    continue;
                }

                var before = EntityMapping.Candidates(known).ToList();
                var after = EntityMapping.Candidates(task).ToList();
                if (before.Count == after.Count && before.Zip(after).All(p => p.First.Kind == p.Second.Kind && p.First.Value == p.Second.Value))
                {
                    for (var i = 0; i < after.Count; i++)
                    {
                        db.UpdateChanged(before[i], after[i]);
                    }
                }
                else
                {
                    db.DeleteCandidates(task.Id);
                    rewrite.Add(task);
                }
            }

            foreach (var task in rewrite)
            {
                db.AddRange(EntityMapping.Candidates(task));
            }
        }

        if (changes.RemovedStartTimerIds.Count > 0 || changes.SavedStartTimers.Count > 0)
        {
            foreach (var id in changes.RemovedStartTimerIds.Concat(changes.SavedStartTimers.Select(t => t.Id)).Distinct())
            {
                db.DeleteTimer(id);
            }

            foreach (var timer in changes.SavedStartTimers)
            {
                db.Add(EntityMapping.ToEntity(timer));
            }
        }

        // History last: the only statements that return rows (each row's sequence). One row per instance for all its
        // events (HistoryRows; up to HistoryRows.MaxEvents a row), as multi-row inserts where an instance had one.
        _history = historyRows;
        var stored = new List<HistoryEntity>();
        var packed = new List<HistoryEntity>();
        foreach (var events in historyRows.GroupBy(h => h.InstanceId))
        {
            foreach (var chunk in events.Chunk(HistoryRows.MaxEvents))
            {
                if (chunk.Length == 1)
                {
                    stored.Add(chunk[0]);
                    db.Add(chunk[0]);
                }
                else
                {
                    var row = HistoryRows.Pack(chunk);
                    stored.Add(row);
                    packed.Add(row);
                }
            }
        }

        _stored = stored;
        var batch = db.Finish();
        var historyMap = maps.For<HistoryEntity>();
        foreach (var row in packed)
        {
            var values = new object?[historyMap.Inserted.Length + 1];
            values[0] = (long)row.EntryCount;
            historyMap.InsertValues(row, values, 1);
            batch.Add(maps.HistoryRowOfEventsSql, values);
        }

        return batch;
    }

    private async Task<ChainHead> ReadChainHeadAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var map = maps.For<InstanceEntity>();
        var length = map.Column(nameof(InstanceEntity.HistoryLength));
        var head = map.Column(nameof(InstanceEntity.HistoryHead));
        var id = map.Column(nameof(InstanceEntity.Id));
        await using var command = (await EnsureConnectionAsync(cancellationToken)).CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = $"SELECT {length.Name}, {head.Name} FROM {map.Table} WHERE {id.Name} = @id";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "id";
        parameter.Value = id.ToProvider(instanceId) ?? DBNull.Value;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new WorkflowNotFoundException("instance", instanceId.ToString());
        }

        var count = reader.GetInt64(0);
        var hash = reader.IsDBNull(1) ? null : reader.GetString(1);
        return new ChainHead(count, hash, count);
    }

    /// <summary>Writes the variables that changed; returns every variable row as it stands after the commit.</summary>
    private static List<VariableEntity> WriteVariables(RowWriter db, ProcessInstanceRecord record, Dictionary<(int, string), string>? stored)
    {
        var current = new HashSet<(int, string)>();
        var rows = new List<VariableEntity>();
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
                var row = new VariableEntity { InstanceId = record.Id, ExecutionId = execution.Id, Name = name, TypeName = VariableValues.TypeName(value), ValueJson = VariableJson.Serialize(value) };
                rows.Add(row);
                if (stored is not null && stored.TryGetValue(key, out var old))
                {
                    if (old != row.ValueJson)
                    {
                        db.Update(row);
                    }
                }
                else
                {
                    db.Add(row);
                }
            }
        }

        if (stored is null)
        {
            return rows;
        }

        foreach (var key in stored.Keys)
        {
            if (!current.Contains(key))
            {
                db.Remove(new VariableEntity { InstanceId = record.Id, ExecutionId = key.Item1, Name = key.Item2, TypeName = string.Empty, ValueJson = string.Empty });
            }
        }

        return rows;
    }

    private static void DiffTasks(RowWriter db, List<UserTaskRecord> before, List<UserTaskRecord> after, List<UserTaskRecord> rewriteCandidates)
    {
        var old = before.ToDictionary(t => t.Id);
        foreach (var task in after)
        {
            if (!old.TryGetValue(task.Id, out var previous))
            {
                db.Add(EntityMapping.ToEntity(task));
                db.AddRange(EntityMapping.Candidates(task));
            }
            else if (!SameJson(previous, task))
            {
                db.UpdateChanged(EntityMapping.ToEntity(previous), EntityMapping.ToEntity(task));
                rewriteCandidates.Add(task);
            }
        }

        // Tasks that left the aggregate arrive in EndedTasks with their final state.
    }

    private static void Diff<TRecord, TEntity>(
        RowWriter db, List<TRecord> before, List<TRecord> after, Func<TRecord, Guid> id, Func<TRecord, TEntity> toEntity)
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
                db.UpdateChanged(toEntity(previous), toEntity(r));
            }
        }

        foreach (var gone in old.Values)
        {
            db.Remove(toEntity(gone));
        }
    }

    private void DiffIncidents(RowWriter db, ProcessInstanceRecord record, List<IncidentRecord> before, WorkflowChangeSet changes)
    {
        var old = before.ToDictionary(i => i.Id);
        foreach (var incident in record.Incidents)
        {
            if (!old.Remove(incident.Id, out var previous))
            {
                db.Add(EntityMapping.ToEntity(incident, record));
            }
            else if (!SameJson(previous, incident))
            {
                db.UpdateChanged(EntityMapping.ToEntity(previous, record), EntityMapping.ToEntity(incident, record));
            }
        }

        // An incident that left the aggregate was resolved: the row stays, marked with when and by whom.
        foreach (var resolved in old.Values)
        {
            var by = changes.History.LastOrDefault(h => h.InstanceId == record.Id && h.Type is HistoryEventType.IncidentResolved or HistoryEventType.AdminAction)?.UserId;
            var entity = EntityMapping.ToEntity(resolved, record);
            entity.ResolvedAt = resolved.ResolvedAt ?? time.GetUtcNow();
            entity.ResolvedBy = resolved.ResolvedBy ?? by;
            db.UpdateChanged(EntityMapping.ToEntity(resolved, record), entity);
        }
    }

    private static bool SameJson<T>(T a, T b) =>
        JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);

    // ---------------------------------------------------------------- plumbing

    private async ValueTask<DbConnection> EnsureConnectionAsync(CancellationToken cancellationToken) =>
        _connection ??= await database.RentConnectionAsync(cancellationToken);

    private async ValueTask<WorkflowDbContext> EnsureContextAsync(CancellationToken cancellationToken)
    {
        if (_db is not null)
        {
            return _db;
        }

        _db = database.CreateContext(await EnsureConnectionAsync(cancellationToken), _transaction);
        return _db;
    }

    private async ValueTask EnsureTransactionAsync(CancellationToken cancellationToken)
    {
        var connection = await EnsureConnectionAsync(cancellationToken);
        if (_transaction is null)
        {
            // Microsoft.Data.Sqlite begins IMMEDIATE: the write lock is taken now and waited for (busy timeout).
            _transaction = await connection.BeginTransactionAsync(cancellationToken);
            _db?.Database.UseTransaction(_transaction);
        }

        if (_workflowTransaction is null)
        {
            _workflowTransaction = new WorkflowTransaction(database, connection, BeginForHandler);
        }

        _workflowTransaction.Attach(_transaction);
    }

    private async Task EndTransactionAsync()
    {
        await _workflowTransaction!.DisposeAsync();
        await _transaction!.DisposeAsync();
        _workflowTransaction = null;
        _transaction = null;
        _db?.Database.UseTransaction(null);
    }

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

    /// <summary>
    /// The index-row and history statements of one commit, collected into one batch. Inserts wait per table and go as
    /// multi-row statements (<see cref="StatementBatch.AddRows"/>) at <see cref="Finish"/>, or before the next update or
    /// delete of their table, so each table sees its statements in the order written. Statements of different tables
    /// may run in another order than written: no engine table refers to another (no foreign keys, and no trigger on
    /// these tables writes another one); the instance rows, which carry other modules' triggers, go straight to
    /// <see cref="Batch"/> before everything else.
    /// </summary>
    private sealed class RowWriter(RowMaps maps, Trading.Workflow.Engine.Persistence.Schema.DatabaseProvider provider)
    {
        private readonly List<(RowMap Map, List<object> Rows)> _inserts = [];

        public StatementBatch Batch { get; } = new(provider);

        public void Add(object entity)
        {
            var map = maps.For(entity.GetType());
            foreach (var (waiting, rows) in _inserts)
            {
                if (waiting == map)
                {
                    rows.Add(entity);
                    return;
                }
            }

            _inserts.Add((map, [entity]));
        }

        public void AddRange(IEnumerable<object> entities)
        {
            foreach (var entity in entities)
            {
                Add(entity);
            }
        }

        public void Update(object entity)
        {
            var map = maps.For(entity.GetType());
            FlushInserts(map);
            Batch.Add(map.UpdateSql, map.UpdateValues(entity));
        }

        /// <summary>Sets only the columns that differ from <paramref name="before"/> (the row as stored); nothing when none do.</summary>
        public void UpdateChanged(object before, object after)
        {
            var map = maps.For(after.GetType());
            if (map.ChangedUpdate(before, after, out var values) is { } sql)
            {
                FlushInserts(map);
                Batch.Add(sql, values);
            }
        }

        public void Remove(object entity)
        {
            var map = maps.For(entity.GetType());
            FlushInserts(map);
            Batch.Add(map.DeleteSql, map.KeyValues(entity));
        }

        public void DeleteCandidates(Guid taskId)
        {
            var map = maps.For<TaskCandidateEntity>();
            var column = map.Column(nameof(TaskCandidateEntity.TaskId));
            FlushInserts(map);
            Batch.Add($"DELETE FROM {map.Table} WHERE {column.Name} = {{0}}", [column.ToProvider(taskId)]);
        }

        public void DeleteTimer(Guid timerId)
        {
            var map = maps.For<TimerEntity>();
            FlushInserts(map);
            Batch.Add(map.DeleteSql, [map.Column(nameof(TimerEntity.Id)).ToProvider(timerId)]);
        }

        /// <summary>The batch, with every insert still waiting, table by table in the order each table was first written.</summary>
        public StatementBatch Finish()
        {
            foreach (var (map, rows) in _inserts)
            {
                Batch.AddRows(map, rows);
            }

            _inserts.Clear();
            return Batch;
        }

        /// <summary>The inserts waiting for <paramref name="map"/>'s table go now, before another statement on it.</summary>
        private void FlushInserts(RowMap map)
        {
            for (var i = 0; i < _inserts.Count; i++)
            {
                if (_inserts[i].Map == map)
                {
                    Batch.AddRows(map, _inserts[i].Rows);
                    _inserts.RemoveAt(i);
                    return;
                }
            }
        }
    }

    /// <summary>An instance as loaded: the record the command changes, a snapshot to diff against and the stored rows.</summary>
    private sealed record LoadedInstance(
        ProcessInstanceRecord Record, ProcessInstanceRecord Snapshot, Dictionary<(int, string), string> Variables, InstanceEntity Row)
    {
        public long HistoryLength => Row.HistoryLength;

        public string? HistoryHead => Row.HistoryHead;
    }

    /// <summary>Where an instance's history chain stands during a commit, and where it stood when read.</summary>
    private sealed class ChainHead(long length, string? head, long loadedLength)
    {
        public long Length { get; set; } = length;

        public string? Head { get; set; } = head;

        public long LoadedLength { get; } = loadedLength;

        public bool Written { get; set; }
    }
}

using System.Data.Common;
using Microsoft.Data.Sqlite;
using Trading.Workflow.Engine.Persistence.Data;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>
/// Group commit on SQLite: the commits of concurrent commands share one database transaction and so one durable
/// flush (one fsync of the WAL). SQLite has one writer at a time, so commands committing on their own would queue for
/// its lock and flush one by one. A command hands its finished batch over and waits for its result; the first to hand
/// one over while no flush runs leads: it takes every batch queued meanwhile, runs them one after another in one
/// transaction, commits once, and goes on with the next group while batches wait. A batch that fails
/// (a stale instance version, a broken unique key) fails alone and the others still commit: the attempt is rolled
/// back and the others run again without it (conflicts are rare; a savepoint per batch journalled every page it
/// changed). Each command stays atomic and isolated (a batch sees the rows of earlier batches of its group exactly as
/// if they had committed just before it, and the version checks order them as a serial run would).
/// Flushes run one at a time on one connection the group keeps open, so each distinct statement stays compiled
/// (<see cref="SqliteStatementCache"/>). A flush that fails as a whole (the connection broke, the commit failed) drops
/// the connection and the next flush opens a new one.
/// PostgreSQL has no such group: there every command commits on its own connection, concurrently, and the server's
/// own group commit shares one WAL flush among them (see <c>EfWorkflowSession.CommitAsync</c>). Funnelling them through
/// one connection would run all their server work on one backend, one after the other.
/// </summary>
internal sealed class CommitGroup(WorkflowDatabase database) : IAsyncDisposable, IDisposable
{
    private readonly object _gate = new();
    private readonly SemaphoreSlim _flush = new(1, 1);
    private List<Pending> _queue = [];
    private bool _leading;
    private const long IdleLimitMilliseconds = 10_000;
    private DbConnection? _connection;
    private SqliteStatementCache? _prepared;
    private long _lastFlush;
    private long _flushes;
    private long _commits;
    private long _retries;
    private long _statementTicks;
    private long _commitTicks;

    /// <summary>Database transactions committed by this group so far.</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Command batches committed by this group so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>
    /// Time the flushes spent running the batches' statements and committing (writing the WAL and its fsync), so far:
    /// the flush runs one at a time, so these bound what grouped commits can carry (the store bench prints them).
    /// </summary>
    public (TimeSpan Statements, TimeSpan Commits) FlushTimes =>
        (System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _statementTicks)), System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _commitTicks)));

    /// <summary>SQLite: attempts of a group run again because one of its commands failed.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>The connection the flushes run on, while one is open (tests).</summary>
    internal DbConnection? Connection => _connection;

    /// <summary>Batches handed over and not yet flushed.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// Holds the flush until disposed, as a long fsync would: the commits handed over meanwhile queue up and go as
    /// one group after it. For tests that need a group of a known make-up.
    /// </summary>
    public async Task<IAsyncDisposable> HoldAsync()
    {
        await _flush.WaitAsync().ConfigureAwait(false);
        return new Release(_flush);
    }

    private sealed class Release(SemaphoreSlim flush) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                flush.Release();
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Commits the batch, grouped with whatever else is waiting; returns the rows its statements returned. Not
    /// cancellable once handed over: the batch commits or fails with its group, never half-way for its caller.
    /// </summary>
    public async Task<List<object>> CommitAsync(StatementBatch batch)
    {
        var pending = new Pending(batch);
        bool lead;
        lock (_gate)
        {
            _queue.Add(pending);
            lead = !_leading;
            _leading = true;
        }

        if (lead)
        {
            await LeadAsync(pending).ConfigureAwait(false);
        }

        return await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Flushes group after group while batches wait, so the next flush starts as soon as the last one committed.
    /// Waiters only wait for their own result: had they queued for the flush itself, each would have had to wake up
    /// and step through it in turn before the next group could start. Once <paramref name="own"/> is done and more
    /// wait, a pool thread takes over the lead and the caller goes on with its result.
    /// </summary>
    private async Task LeadAsync(Pending? own)
    {
        while (true)
        {
            await _flush.WaitAsync().ConfigureAwait(false);
            List<Pending>? group = null;
            var handOver = false;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _leading = false;
                }
                else if (own is { Done.Task.IsCompleted: true })
                {
                    handOver = true;
                }
                else
                {
                    group = _queue;
                    _queue = [];
                }
            }

            if (group is null)
            {
                _flush.Release();
                if (handOver)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(static g => _ = g.LeadAsync(null), this, preferLocal: false);
                }

                return;
            }

            try
            {
                await FlushAsync(group).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // FlushAsync reports its failures to the group; should anything still escape, no batch may wait forever.
                foreach (var pending in group)
                {
                    pending.Done.TrySetException(e);
                }
            }
            finally
            {
                _flush.Release();
            }
        }
    }

    private async Task FlushAsync(List<Pending> group)
    {
        var open = false;
        var committed = new List<(Pending Pending, List<object> Rows)>(group.Count);
        try
        {
            // A connection idle for a while goes back to the pool, which prunes idle ones (a server or a firewall
            // may have dropped it meanwhile); a busy group keeps its connection and its prepared statements.
            if (_connection is { State: not System.Data.ConnectionState.Open }
                || (_connection is not null && Environment.TickCount64 - _lastFlush > IdleLimitMilliseconds))
            {
                await CloseAsync().ConfigureAwait(false);
            }

            if (_connection is null)
            {
                _connection = await database.OpenConnectionAsync().ConfigureAwait(false);
                _prepared = SqliteStatementCache.Of((SqliteConnection)_connection);
            }

            var connection = _connection;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            open = await RunAsync(connection, group, committed).ConfigureAwait(false);
            var ran = System.Diagnostics.Stopwatch.GetTimestamp();
            if (open)
            {
                Run("COMMIT");
                open = false;
            }

            Interlocked.Add(ref _statementTicks, ran - started);
            Interlocked.Add(ref _commitTicks, System.Diagnostics.Stopwatch.GetTimestamp() - ran);

            if (committed.Count > 0)
            {
                Interlocked.Increment(ref _flushes);
                Interlocked.Add(ref _commits, committed.Count);
            }

            foreach (var (pending, rows) in committed)
            {
                pending.Done.TrySetResult(rows);
            }
        }
        catch (Exception e)
        {
            // The connection or the commit failed: nothing of the group is durable. The next flush starts afresh.
            foreach (var pending in group)
            {
                pending.Done.TrySetException(e);
            }

            try
            {
                if (open)
                {
                    Run("ROLLBACK");
                }
            }
            catch (Exception)
            {
                // A broken connection may refuse even that; it is dropped below either way.
            }

            try
            {
                // The transaction ran as plain statements, unknown to the pool: the physical connection must not be
                // handed out again in whatever state it is in.
                if (_connection is SqliteConnection broken)
                {
                    SqliteConnection.ClearPool(broken);
                }

                await CloseAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                _prepared = null;
                _connection = null;
            }
        }
        finally
        {
            _lastFlush = Environment.TickCount64;
        }
    }

    /// <summary>
    /// The group's batches one after another in one transaction, without savepoints (a savepoint journals the original
    /// of every page a batch changes, about an eighth of the statements' time per command). Conflicts are rare: when a
    /// batch fails, the attempt is rolled back, that command fails alone and the others run again in a new
    /// transaction, so each still sees the earlier ones' rows as if they had committed just before it. BEGIN, COMMIT
    /// and ROLLBACK are compiled once too (<see cref="Run"/>). Returns true when a transaction is open to commit,
    /// false when every batch failed.
    /// </summary>
    private async Task<bool> RunAsync(DbConnection connection, List<Pending> group, List<(Pending Pending, List<object> Rows)> committed)
    {
        var remaining = group;
        while (remaining.Count > 0)
        {
            Run("BEGIN IMMEDIATE");
            var failed = -1;
            Exception? failure = null;
            for (var i = 0; i < remaining.Count && failed < 0; i++)
            {
                try
                {
                    committed.Add((remaining[i], await remaining[i].Batch.ExecuteAsync(connection, null, CancellationToken.None).ConfigureAwait(false)));
                }
                catch (Exception e)
                {
                    (failed, failure) = (i, e);
                }
            }

            if (failed < 0)
            {
                return true;
            }

            // Undo the attempt; when even that fails (the connection broke), the whole group fails with the error.
            Run("ROLLBACK");

            remaining[failed].Done.TrySetException(failure!);
            committed.Clear();
            remaining = [.. remaining.Where((_, index) => index != failed)];
            if (remaining.Count > 0)
            {
                Interlocked.Increment(ref _retries);
            }
        }

        return false;
    }

    private void Run(string statement) => _prepared!.Execute(statement, [], []);

    private async Task CloseAsync()
    {
        _prepared?.Dispose();
        _prepared = null;
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }

    /// <summary>Closes the group's connection once the flush in progress, if any, is done.</summary>
    public void Dispose()
    {
        _flush.Wait();
        try
        {
            _prepared?.Dispose();
            _prepared = null;
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _flush.Release();
        }
    }

    /// <summary>Closes the group's connection once the flush in progress, if any, is done.</summary>
    public async ValueTask DisposeAsync()
    {
        await _flush.WaitAsync().ConfigureAwait(false);
        try
        {
            await CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            _flush.Release();
        }
    }

    private sealed class Pending(StatementBatch batch)
    {
        public StatementBatch Batch { get; } = batch;

        public TaskCompletionSource<List<object>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

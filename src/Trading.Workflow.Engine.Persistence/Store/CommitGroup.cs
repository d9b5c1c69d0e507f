using System.Data.Common;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>
/// Group commit: the commits of concurrent commands share one database transaction and so one durable flush (one
/// fsync of the WAL on SQLite or PostgreSQL). A command hands its finished batch over and waits; whoever holds the
/// flush takes every batch queued meanwhile, runs each inside its own savepoint and commits once. A batch that
/// fails (a stale instance version, a broken unique key, a deadlock victim) is rolled back to its savepoint and
/// fails alone: the others still commit. Each command stays atomic (its savepoint) and isolated (a batch sees the
/// rows of earlier batches of its group exactly as if they had committed just before it, and the version checks
/// order them as a serial run would). A group of one runs without a savepoint, as a plain commit.
/// </summary>
internal sealed class CommitGroup(WorkflowDatabase database)
{
    private readonly object _gate = new();
    private readonly SemaphoreSlim _flush = new(1, 1);
    private List<Pending> _queue = [];
    private long _flushes;
    private long _commits;

    /// <summary>Database transactions committed by this group so far.</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Command batches committed by this group so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

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
        lock (_gate)
        {
            _queue.Add(pending);
        }

        await _flush.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!pending.Done.Task.IsCompleted)
            {
                List<Pending> group;
                lock (_gate)
                {
                    group = _queue;
                    _queue = [];
                }

                await FlushAsync(group).ConfigureAwait(false);
            }
        }
        finally
        {
            _flush.Release();
        }

        return await pending.Done.Task.ConfigureAwait(false);
    }

    private async Task FlushAsync(List<Pending> group)
    {
        DbConnection? connection = null;
        DbTransaction? transaction = null;
        var committed = new List<(Pending Pending, List<object> Rows)>(group.Count);
        try
        {
            connection = await database.OpenConnectionAsync().ConfigureAwait(false);
            transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            if (group.Count == 1)
            {
                committed.Add((group[0], await group[0].Batch.ExecuteAsync(connection, transaction, CancellationToken.None).ConfigureAwait(false)));
            }
            else
            {
                for (var i = 0; i < group.Count; i++)
                {
                    var savepoint = "tw_c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var batch = group[i].Batch;
                    if (database.Provider == DatabaseProvider.PostgreSql)
                    {
                        // In the batch's own round trip; released with the transaction.
                        batch.InsertFirst($"SAVEPOINT {savepoint}");
                    }
                    else
                    {
                        await transaction.SaveAsync(savepoint).ConfigureAwait(false);
                    }

                    try
                    {
                        committed.Add((group[i], await batch.ExecuteAsync(connection, transaction, CancellationToken.None).ConfigureAwait(false)));
                    }
                    catch (Exception e)
                    {
                        // Undo this command's statements only; the transaction (aborted on PostgreSQL) goes on.
                        await transaction.RollbackAsync(savepoint).ConfigureAwait(false);
                        group[i].Done.TrySetException(e);
                    }
                }
            }

            if (committed.Count > 0)
            {
                await transaction.CommitAsync().ConfigureAwait(false);
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
            // The connection or the commit failed: nothing of the group is durable.
            foreach (var pending in group)
            {
                pending.Done.TrySetException(e);
            }
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }

            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private sealed class Pending(StatementBatch batch)
    {
        public StatementBatch Batch { get; } = batch;

        public TaskCompletionSource<List<object>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

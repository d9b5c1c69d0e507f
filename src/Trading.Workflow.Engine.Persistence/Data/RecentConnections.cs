using System.Data;
using System.Data.Common;
using Npgsql;

namespace Trading.Workflow.Engine.Persistence.Data;

/// <summary>
/// PostgreSQL: the open connections the store gave back last, handed out newest first.
/// Npgsql's pool hands out its idle connections first in, first out, so once eight commands had run side by side,
/// one user's commands went round all eight backends in turn, each one cold (0.34 → 0.40-0.45 ms per command in the
/// store bench). Kept connections stay open, outside Npgsql's pool; one unused for <see cref="IdleLimit"/> goes back
/// to it (which prunes and checks its idle ones), as does any beyond <see cref="Capacity"/>.
/// </summary>
internal sealed class RecentConnections : IDisposable
{
    private readonly List<(NpgsqlConnection Connection, DateTimeOffset ReturnedAt)> _kept = [];
    private readonly TimeProvider _time;
    private readonly ITimer _prune;
    private bool _disposed;

    public RecentConnections(TimeProvider time, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        Capacity = capacity;
        _prune = time.CreateTimer(static s => ((RecentConnections)s!).Prune(), this, IdleLimit, IdleLimit);
    }

    /// <summary>How long a kept connection may go unused before it goes back to Npgsql's pool.</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// At most this many are kept: a caller waiting in Npgsql's pool is served only by connections that go back to it,
    /// so the store keeps fewer than the pool's maximum (see <see cref="For"/>).
    /// </summary>
    public int Capacity { get; }

    /// <summary>
    /// For the store's data source: up to 16, and at most half the pool's <c>Max Pool Size</c>; none without pooling
    /// (a connection string that turns pooling off means every close to end its connection) or with a pool of one.
    /// </summary>
    public static RecentConnections? For(NpgsqlConnectionStringBuilder settings, TimeProvider time) =>
        settings.Pooling && Math.Min(16, settings.MaxPoolSize / 2) is var capacity and > 0 ? new RecentConnections(time, capacity) : null;

    /// <summary>Connections kept now (tests).</summary>
    public int Count
    {
        get
        {
            lock (_kept)
            {
                return _kept.Count;
            }
        }
    }

    /// <summary>The connection given back last, if one is kept and was in use within <see cref="IdleLimit"/>.</summary>
    public NpgsqlConnection? TryTake()
    {
        List<NpgsqlConnection>? stale;
        NpgsqlConnection? taken = null;
        lock (_kept)
        {
            stale = RemoveStale();
            if (_kept.Count > 0)
            {
                taken = _kept[^1].Connection;
                _kept.RemoveAt(_kept.Count - 1);
            }
        }

        Close(stale);
        return taken;
    }

    /// <summary>
    /// Keeps <paramref name="connection"/> when it is idle and open (no reader, no command running); otherwise, or
    /// when full, disposes it (back to Npgsql's pool, which rolls back a transaction left open).
    /// </summary>
    public ValueTask ReturnAsync(NpgsqlConnection connection)
    {
        if (connection.FullState == ConnectionState.Open)
        {
            lock (_kept)
            {
                if (!_disposed && _kept.Count < Capacity)
                {
                    _kept.Add((connection, _time.GetUtcNow()));
                    return ValueTask.CompletedTask;
                }
            }
        }

        return connection.DisposeAsync();
    }

    /// <summary>Gives the connections unused for longer than <see cref="IdleLimit"/> back to Npgsql's pool (every 10 s).</summary>
    internal void Prune()
    {
        List<NpgsqlConnection>? stale;
        lock (_kept)
        {
            stale = RemoveStale();
        }

        Close(stale);
    }

    /// <summary>Takes out the stale ones, oldest first in the list (under the lock).</summary>
    private List<NpgsqlConnection>? RemoveStale()
    {
        var now = _time.GetUtcNow();
        var count = _kept.FindIndex(k => now - k.ReturnedAt <= IdleLimit) is var fresh and >= 0 ? fresh : _kept.Count;
        if (count == 0)
        {
            return null;
        }

        List<NpgsqlConnection> stale = [.. _kept.Take(count).Select(k => k.Connection)];
        _kept.RemoveRange(0, count);
        return stale;
    }

    private static void Close(List<NpgsqlConnection>? connections)
    {
        foreach (var connection in connections ?? [])
        {
            connection.Dispose();
        }
    }

    public void Dispose()
    {
        _prune.Dispose();
        List<NpgsqlConnection> all;
        lock (_kept)
        {
            _disposed = true;
            all = [.. _kept.Select(k => k.Connection)];
            _kept.Clear();
        }

        Close(all);
    }
}

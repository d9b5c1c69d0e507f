using Npgsql;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Web.Data;

/// <summary>
/// Nodes starting side by side on one PostgreSQL database take turns through the start-up work that writes shared rows
/// (schema upgrades, roles, the shipped procedures' versions, demo data): each would otherwise find them missing and
/// create them too, and fail on the other's. Held from before the first hosted service starts until the last has
/// started, on a connection of its own (a session advisory lock, released when the connection closes, also when the
/// start fails). SQLite has one node and its own write lock: nothing to take.
/// </summary>
internal sealed partial class StartupLock(DatabaseTarget target, ILogger<StartupLock> logger) : IHostedLifecycleService, IAsyncDisposable
{
    private const long AdvisoryLockKey = 0x54_57_53_54_41_52_54_53; // "TWSTARTS"

    private NpgsqlConnection? _connection;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (target.Provider != DatabaseProvider.PostgreSql)
        {
            return;
        }

        _connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target.ConnectionString) { Pooling = false }.ToString());
        await _connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({AdvisoryLockKey})", _connection);
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
        {
            return;
        }

        LogWaiting();
        command.CommandText = $"SELECT pg_advisory_lock({AdvisoryLockKey})";
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Another node is starting on this database: waiting for it to finish its start-up")]
    private partial void LogWaiting();
}

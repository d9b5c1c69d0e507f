using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Trading.Workflow.Engine.Persistence.Schema;

/// <summary>
/// Brings a module's tables to the latest version of its <see cref="SchemaScriptSet"/>: each pending
/// script runs in its own transaction together with its row in <c>__schema_history</c>, so a failed
/// script leaves the database at the previous version and a second process never applies it twice.
/// </summary>
public sealed partial class SchemaMigrator(TimeProvider timeProvider, ILogger<SchemaMigrator> logger)
{
    /// <summary>Upgrades to <paramref name="targetVersion"/> (default: the latest script).</summary>
    public async Task<SchemaUpgradeResult> UpgradeAsync(
        DbConnection connection, SchemaScriptSet scripts, int? targetVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(scripts);
        var target = targetVersion ?? scripts.LatestVersion;
        if (target < 0 || target > scripts.LatestVersion)
        {
            throw new ArgumentOutOfRangeException(
                nameof(targetVersion), target, $"Module '{scripts.Module}' has versions 1 to {scripts.LatestVersion}.");
        }

        var dialect = SchemaDialect.For(scripts.Provider);
        var openedHere = connection.State != ConnectionState.Open;
        if (openedHere)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await using var upgradeLock = await dialect.AcquireLockAsync(connection, cancellationToken);
            await ExecuteAsync(connection, null, dialect.CreateHistoryTableSql, cancellationToken);
            var from = await ReadVersionAsync(connection, null, scripts.Module, cancellationToken);
            if (from > scripts.LatestVersion)
            {
                throw new SchemaException(
                    $"The database holds module '{scripts.Module}' at schema version {from}, newer than this build knows "
                    + $"(latest {scripts.LatestVersion}). Run a newer build or restore a matching backup.");
            }

            var applied = new List<int>();
            foreach (var script in scripts.Scripts.Where(s => s.Version > from && s.Version <= target))
            {
                if (await ApplyAsync(connection, dialect, scripts.Module, script, cancellationToken))
                {
                    applied.Add(script.Version);
                }
            }

            var to = await ReadVersionAsync(connection, null, scripts.Module, cancellationToken);
            if (applied.Count > 0)
            {
                LogUpgraded(scripts.Module, scripts.Provider, from, to);
            }
            else
            {
                LogUpToDate(scripts.Module, scripts.Provider, to);
            }

            return new SchemaUpgradeResult(scripts.Module, from, to, applied);
        }
        finally
        {
            if (openedHere)
            {
                await connection.CloseAsync();
            }
        }
    }

    /// <summary>The highest version of <paramref name="module"/> recorded in the database, 0 when none.</summary>
    public async Task<int> GetVersionAsync(
        DbConnection connection, DatabaseProvider provider, string module, CancellationToken cancellationToken = default)
    {
        var openedHere = connection.State != ConnectionState.Open;
        if (openedHere)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await ExecuteAsync(connection, null, SchemaDialect.For(provider).CreateHistoryTableSql, cancellationToken);
            return await ReadVersionAsync(connection, null, module, cancellationToken);
        }
        finally
        {
            if (openedHere)
            {
                await connection.CloseAsync();
            }
        }
    }

    private async Task<bool> ApplyAsync(
        DbConnection connection, SchemaDialect dialect, string module, SchemaScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await dialect.BeginScriptTransactionAsync(connection, cancellationToken);

        // Re-read under the transaction's lock: another process may have applied it meanwhile.
        if (await ReadVersionAsync(connection, transaction, module, cancellationToken) >= script.Version)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        try
        {
            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText =
                $"""INSERT INTO "{SchemaDialect.HistoryTable}" ("module", "version", "name", "applied_at") VALUES (@module, @version, @name, @appliedAt)""";
            AddParameter(record, "@module", module);
            AddParameter(record, "@version", script.Version);
            AddParameter(record, "@name", script.Name);
            // Npgsql writes timestamptz only from offset 0; a TimeProvider may hand out another offset.
            AddParameter(record, "@appliedAt", timeProvider.GetUtcNow().ToUniversalTime());
            await record.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbException ex)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            LogScriptFailed(ex, module, script.Version, script.Name);
            throw new SchemaException(
                $"Schema script {script.Name} (module '{module}', version {script.Version}) failed and was rolled back: {ex.Message}", ex);
        }

        LogScriptApplied(module, script.Version, script.Name);
        return true;
    }

    private static async Task<int> ReadVersionAsync(
        DbConnection connection, DbTransaction? transaction, string module, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""SELECT MAX("version") FROM "{SchemaDialect.HistoryTable}" WHERE "module" = @module""";
        AddParameter(command, "@module", module);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? 0 : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema script {Version} {ScriptName} applied to module {Module}")]
    private partial void LogScriptApplied(string module, int version, string scriptName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Schema script {Version} {ScriptName} of module {Module} failed and was rolled back")]
    private partial void LogScriptFailed(Exception exception, string module, int version, string scriptName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema of module {Module} on {Provider} upgraded from version {FromVersion} to {ToVersion}")]
    private partial void LogUpgraded(string module, DatabaseProvider provider, int fromVersion, int toVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema of module {Module} on {Provider} is up to date at version {Version}")]
    private partial void LogUpToDate(string module, DatabaseProvider provider, int version);
}

using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Trading.Workflow.Engine.Persistence.Schema;

using Trading.Workflow.Engine.Persistence.Store;

namespace Trading.Workflow.Engine.Persistence.Data;

/// <summary>
/// Opens connections and DbContexts for the configured provider and brings the engine schema up to date once per
/// process before the first use.
/// </summary>
public sealed class WorkflowDatabase : IAsyncDisposable, IDisposable
{
    public const string SchemaModule = "engine";

    private readonly WorkflowPersistenceOptions _options;
    private readonly SchemaMigrator _migrator;
    private readonly DbContextOptions<WorkflowDbContext> _contextOptions;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private readonly NpgsqlDataSource? _dataSource;
    private readonly RecentConnections? _recent;
    private volatile bool _schemaReady;

    // Which settings each open SQLite handle carries; the entry goes with the handle.
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, string> SqliteSettings = new();
    private readonly string _sqliteSettings;

    public WorkflowDatabase(IOptions<WorkflowPersistenceOptions> options, SchemaMigrator migrator, HistoryChainKeys? historyKeys = null)
    {
        _options = options.Value;
        HistoryKeys = historyKeys ?? HistoryChainKeys.None;
        _migrator = migrator;
        _schemaReady = !_options.UpgradeSchemaOnStart;
        var builder = new DbContextOptionsBuilder<WorkflowDbContext>();
        if (_options.Provider == DatabaseProvider.PostgreSql)
        {
            var settings = new NpgsqlConnectionStringBuilder(WithPostgresDefaults(_options.ConnectionString));
            _dataSource = NpgsqlDataSource.Create(settings);
            _recent = RecentConnections.For(settings, TimeProvider.System);
            builder.UseNpgsql();
        }
        else
        {
            builder.UseSqlite();
        }

        builder.EnableThreadSafetyChecks(false);
        _contextOptions = builder.Options;
        // temp_store=MEMORY: a grouped commit runs each command behind a savepoint, and SQLite keeps the original of
        // every page a savepoint changes in a sub-journal that it spills to a temporary file past 64 KiB, about
        // 100 KB of writes per command with eight clients; in memory they cost no system calls. Never fsynced either way.
        _sqliteSettings = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout={_options.SqliteBusyTimeoutMilliseconds}; PRAGMA synchronous={_options.SqliteSynchronous}; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
    }

    public DatabaseProvider Provider => _options.Provider;

    /// <summary>
    /// PostgreSQL, unless the connection string says otherwise:
    /// Npgsql prepares a statement on a physical connection once it has run there twice and keeps it (up to 256 per
    /// connection): the store sends the same few statements with every command, so the server parses and plans them
    /// once per connection instead of every time.
    /// No Reset On Close: a connection going back to the pool is not reset. Every engine command opens a pooled
    /// connection, and the reset Npgsql would send with its first statement (with prepared statements: seven
    /// statements, from <c>RESET ALL</c> to <c>DISCARD TEMP</c>) cost about 0.2 ms of client CPU per command besides
    /// the server's work. An open transaction is still rolled back when a connection goes back. So code that uses
    /// these connections (handlers through <c>WorkflowTransaction</c>, anything through <see cref="OpenConnectionAsync"/>)
    /// must not leave session state behind: <c>SET</c> without <c>LOCAL</c>, session advisory locks, temporary
    /// tables or a <c>LISTEN</c> would reach whoever gets the connection next.
    /// </summary>
    internal static string WithPostgresDefaults(string connectionString)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey says whether a keyword exists, not whether the string sets it:
        // the keys the string names are read from a plain builder (any case, with or without spaces).
        var named = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!named.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 256;
            if (!named.Contains("AutoPrepareMinUsages"))
            {
                builder.AutoPrepareMinUsages = 2;
            }
        }

        if (!named.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    public WorkflowPersistenceOptions Options => _options;

    /// <summary>The keys the history chain is written and checked with (<see cref="HistoryChainKeys.None"/>: plain SHA-256).</summary>
    public HistoryChainKeys HistoryKeys { get; }

    /// <summary>The engine context's options (one model per provider, built once).</summary>
    internal DbContextOptions<WorkflowDbContext> ContextOptions => _contextOptions;

    /// <summary>The engine's script set for <paramref name="provider"/> (module "engine").</summary>
    public static SchemaScriptSet ScriptsFor(DatabaseProvider provider) =>
        SchemaScriptSet.FromEmbeddedResources(
            SchemaModule,
            provider,
            typeof(WorkflowDatabase).Assembly,
            $"Trading.Workflow.Engine.Persistence.Schema.Scripts.Engine.{provider}");

    /// <summary>Applies pending engine scripts (up to <paramref name="targetVersion"/>, default latest).</summary>
    public async Task<SchemaUpgradeResult> UpgradeSchemaAsync(int? targetVersion = null, CancellationToken cancellationToken = default)
    {
        await using var connection = CreateConnection();
        await connection.OpenAsync(cancellationToken);
        if (Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers run beside the one writer; the setting is stored in the database file.
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        }

        var scripts = ScriptsFor(Provider);
        var result = await _migrator.UpgradeAsync(connection, scripts, targetVersion, cancellationToken);
        if (result.AppliedVersions.Contains(HistoryKeyRecords.TableVersion(scripts)))
        {
            // Keyed chaining begins with the upgrade that makes its table, before this store writes a keyed row. Only
            // then: a record written at any later start would let someone who deleted the records and rewrote the
            // history plain have that rewrite accepted.
            await HistoryKeyRecords.RecordAsync(connection, HistoryKeys, cancellationToken);
        }

        if (targetVersion is null)
        {
            _schemaReady = true;
        }

        return result;
    }

    /// <summary>A new, closed connection.</summary>
    public DbConnection CreateConnection() =>
        _dataSource is not null ? _dataSource.CreateConnection() : new SqliteConnection(_options.ConnectionString);

    /// <summary>An open connection with the provider's per-connection settings applied; the schema is current.</summary>
    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (Provider == DatabaseProvider.Sqlite)
            {
                await ApplySqliteSettingsAsync((SqliteConnection)connection, cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// An open connection for one command or query, to give back with <see cref="ReturnConnectionAsync"/>: on
    /// PostgreSQL the one the store gave back last (<see cref="RecentConnections"/>), else a pooled one as
    /// <see cref="OpenConnectionAsync"/> opens it.
    /// </summary>
    internal async ValueTask<DbConnection> RentConnectionAsync(CancellationToken cancellationToken = default) =>
        _recent?.TryTake() ?? await OpenConnectionAsync(cancellationToken);

    /// <summary>Gives back a connection of <see cref="RentConnectionAsync"/>; the caller no longer uses it.</summary>
    internal ValueTask ReturnConnectionAsync(DbConnection connection) =>
        _recent is not null && connection is NpgsqlConnection npgsql ? _recent.ReturnAsync(npgsql) : connection.DisposeAsync();

    /// <summary><see cref="RentConnectionAsync"/> for an <c>await using</c>.</summary>
    internal async ValueTask<ConnectionLease> LeaseConnectionAsync(CancellationToken cancellationToken = default) =>
        new(this, await RentConnectionAsync(cancellationToken));

    /// <summary>PostgreSQL: the connections kept for reuse (tests).</summary>
    internal RecentConnections? Recent => _recent;

    /// <summary>A context on an open connection (and transaction, when given); the caller disposes both.</summary>
    public WorkflowDbContext CreateContext(DbConnection connection, DbTransaction? transaction = null)
    {
        var context = new WorkflowDbContext(_contextOptions);
        context.Database.SetDbConnection(connection);
        context.ChangeTracker.AutoDetectChangesEnabled = false;
        if (transaction is not null)
        {
            context.Database.UseTransaction(transaction);
        }

        return context;
    }

    /// <summary>Options for another DbContext type (e.g. the trading domain's) on the same provider and connection.</summary>
    public DbContextOptions<TContext> CreateOptions<TContext>(DbConnection connection)
        where TContext : DbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        if (Provider == DatabaseProvider.PostgreSql)
        {
            builder.UseNpgsql(connection);
        }
        else
        {
            builder.UseSqlite(connection);
        }

        return builder.Options;
    }

    /// <summary>
    /// The per-connection settings, sent once per physical connection: a pooled connection keeps them, so a reopen
    /// (every command and query opens one) skips the statements unless another configuration set different ones.
    /// </summary>
    private async Task ApplySqliteSettingsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var handle = connection.Handle!;
        if (SqliteSettings.TryGetValue(handle, out var applied) && applied == _sqliteSettings)
        {
            return;
        }

        await ExecuteAsync(connection, _sqliteSettings, cancellationToken);
        SqliteSettings.AddOrUpdate(handle, _sqliteSettings);
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await UpgradeSchemaAsync(null, cancellationToken);
            }
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    public void Dispose()
    {
        _recent?.Dispose();
        _dataSource?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        _recent?.Dispose();
        return _dataSource?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>A connection of <see cref="WorkflowDatabase.RentConnectionAsync"/>, given back when disposed.</summary>
internal readonly struct ConnectionLease(WorkflowDatabase database, DbConnection connection) : IAsyncDisposable
{
    public DbConnection Connection => connection;

    public ValueTask DisposeAsync() => database.ReturnConnectionAsync(connection);
}

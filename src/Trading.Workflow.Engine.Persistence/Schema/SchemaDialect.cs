using System.Data.Common;

namespace Trading.Workflow.Engine.Persistence.Schema;

/// <summary>The few statements that differ between providers: history table DDL and the cross-process lock.</summary>
internal abstract class SchemaDialect
{
    public const string HistoryTable = "__schema_history";

    public static SchemaDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteSchemaDialect(),
        DatabaseProvider.PostgreSql => new PostgreSqlSchemaDialect(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
    };

    public abstract string CreateHistoryTableSql { get; }

    /// <summary>Serialises upgrades across processes for the lifetime of the returned handle.</summary>
    public abstract Task<IAsyncDisposable> AcquireLockAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Opens the transaction one script runs in.</summary>
    public virtual ValueTask<DbTransaction> BeginScriptTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(cancellationToken);

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class SqliteSchemaDialect : SchemaDialect
    {
        public override string CreateHistoryTableSql => $"""
            CREATE TABLE IF NOT EXISTS "{HistoryTable}" (
                "module" TEXT NOT NULL,
                "version" INTEGER NOT NULL,
                "name" TEXT NOT NULL,
                "applied_at" TEXT NOT NULL,
                CONSTRAINT "PK___schema_history" PRIMARY KEY ("module", "version")
            );
            """;

        // SQLite has one writer at a time: every script runs in BEGIN IMMEDIATE (Microsoft.Data.Sqlite's
        // default), which takes the write lock up front, and the version is re-read inside it.
        public override Task<IAsyncDisposable> AcquireLockAsync(DbConnection connection, CancellationToken cancellationToken) =>
            Task.FromResult<IAsyncDisposable>(NoLock.Instance);
    }

    private sealed class PostgreSqlSchemaDialect : SchemaDialect
    {
        // Fixed key shared by every module: one upgrader at a time per database.
        private const long AdvisoryLockKey = 0x54_57_53_43_48_45_4D_41; // "TWSCHEMA"

        public override string CreateHistoryTableSql => $"""
            CREATE TABLE IF NOT EXISTS "{HistoryTable}" (
                "module" text NOT NULL,
                "version" integer NOT NULL,
                "name" text NOT NULL,
                "applied_at" timestamp with time zone NOT NULL,
                CONSTRAINT "PK___schema_history" PRIMARY KEY ("module", "version")
            );
            """;

        public override async Task<IAsyncDisposable> AcquireLockAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT pg_advisory_lock({AdvisoryLockKey})";
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new AdvisoryLock(connection);
        }

        private sealed class AdvisoryLock(DbConnection connection) : IAsyncDisposable
        {
            public async ValueTask DisposeAsync()
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT pg_advisory_unlock({AdvisoryLockKey})";
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}

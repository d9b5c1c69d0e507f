using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>The store's write batch: statement order, returned rows, and the checked statements that turn into conflicts.</summary>
public abstract class StatementBatchContract
{
    private sealed class ConflictSeen : Exception;

    protected abstract DatabaseProvider Provider { get; }

    private async Task<DurableHost> HostWithTableAsync()
    {
        var host = await DurableHost.StartAsync(Provider);
        await host.ExecuteAsync("CREATE TABLE batch_rows (id integer NOT NULL PRIMARY KEY, v integer NOT NULL)");
        await host.ExecuteAsync("INSERT INTO batch_rows (id, v) VALUES (1, 0)");
        return host;
    }

    [Fact]
    public async Task Execute_StatementsWithReturning_RowsComeBackInStatementOrder()
    {
        await using var host = await HostWithTableAsync();
        var batch = new StatementBatch(Provider);
        batch.Add("INSERT INTO batch_rows (id, v) VALUES ({0}, {1}) RETURNING id", [30, 0]);
        batch.Add("UPDATE batch_rows SET v = {0} WHERE id = {1}", [5, 1]);
        batch.Add("INSERT INTO batch_rows (id, v) VALUES ({0}, {1}) RETURNING id", [10, 0]);
        batch.Add("INSERT INTO batch_rows (id, v) VALUES ({0}, {1}) RETURNING id", [20, 0]);

        await using var connection = await host.Database.OpenConnectionAsync();
        var returned = await batch.ExecuteAsync(connection, null, CancellationToken.None);

        Assert.Equal([30L, 10L, 20L], returned.Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(5L, Convert.ToInt64(await host.ScalarAsync("SELECT v FROM batch_rows WHERE id = 1"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Execute_TextValues_AreStoredAsGiven_EmptyNotNull()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.ExecuteAsync("CREATE TABLE batch_texts (id integer NOT NULL PRIMARY KEY, t text NULL)");
        string?[] texts = ["", "plain", "审批 🚀 façade", new string('长', 5000), null, "a"];
        var batch = new StatementBatch(Provider);
        for (var i = 0; i < texts.Length; i++)
        {
            batch.Add("INSERT INTO batch_texts (id, t) VALUES ({0}, {1})", [i, texts[i]]);
        }

        await using var connection = await host.Database.OpenConnectionAsync();
        await batch.ExecuteAsync(connection, null, CancellationToken.None);

        for (var i = 0; i < texts.Length; i++)
        {
            var stored = await host.ScalarAsync($"SELECT t FROM batch_texts WHERE id = {i}");
            Assert.Equal(texts[i], stored is DBNull ? null : (string?)stored);
        }

        Assert.Equal(1L, Convert.ToInt64(await host.ScalarAsync("SELECT COUNT(*) FROM batch_texts WHERE t IS NULL"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Execute_CheckedStatementChangesNoRow_ThrowsItsConflictAndTheTransactionKeepsNothing()
    {
        await using var host = await HostWithTableAsync();
        var batch = new StatementBatch(Provider);
        batch.AddExpectingOneRow("UPDATE batch_rows SET v = {0} WHERE id = {1} AND v = {2}", [1, 1, 7], () => new ConflictSeen());
        batch.Add("INSERT INTO batch_rows (id, v) VALUES ({0}, {1})", [2, 0]);

        await using var connection = await host.Database.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await Assert.ThrowsAsync<ConflictSeen>(() => batch.ExecuteAsync(connection, transaction, CancellationToken.None));
        }

        Assert.Equal(1, await host.CountAsync("batch_rows"));
    }

    [Fact]
    public async Task Execute_CheckedStatementMissesThenLaterStatementCollides_ThrowsTheConflictNotTheKeyError()
    {
        await using var host = await HostWithTableAsync();
        var batch = new StatementBatch(Provider);
        batch.AddExpectingOneRow("UPDATE batch_rows SET v = {0} WHERE id = {1} AND v = {2}", [1, 1, 7], () => new ConflictSeen());
        batch.Add("INSERT INTO batch_rows (id, v) VALUES ({0}, {1})", [1, 0]);

        await using var connection = await host.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        await Assert.ThrowsAsync<ConflictSeen>(() => batch.ExecuteAsync(connection, transaction, CancellationToken.None));
    }

    [Fact]
    public async Task Execute_CheckedInsertBreaksUniqueKey_ThrowsItsConflict()
    {
        await using var host = await HostWithTableAsync();
        var batch = new StatementBatch(Provider);
        batch.AddExpectingOneRow("INSERT INTO batch_rows (id, v) VALUES ({0}, {1})", [1, 0], () => new ConflictSeen());

        await using var connection = await host.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        await Assert.ThrowsAsync<ConflictSeen>(() => batch.ExecuteAsync(connection, transaction, CancellationToken.None));
    }
}

public sealed class SqliteStatementBatchTests : StatementBatchContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    [Fact]
    public async Task OpenConnection_PooledConnectionReopenedByOtherSettings_CarriesTheOtherSettings()
    {
        await using var host = await DurableHost.StartAsync(DatabaseProvider.Sqlite);
        var migrator = host.Services.GetRequiredService<SchemaMigrator>();
        await using var normal = new WorkflowDatabase(
            Options.Create(new WorkflowPersistenceOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = host.ConnectionString, SqliteSynchronous = "NORMAL" }),
            migrator);
        await using (var first = await host.Database.OpenConnectionAsync())
        {
            Assert.Equal(2L, await PragmaAsync((SqliteConnection)first, "synchronous"));
        }

        await using var second = await normal.OpenConnectionAsync();

        Assert.Equal(1L, await PragmaAsync((SqliteConnection)second, "synchronous"));
        Assert.Equal(1L, await PragmaAsync((SqliteConnection)second, "foreign_keys"));
    }

    private static async Task<long> PragmaAsync(SqliteConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

public sealed class PostgreSqlStatementBatchTests : StatementBatchContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}

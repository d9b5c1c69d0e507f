using Microsoft.Data.Sqlite;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>
/// SQLite: the per-command reads (task lookups, instance loads, the latest version) run statements kept compiled per
/// pooled SQLite handle, and read their rows back as Microsoft.Data.Sqlite's reader gives them.
/// </summary>
public sealed class SqliteStatementCacheTests
{
    [Fact]
    public async Task Reads_OnAReopenedPooledConnection_ReuseTheStatementCompiledBefore()
    {
        await using var host = await DurableHost.StartAsync(DatabaseProvider.Sqlite);
        const string sql = "SELECT COUNT(*) FROM \"wf_instances\" WHERE \"id\" = {0}";
        Assert.Equal(0L, await host.CountAsync("wf_instances")); // the host creates the schema on its first open
        // A connection string of its own is a pool of its own: no background reader of the host takes the handle
        // between the close and the reopen.
        var ownPool = new SqliteConnectionStringBuilder(host.ConnectionString) { DefaultTimeout = 31 }.ToString();
        SqliteStatementCache first;
        await using (var connection = new SqliteConnection(ownPool))
        {
            await connection.OpenAsync();
            Assert.Equal(0L, await StatementBatch.ScalarAsync(DatabaseProvider.Sqlite, connection, null, sql, ["x"], CancellationToken.None));
            first = SqliteStatementCache.Of(connection);
        }

        await using (var connection = new SqliteConnection(ownPool))
        {
            await connection.OpenAsync();
            var count = SqliteStatementCache.Of(connection).Count;
            Assert.Equal(0L, await StatementBatch.ScalarAsync(DatabaseProvider.Sqlite, connection, null, sql, ["y"], CancellationToken.None));

            Assert.Same(first, SqliteStatementCache.Of(connection));
            Assert.Equal(count, SqliteStatementCache.Of(connection).Count);
        }
    }

    [Fact]
    public async Task OpenTaskReads_OfOneInstanceAfterAnother_RunTheKeptStatementsWithoutCompilingThemAgain()
    {
        await using var host = await DurableHost.StartAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0L, await host.CountAsync("wf_tasks"));
        var ownPool = new SqliteConnectionStringBuilder(host.ConnectionString) { DefaultTimeout = 32 }.ToString();
        await using var connection = new SqliteConnection(ownPool);
        await connection.OpenAsync();
        var cache = SqliteStatementCache.Of(connection);

        // The store's own read of an instance's open tasks, for three instances in turn, as the inbox and the task
        // lookups run it.
        foreach (var instance in new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() })
        {
            var batch = host.Store.TaskRows(host.Store.TaskQueryWhere(new Engine.Runtime.TaskQuery { InstanceId = instance }));
            await batch.ExecuteAsync(connection, null, (_, _) => Task.CompletedTask, CancellationToken.None);
        }

        Assert.Equal(2, cache.Count);
        Assert.Equal(0, cache.Recompiles);

        // The control: the open state bound as a value, which IX_wf_tasks_open_due's condition then has to be proved
        // from, is compiled again on every run.
        const string bound = "SELECT COUNT(*) FROM \"wf_tasks\" WHERE \"state\" = {0} AND \"instance_id\" = {1}";
        foreach (var instance in new[] { Guid.NewGuid(), Guid.NewGuid() })
        {
            await StatementBatch.ScalarAsync(DatabaseProvider.Sqlite, connection, null, bound, [0, instance.ToString()], CancellationToken.None);
        }

        Assert.True(cache.Recompiles >= 2, $"Expected the bound state to recompile each run; it recompiled {cache.Recompiles} times.");
    }

    [Fact]
    public async Task BatchReader_GivesEachStatementsRows_AsMicrosoftDataSqliteDoes()
    {
        await using var host = await DurableHost.StartAsync(DatabaseProvider.Sqlite);
        await host.ExecuteAsync("CREATE TABLE reader_rows (id integer NOT NULL PRIMARY KEY, t text NULL, r real NULL, b blob NULL)");
        await host.ExecuteAsync("INSERT INTO reader_rows VALUES (1, '0193a6f2-7c1e-7d2a-9b1c-2f4e5a6b7c8d', 1.5, x'0102'), (2, NULL, NULL, NULL), (3, '', 0, x'')");
        var batch = new StatementBatch(DatabaseProvider.Sqlite);
        batch.Add("SELECT id, t, r, b, id > {0} FROM reader_rows ORDER BY id", [1]);
        batch.Add("SELECT id FROM reader_rows WHERE id > {0}", [10]);
        batch.Add("SELECT COUNT(*) FROM reader_rows", []);
        var expected = await ReadAllAsync(host, async (reader, token) => await Rows(reader, token));

        var actual = new List<List<object?[]>>();
        await using (var connection = await host.Database.OpenConnectionAsync())
        {
            await batch.ExecuteAsync(connection, null, async (reader, token) => actual = await Rows(reader, token), CancellationToken.None);
        }

        Assert.Equal(3, actual.Count);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Count, actual[i].Count);
            for (var r = 0; r < expected[i].Count; r++)
            {
                Assert.Equal(expected[i][r], actual[i][r]);
            }
        }
    }

    /// <summary>Every result's rows, each column through the getter the store would use.</summary>
    private static async Task<List<List<object?[]>>> Rows(System.Data.Common.DbDataReader reader, CancellationToken token)
    {
        var results = new List<List<object?[]>>();
        do
        {
            var rows = new List<object?[]>();
            while (await reader.ReadAsync(token))
            {
                var row = new object?[reader.FieldCount * 2];
                for (var c = 0; c < reader.FieldCount; c++)
                {
                    row[c] = reader.IsDBNull(c) ? null : reader.GetValue(c);
                    row[reader.FieldCount + c] = reader.IsDBNull(c) ? null : c switch
                    {
                        0 => reader.GetInt32(c),
                        1 => reader.GetString(c).Length == 36 ? reader.GetGuid(c) : reader.GetString(c),
                        2 => reader.GetDouble(c),
                        4 => reader.GetBoolean(c),
                        _ => reader.GetValue(c),
                    };
                }

                rows.Add(row);
            }

            results.Add(rows);
        }
        while (await reader.NextResultAsync(token));
        return results;
    }

    /// <summary>The same statements through Microsoft.Data.Sqlite's own reader.</summary>
    private static async Task<List<List<object?[]>>> ReadAllAsync(DurableHost host, Func<System.Data.Common.DbDataReader, CancellationToken, Task<List<List<object?[]>>>> read)
    {
        await using var connection = await host.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, t, r, b, id > 1 FROM reader_rows ORDER BY id; SELECT id FROM reader_rows WHERE id > 10; SELECT COUNT(*) FROM reader_rows";
        await using var reader = await command.ExecuteReaderAsync();
        return await read(reader, CancellationToken.None);
    }
}

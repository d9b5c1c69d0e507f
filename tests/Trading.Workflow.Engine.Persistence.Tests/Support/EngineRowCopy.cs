using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Support;

/// <summary>
/// Rows the engine wrote at today's schema, copied into a database at an older version (today's store writes columns
/// older versions do not have): the columns the target's tables have. History goes one row per event, as stores of
/// those versions wrote it (<see cref="HistoryRows"/>).
/// </summary>
internal static class EngineRowCopy
{
    private static readonly string[] Tables =
        ["wf_definitions", "wf_instances", "wf_variables", "wf_tasks", "wf_task_candidates", "wf_subscriptions", "wf_timers", "wf_jobs", "wf_incidents", "wf_history"];

    public static async Task CopyAsync(DurableHost source, DurableHost target)
    {
        await using var from = await source.Database.OpenConnectionAsync();
        await using var to = await target.Database.OpenConnectionAsync();
        foreach (var table in Tables)
        {
            var columns = await ColumnsAsync(to, table);
            var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
            var insert = $"INSERT INTO \"{table}\" ({list}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
            if (table == "wf_history" && !columns.Contains("entries"))
            {
                await using var db = source.Database.CreateContext(from);
                var map = new RowMaps(source.Database).For<HistoryEntity>();
                var byName = map.Columns.ToDictionary(c => c.Name.Trim('"'), StringComparer.Ordinal);
                var rows = await db.History.AsNoTracking().OrderBy(h => h.Sequence).ToListAsync();
                foreach (var e in HistoryRows.Expand(rows))
                {
                    await InsertAsync(to, insert, columns.Select(c => byName[c].Get(e)).ToArray());
                }

                continue;
            }

            await using var read = from.CreateCommand();
            read.CommandText = $"SELECT {list} FROM \"{table}\"";
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                await InsertAsync(to, insert, Enumerable.Range(0, columns.Count).Select(reader.GetValue).ToArray());
            }
        }

        if (target.Provider == DatabaseProvider.PostgreSql)
        {
            await target.ExecuteAsync("SELECT setval(pg_get_serial_sequence('\"wf_history\"', 'sequence'), (SELECT MAX(\"sequence\") FROM \"wf_history\"))");
        }
    }

    private static async Task<List<string>> ColumnsAsync(System.Data.Common.DbConnection connection, string table)
    {
        await using var probe = connection.CreateCommand();
        probe.CommandText = $"SELECT * FROM \"{table}\" WHERE 1 = 0";
        await using var reader = await probe.ExecuteReaderAsync();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
    }

    private static async Task InsertAsync(System.Data.Common.DbConnection connection, string sql, object?[] values)
    {
        await using var insert = connection.CreateCommand();
        insert.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = $"p{i}";
            parameter.Value = values[i] ?? DBNull.Value;
            insert.Parameters.Add(parameter);
        }

        await insert.ExecuteNonQueryAsync();
    }
}

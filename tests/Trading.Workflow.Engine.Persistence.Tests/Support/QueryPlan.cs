using System.Data.Common;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Engine.Persistence.Tests.Support;

/// <summary>The plan of a query a test builds: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN with scans of whole tables off.</summary>
internal static class QueryPlan
{
    /// <summary>The plan's lines; on PostgreSQL the connection keeps <c>enable_seqscan = off</c> (a test's tables are cheapest to scan whole).</summary>
    public static async Task<List<string>> LinesAsync(DbConnection connection, DbCommand command, DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            await using var off = connection.CreateCommand();
            off.CommandText = "SET enable_seqscan = off";
            await off.ExecuteNonQueryAsync();
        }

        command.CommandText = (provider == DatabaseProvider.PostgreSql ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + command.CommandText;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(provider == DatabaseProvider.PostgreSql ? 0 : 3));
        }

        return plan;
    }
}

using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>
/// Statements sent to the database in one go: on PostgreSQL one <see cref="NpgsqlBatch"/> with positional
/// parameters (one round trip, no SQL rewriting); on SQLite queries go as one command holding all statements and
/// writes as one prepared command per distinct statement. Templates name their parameters <c>{0}</c>, <c>{1}</c>,
/// ... Statements run in the order added; the rows the statements return (RETURNING) are read back in that order.
/// On PostgreSQL a checked statement fails on the server: an update or delete that must change one row runs as
/// <c>WITH c AS (... RETURNING 1) SELECT FROM c HAVING 1 / COUNT(*) &gt; 1</c> (no column, no row; division by zero
/// when it changed none), and an insert fails on its key. So a miss aborts the transaction where it happens, and a
/// COMMIT sent in the same batch (<see cref="Append"/>) never commits a batch whose check failed. Run outside a
/// transaction, a PostgreSQL batch is one implicit transaction (Npgsql ends it with one Sync, no error barriers): it
/// commits at its end, or when a statement fails nothing of it remains and the connection is left idle.
/// </summary>
internal sealed class StatementBatch(DatabaseProvider provider)
{
    private static readonly ConcurrentDictionary<string, string> PostgresSql = new();
    private readonly List<(string Template, object?[] Values, Func<Exception>? Conflict)> _statements = [];

    public void Add(string template, object?[] values) => _statements.Add((template, values, null));

    /// <summary>Puts a statement without parameters after all others (the COMMIT of a command's own transaction on PostgreSQL).</summary>
    public void Append(string sql) => _statements.Add((sql, [], null));

    public int Count => _statements.Count;

    /// <summary>
    /// A statement that must change exactly one row and must not break a unique key; otherwise the batch fails
    /// with <paramref name="conflict"/> (on SQLite before any later statement runs; on PostgreSQL the transaction
    /// is rolled back by the caller either way).
    /// </summary>
    public void AddExpectingOneRow(string template, object?[] values, Func<Exception> conflict) =>
        _statements.Add((provider == DatabaseProvider.PostgreSql ? CheckedOnServer(template) : template, values, conflict));

    /// <summary>PostgreSQL: an update or delete that fails (division by zero) unless it changed exactly one row.</summary>
    private static string CheckedOnServer(string template) =>
        template.StartsWith("UPDATE ", StringComparison.Ordinal) || template.StartsWith("DELETE ", StringComparison.Ordinal)
            ? $"WITH c AS ({template} RETURNING 1) SELECT FROM c HAVING 1 / COUNT(*) > 1"
            : template;

    /// <summary>
    /// Runs the statements; returns the first column of every row they return, in order. On SQLite, with
    /// <paramref name="prepared"/> (commands kept for <paramref name="connection"/>), each distinct statement is compiled
    /// once per connection instead of once per batch.
    /// </summary>
    public async Task<List<object>> ExecuteAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken, SqliteCommandCache? prepared = null)
    {
        var returned = new List<object>();
        if (_statements.Count == 0)
        {
            return returned;
        }

        if (provider == DatabaseProvider.PostgreSql)
        {
            await ExecutePostgresAsync((NpgsqlConnection)connection, (NpgsqlTransaction?)transaction, returned, cancellationToken);
            return returned;
        }

        // SQLite runs in process, so a statement costs no round trip, but binding all parameters of a long
        // multi-statement command to each statement would grow with the square of its length. One command per
        // distinct statement instead, prepared once and run again with new values.
        var commands = prepared ?? new SqliteCommandCache((SqliteConnection)connection);
        try
        {
            foreach (var (template, values, conflict) in _statements)
            {
                var command = commands.Get(template, values.Length, (SqliteTransaction?)transaction);
                for (var i = 0; i < values.Length; i++)
                {
                    command.Parameters[i].Value = values[i] ?? DBNull.Value;
                }

                int changed;
                try
                {
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    await ReadAllAsync(reader, returned, cancellationToken);
                    changed = reader.RecordsAffected;
                }
                catch (SqliteException e) when (conflict is not null && e.SqliteErrorCode == 19)
                {
                    throw conflict();
                }

                if (conflict is not null && changed != 1)
                {
                    throw conflict();
                }
            }
        }
        finally
        {
            if (prepared is null)
            {
                commands.Dispose();
            }
        }

        return returned;
    }

    private async Task ExecutePostgresAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, List<object> returned, CancellationToken cancellationToken)
    {
        // No error barriers (the default, said here because the commit relies on it): one Sync at the end, so a
        // failed statement skips the rest and, outside a transaction, rolls back the earlier ones.
        await using var batch = new NpgsqlBatch(connection, transaction) { EnableErrorBarriers = false };
        foreach (var (template, values, _) in _statements)
        {
            var command = new NpgsqlBatchCommand(PostgresSql.GetOrAdd(template, static t => Format(t, 0, "$", 1)));
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            batch.BatchCommands.Add(command);
        }

        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await ReadAllAsync(reader, returned, cancellationToken);
        }
        catch (PostgresException e)
        {
            // Every checked statement is checked on the server: the one that failed is the conflict, whether it
            // changed no row (division by zero in its check) or broke a unique key.
            var failed = e.BatchCommand is null ? -1 : batch.BatchCommands.IndexOf(e.BatchCommand);
            for (var i = 0; failed < 0 && i < batch.BatchCommands.Count; i++)
            {
                // The first statement that did not complete; utility statements (BEGIN, a savepoint) report no rows.
                if (batch.BatchCommands[i].RecordsAffected < 0 && _statements[i].Values.Length > 0)
                {
                    failed = i;
                }
            }

            if (failed >= 0 && _statements[failed].Conflict is { } conflict
                && e.SqlState is PostgresErrorCodes.DivisionByZero or PostgresErrorCodes.UniqueViolation)
            {
                throw conflict();
            }

            throw;
        }
    }

    /// <summary>Runs the statements; <paramref name="read"/> gets the reader on the first result (it moves on with NextResult).</summary>
    public async Task ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, Func<DbDataReader, CancellationToken, Task> read, CancellationToken cancellationToken)
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction?)transaction);
            foreach (var (template, values, _) in _statements)
            {
                var command = new NpgsqlBatchCommand(PostgresSql.GetOrAdd(template, static t => Format(t, 0, "$", 1)));
                foreach (var value in values)
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
                }

                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await read(reader, cancellationToken);
        }
        else
        {
            await using var command = (SqliteCommand)connection.CreateCommand();
            command.Transaction = (SqliteTransaction?)transaction;
            var sql = new StringBuilder();
            var next = 0;
            foreach (var (template, values, _) in _statements)
            {
                sql.Append(Format(template, next, "@p", 0)).Append(";\n");
                foreach (var value in values)
                {
                    command.Parameters.AddWithValue("@p" + next++, value ?? DBNull.Value);
                }
            }

            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await read(reader, cancellationToken);
        }
    }

    /// <summary>Runs one statement; returns the number of rows it changed.</summary>
    public static async Task<int> ExecuteNonQueryAsync(
        DatabaseProvider provider, DbConnection connection, DbTransaction? transaction, string template, object?[] values, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(provider, connection, transaction, template, values);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs one query; returns the first column of its first row (null for none or NULL).</summary>
    public static async Task<object?> ScalarAsync(
        DatabaseProvider provider, DbConnection connection, DbTransaction? transaction, string template, object?[] values, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(provider, connection, transaction, template, values);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private static DbCommand CreateCommand(DatabaseProvider provider, DbConnection connection, DbTransaction? transaction, string template, object?[] values)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = provider == DatabaseProvider.PostgreSql
            ? PostgresSql.GetOrAdd(template, static t => Format(t, 0, "$", 1))
            : Format(template, 0, "@p", 0);
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            if (provider == DatabaseProvider.Sqlite)
            {
                parameter.ParameterName = "@p" + i;
            }

            parameter.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static async Task ReadAllAsync(DbDataReader reader, List<object> returned, CancellationToken cancellationToken)
    {
        do
        {
            if (reader.FieldCount == 0)
            {
                continue;
            }

            while (await reader.ReadAsync(cancellationToken))
            {
                returned.Add(reader.GetValue(0));
            }
        }
        while (await reader.NextResultAsync(cancellationToken));
    }

    /// <summary>Replaces <c>{i}</c> with prefix + (offset + i + first).</summary>
    internal static string Format(string template, int offset, string prefix, int first)
    {
        var sql = new StringBuilder(template.Length + 16);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c != '{')
            {
                sql.Append(c);
                continue;
            }

            var end = template.IndexOf('}', i);
            var index = int.Parse(template.AsSpan(i + 1, end - i - 1), System.Globalization.CultureInfo.InvariantCulture);
            sql.Append(prefix).Append(offset + index + first);
            i = end;
        }

        return sql.ToString();
    }
}

/// <summary>
/// SQLite commands kept for one connection, one per distinct statement template: Microsoft.Data.Sqlite compiles a
/// command's statement at its first run and keeps it for the next, so a statement that runs again on the same
/// connection skips SQLite's parser and planner. Not thread-safe: one user at a time, as the connection.
/// </summary>
internal sealed class SqliteCommandCache(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    /// <summary>The command for <paramref name="template"/> (parameters <c>@p0</c>..), enlisted in <paramref name="transaction"/>.</summary>
    public SqliteCommand Get(string template, int parameterCount, SqliteTransaction? transaction)
    {
        if (!_commands.TryGetValue(template, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = StatementBatch.Format(template, 0, "@p", 0);
            for (var i = 0; i < parameterCount; i++)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            _commands[template] = command;
        }

        command.Transaction = transaction;
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}

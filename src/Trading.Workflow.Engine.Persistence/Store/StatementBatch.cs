using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>
/// Statements sent to the database in one go: on PostgreSQL one <see cref="NpgsqlBatch"/> with positional
/// parameters (one round trip, no SQL rewriting); on SQLite queries go as one command holding all statements and
/// writes as one prepared command per distinct statement. Templates name their parameters <c>{0}</c>, <c>{1}</c>,
/// ... Statements run in the order added; the rows the statements return (RETURNING) are read back in that order, every
/// column of each row one after the other (a statement's own rows in whatever order the database returns them).
/// Rows of one table go as multi-row inserts (<see cref="AddRows"/>), split by the provider's parameter budget.
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
    /// At most this many rows per multi-row insert: a statement's text is compiled and kept per distinct row count
    /// (prepared per connection on SQLite, auto-prepared on PostgreSQL), so the texts stay few; a command's rows of one
    /// table are far fewer in practice, and a larger set (a multi-instance of thousands) costs one statement per 32.
    /// </summary>
    internal const int MaxRowsPerStatement = 32;

    /// <summary>
    /// Parameters one multi-row insert binds at most. PostgreSQL: its protocol's limit (65,535); each statement costs
    /// the server a parse-bind-execute, so fewer statements save server time. SQLite: 999, the oldest limit SQLite
    /// builds have had (e_sqlite3 allows 32,766). Its statements are bound by position (SqliteStatementCache), so a row
    /// costs the same in a long statement as in a short one and fewer statements save their step and reset: on tmpfs,
    /// 8 clients ran 10 % more commands per second than with 96 (5 history rows per statement). Through
    /// Microsoft.Data.Sqlite, which binds by name, one 9-row history insert had cost twice nine one-row inserts.
    /// </summary>
    internal int ParameterBudget => provider == DatabaseProvider.PostgreSql ? 65_535 : 999;

    /// <summary>Rows of <paramref name="columns"/> values each that one insert carries.</summary>
    internal int RowsPerStatement(int columns) => Math.Clamp(ParameterBudget / Math.Max(1, columns), 1, MaxRowsPerStatement);

    /// <summary>
    /// Inserts <paramref name="entities"/> (all of <paramref name="map"/>'s type) in as few statements as the limits
    /// allow, in order. Each returns <see cref="RowMap.Returned"/> per row.
    /// </summary>
    public void AddRows(RowMap map, IReadOnlyList<object> entities)
    {
        var columns = map.Inserted.Length;
        var perStatement = RowsPerStatement(columns);
        for (var start = 0; start < entities.Count; start += perStatement)
        {
            var rows = Math.Min(perStatement, entities.Count - start);
            var values = new object?[rows * columns];
            for (var r = 0; r < rows; r++)
            {
                map.InsertValues(entities[start + r], values, r * columns);
            }

            _statements.Add((map.InsertRowsSql(rows), values, null));
        }
    }

    /// <summary>
    /// A statement that must change exactly one row and must not break a unique key; otherwise the batch fails
    /// with <paramref name="conflict"/> (on SQLite before any later statement runs; on PostgreSQL the transaction
    /// is rolled back by the caller either way).
    /// </summary>
    public void AddExpectingOneRow(string template, object?[] values, Func<Exception> conflict) =>
        _statements.Add((provider == DatabaseProvider.PostgreSql ? CheckedOnServer(template) : template, values, conflict));

    /// <summary>
    /// PostgreSQL: an update, a delete or a conditional insert (<c>INSERT ... SELECT ... WHERE</c>) that fails
    /// (division by zero) unless it changed exactly one row. A plain insert fails by itself on a taken key.
    /// </summary>
    private static string CheckedOnServer(string template) =>
        template.StartsWith("UPDATE ", StringComparison.Ordinal) || template.StartsWith("DELETE ", StringComparison.Ordinal)
            || (template.StartsWith("INSERT ", StringComparison.Ordinal) && template.Contains(") SELECT ", StringComparison.Ordinal))
            ? $"WITH c AS ({template} RETURNING 1) SELECT FROM c HAVING 1 / COUNT(*) > 1"
            : template;

    /// <summary>
    /// Runs the statements; returns every column of every row they return, one after the other. On SQLite each
    /// distinct statement is compiled once per database connection (<see cref="SqliteStatementCache.Of"/>).
    /// </summary>
    public async Task<List<object>> ExecuteAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
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

        // SQLite runs in process, so a statement costs no round trip: each distinct statement is compiled once per
        // connection and run again with new values, its parameters bound by position (see SqliteStatementCache).
        var statements = SqliteStatementCache.Of((SqliteConnection)connection);
        foreach (var (template, values, conflict) in _statements)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int changed;
            try
            {
                changed = statements.Execute(template, values, returned);
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
            // The connection's compiled statements (see SqliteStatementCache), run one after another, their rows read
            // through a reader over what they returned: Microsoft.Data.Sqlite compiled the statements' text anew every time.
            var statements = SqliteStatementCache.Of((SqliteConnection)connection);
            var results = new List<(int Columns, List<object> Values)>(_statements.Count);
            foreach (var (template, values, _) in _statements)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = new List<object>();
                results.Add((statements.Query(template, values, rows), rows));
            }

            await using var reader = new SqliteRowsReader(results);
            await read(reader, cancellationToken);
        }
    }

    /// <summary>Runs one query; returns the first column of its first row (null for none or NULL).</summary>
    public static async Task<object?> ScalarAsync(
        DatabaseProvider provider, DbConnection connection, DbTransaction? transaction, string template, object?[] values, CancellationToken cancellationToken)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = new List<object>();
            var columns = SqliteStatementCache.Of((SqliteConnection)connection).Query(template, values, rows);
            return rows.Count == 0 || columns == 0 || rows[0] is DBNull ? null : rows[0];
        }

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
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    returned.Add(reader.GetValue(i));
                }
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
/// SQLite statements kept compiled for one connection, one per distinct statement template, run through SQLite's own
/// interface (SQLitePCL) with their parameters bound by position. Microsoft.Data.Sqlite binds every parameter by name,
/// which SQLite looks up by walking the statement's parameter list, and wraps every run in a data reader: on the
/// commit path (about ten statements of up to a hundred parameters per command, all on one connection) that cost more
/// than SQLite's own work. Values come already converted to the provider's types (RowMaps): text, integers, reals,
/// blobs. Not thread-safe: one user at a time, as the connection. Dispose finalizes the statements (a later use
/// compiles them again), so that a handle its owner closes lets go of the file at once.
/// </summary>
internal sealed class SqliteStatementCache : IDisposable
{
    private const int PreparePersistent = 0x01;
    private readonly sqlite3 _handle;

    private SqliteStatementCache(sqlite3 handle) => _handle = handle;

    // Per SQLite handle; an entry goes with its handle.
    private static readonly ConditionalWeakTable<sqlite3, SqliteStatementCache> ByHandle = new();

    /// <summary>
    /// The statements of the database connection under <paramref name="connection"/> (open): kept with SQLite's
    /// handle, which the pool hands to one opener at a time and keeps across opens. The per-command reads and lookups
    /// open a pooled connection each and run the same few statements, which are then compiled once per handle.
    /// When the pool closes a handle, SQLite keeps its file open until these statements are finalized (their
    /// handles' finalizers, once the closed handle is collected); the handle is never used again.
    /// </summary>
    public static SqliteStatementCache Of(SqliteConnection connection)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is closed.");
        return ByHandle.GetValue(handle, static h => new SqliteStatementCache(h));
    }

    /// <summary>Statements compiled so far (tests).</summary>
    internal int Count => _statements.Count;

    /// <summary>
    /// How often SQLite compiled the kept statements again (SQLITE_STMTSTATUS_REPREPARE): after a schema change, or on
    /// every run of a statement whose bound value decides which partial index it may use (tests).
    /// </summary>
    internal int Recompiles => _statements.Values.Sum(s => raw.sqlite3_stmt_status(s, StatusReprepare, 0));

    private const int StatusReprepare = 5;

    private sqlite3 Db => _handle.IsClosed ? throw new InvalidOperationException("The connection is closed.") : _handle;
    private readonly Dictionary<string, sqlite3_stmt> _statements = new(StringComparer.Ordinal);
    private byte[] _utf8 = new byte[1024];

    /// <summary>
    /// Runs <paramref name="template"/> (parameters <c>{0}</c>, <c>{1}</c>, ...) with <paramref name="values"/>; adds
    /// every column of every row it returns to <paramref name="returned"/>; returns the rows it changed.
    /// </summary>
    public int Execute(string template, object?[] values, List<object> returned) => Run(template, values, returned, out _);

    /// <summary>As <see cref="Execute"/>; returns the number of columns each returned row has (0 for a statement returning none).</summary>
    public int Query(string template, object?[] values, List<object> returned)
    {
        Run(template, values, returned, out var columns);
        return columns;
    }

    private int Run(string template, object?[] values, List<object> returned, out int columns)
    {
        var db = Db;
        if (!_statements.TryGetValue(template, out var statement))
        {
            Check(db, raw.sqlite3_prepare_v3(db, StatementBatch.Format(template, 0, "?", 1), PreparePersistent, out statement));
            _statements[template] = statement;
        }

        columns = raw.sqlite3_column_count(statement);

        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                Check(db, Bind(statement, i + 1, values[i]));
            }

            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                for (var c = 0; c < columns; c++)
                {
                    returned.Add(Column(statement, c));
                }
            }

            Check(db, rc);
            return raw.sqlite3_changes(db);
        }
        finally
        {
            raw.sqlite3_reset(statement);
            raw.sqlite3_clear_bindings(statement);
        }
    }

    private int Bind(sqlite3_stmt statement, int index, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(statement, index),
        string text => BindText(statement, index, text),
        long number => raw.sqlite3_bind_int64(statement, index, number),
        int number => raw.sqlite3_bind_int64(statement, index, number),
        short number => raw.sqlite3_bind_int64(statement, index, number),
        byte number => raw.sqlite3_bind_int64(statement, index, number),
        bool flag => raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0),
        double real => raw.sqlite3_bind_double(statement, index, real),
        float real => raw.sqlite3_bind_double(statement, index, real),
        byte[] blob => raw.sqlite3_bind_blob(statement, index, blob),
        _ => throw new NotSupportedException($"The store binds no {value.GetType()} on SQLite; convert it in RowMaps first."),
    };

    /// <summary>
    /// Text as UTF-8 from a buffer kept for the cache (SQLite copies it): binding the string itself converted it into
    /// a new array each time, and a command binds dozens of strings (ids, names, documents).
    /// </summary>
    private int BindText(sqlite3_stmt statement, int index, string text)
    {
        if (text.Length == 0)
        {
            // An empty span would reach SQLite as a null pointer, which binds NULL.
            return raw.sqlite3_bind_text(statement, index, text);
        }

        if (_utf8.Length < Encoding.UTF8.GetMaxByteCount(text.Length) && _utf8.Length < Encoding.UTF8.GetByteCount(text))
        {
            _utf8 = new byte[Math.Max(Encoding.UTF8.GetByteCount(text), _utf8.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(text, _utf8);
        return raw.sqlite3_bind_text(statement, index, new ReadOnlySpan<byte>(_utf8, 0, length));
    }

    /// <summary>A returned column as Microsoft.Data.Sqlite's reader gives it (GetValue).</summary>
    private static object Column(sqlite3_stmt statement, int column) => raw.sqlite3_column_type(statement, column) switch
    {
        raw.SQLITE_INTEGER => raw.sqlite3_column_int64(statement, column),
        raw.SQLITE_FLOAT => raw.sqlite3_column_double(statement, column),
        raw.SQLITE_TEXT => raw.sqlite3_column_text(statement, column).utf8_to_string(),
        raw.SQLITE_BLOB => raw.sqlite3_column_blob(statement, column).ToArray(),
        _ => DBNull.Value,
    };

    /// <summary>A result other than success: the error Microsoft.Data.Sqlite would have thrown.</summary>
    private static void Check(sqlite3 db, int rc)
    {
        if (rc is raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW)
        {
            return;
        }

        var extended = raw.sqlite3_extended_errcode(db);
        throw new SqliteException($"SQLite Error {rc & 0xFF}: '{raw.sqlite3_errmsg(db).utf8_to_string()}'.", rc & 0xFF, extended);
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
    }
}

/// <summary>
/// The rows SQLite statements returned (values as <see cref="SqliteStatementCache"/> reads them: integers, reals,
/// text, blobs, DBNull), read as Microsoft.Data.Sqlite's reader would give them: one result per statement, the
/// typed getters converting as it does (an integer as a boolean or an int, text as a Guid).
/// </summary>
internal sealed class SqliteRowsReader(List<(int Columns, List<object> Values)> results) : DbDataReader
{
    private int _result;
    private int _row = -1;

    private (int Columns, List<object> Values) Current => results[_result];

    public override int FieldCount => _result < results.Count ? Current.Columns : 0;

    public override bool HasRows => _result < results.Count && Current.Values.Count > 0;

    public override bool IsClosed => false;

    public override int RecordsAffected => -1;

    public override int Depth => 0;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => throw new NotSupportedException();

    public override bool Read()
    {
        if (_result >= results.Count || (_row + 1) * Current.Columns >= Current.Values.Count || Current.Columns == 0)
        {
            return false;
        }

        _row++;
        return true;
    }

    public override Task<bool> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Read());

    public override bool NextResult()
    {
        if (_result + 1 >= results.Count)
        {
            _result = results.Count;
            return false;
        }

        _result++;
        _row = -1;
        return true;
    }

    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => Task.FromResult(NextResult());

    public override object GetValue(int ordinal)
    {
        if (_row < 0 || (uint)ordinal >= (uint)Current.Columns)
        {
            throw new InvalidOperationException("No row or no such column.");
        }

        return Current.Values[(_row * Current.Columns) + ordinal];
    }

    public override bool IsDBNull(int ordinal) => GetValue(ordinal) is DBNull;

    public override string GetString(int ordinal) => GetValue(ordinal) switch
    {
        string text => text,
        byte[] blob => System.Text.Encoding.UTF8.GetString(blob),
        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };

    public override long GetInt64(int ordinal) => GetValue(ordinal) switch
    {
        long number => number,
        double real => (long)real,
        var value => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    public override int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));

    public override short GetInt16(int ordinal) => checked((short)GetInt64(ordinal));

    public override byte GetByte(int ordinal) => checked((byte)GetInt64(ordinal));

    public override bool GetBoolean(int ordinal) => GetInt64(ordinal) != 0;

    public override double GetDouble(int ordinal) => GetValue(ordinal) is double real ? real : Convert.ToDouble(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override float GetFloat(int ordinal) => (float)GetDouble(ordinal);

    public override decimal GetDecimal(int ordinal) => GetValue(ordinal) is string text
        ? decimal.Parse(text, System.Globalization.NumberStyles.Number | System.Globalization.NumberStyles.AllowExponent, System.Globalization.CultureInfo.InvariantCulture)
        : Convert.ToDecimal(GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override Guid GetGuid(int ordinal) => GetValue(ordinal) is byte[] { Length: 16 } blob ? new Guid(blob) : Guid.Parse(GetString(ordinal));

    public override char GetChar(int ordinal) => GetString(ordinal)[0];

    public override DateTime GetDateTime(int ordinal) => throw new NotSupportedException("The store reads no DateTime on SQLite (times are UTC ticks).");

    public override T GetFieldValue<T>(int ordinal)
    {
        if (typeof(T) == typeof(DateTimeOffset) || typeof(T) == typeof(DateTime) || typeof(T) == typeof(TimeSpan))
        {
            throw new NotSupportedException("The store reads no date or time values on SQLite (times are UTC ticks).");
        }

        return base.GetFieldValue<T>(ordinal);
    }

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();

    public override string GetDataTypeName(int ordinal) => throw new NotSupportedException();

    public override Type GetFieldType(int ordinal) => GetValue(ordinal).GetType();

    public override string GetName(int ordinal) => throw new NotSupportedException();

    public override int GetOrdinal(string name) => throw new NotSupportedException();

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override System.Collections.IEnumerator GetEnumerator() => throw new NotSupportedException();
}

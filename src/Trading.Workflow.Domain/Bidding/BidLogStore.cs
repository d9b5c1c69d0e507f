using System.Data.Common;
using System.Globalization;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Data;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>A lot as stored (the reserve is not part of it: only <see cref="BidLogStore.ReadReserveAsync"/> reads it).</summary>
public sealed record LotRecord(Guid Id, Guid? SectionId, Guid? ProjectId, string Title, BiddingMode Mode, DateTimeOffset CreatedAt, string CreatedBy, long LastSequence, string LastHash, LotPhase Phase, DateTimeOffset? NextDue);

/// <summary>A bidder number and the identity behind it (revealed in the result only).</summary>
public sealed record LotBidder(Guid LotId, int Number, Guid EntityId, string EntityName, DateTimeOffset AdmittedAt, string AdmittedBy);

/// <summary>
/// The bid log's rows over plain ADO.NET on the platform's one database (SQLite or PostgreSQL): the hot path writes a
/// batch of entries with one multi-row INSERT and one lot-row UPDATE per transaction (group commit).
/// </summary>
public sealed class BidLogStore(WorkflowDatabase database)
{
    public const string NotifyChannel = "tr_bidding";

    public DatabaseProvider Provider => database.Provider;

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => database.OpenConnectionAsync(cancellationToken);

    private object Id(Guid id) => Provider == DatabaseProvider.PostgreSql ? id : id.ToString("D").ToUpperInvariant();

    private object? Id(Guid? id) => id is { } value ? Id(value) : DBNull.Value;

    private Guid ReadId(DbDataReader reader, int ordinal) =>
        Provider == DatabaseProvider.PostgreSql ? reader.GetGuid(ordinal) : Guid.Parse(reader.GetString(ordinal));

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public async Task CreateLotAsync(LotRecord lot, decimal? reserve, string reserveSalt, BidLogEntry opened, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = Command(connection, transaction,
            """
            INSERT INTO "tr_bidding_lots" ("id", "section_id", "project_id", "title", "mode", "reserve", "reserve_salt", "created_at", "created_by", "last_seq", "last_hash", "phase", "next_due", "outcome")
            VALUES (@id, @section, @project, @title, @mode, @reserve, @salt, @created, @by, 0, @genesis, @phase, @due, NULL)
            """,
            ("@id", Id(lot.Id)), ("@section", Id(lot.SectionId)), ("@project", Id(lot.ProjectId)), ("@title", lot.Title), ("@mode", lot.Mode.ToString()),
            ("@reserve", reserve is { } r ? BidLogEntry.FormatAmount(r) : null), ("@salt", reserveSalt), ("@created", lot.CreatedAt.UtcTicks),
            ("@by", lot.CreatedBy), ("@genesis", BidLogEntry.GenesisHash), ("@phase", lot.Phase.ToString()), ("@due", lot.NextDue?.UtcTicks)))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await AppendAsync(connection, transaction, lot.Id, [opened], cancellationToken);
        await UpdateHeadAsync(connection, transaction, lot.Id, opened.Sequence, opened.Hash, lot.Phase, lot.NextDue, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Takes the lot's row for this transaction (PostgreSQL: FOR UPDATE, so the batches of every node are ordered
    /// exactly once; SQLite: the transaction is already the database's only writer) and returns the chain's length.
    /// </summary>
    public async Task<long> LockAsync(DbConnection connection, DbTransaction transaction, Guid lotId, CancellationToken cancellationToken)
    {
        var sql = Provider == DatabaseProvider.PostgreSql
            ? """SELECT "last_seq" FROM "tr_bidding_lots" WHERE "id" = @id FOR UPDATE"""
            : """SELECT "last_seq" FROM "tr_bidding_lots" WHERE "id" = @id""";
        await using var command = Command(connection, transaction, sql, ("@id", Id(lotId)));
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull
            ? throw new DomainRuleException(BiddingRules.LotUnknown, $"Lot {lotId} does not exist.")
            : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>A sequencer's open transaction on a lot: the row taken, and the entries other nodes appended since its head.</summary>
    public sealed class Batch(DbTransaction? transaction, IReadOnlyList<BidLogEntry> appended)
    {
        /// <summary>The ADO.NET transaction (SQLite); null on PostgreSQL, where BEGIN and COMMIT travel with the statements.</summary>
        public DbTransaction? Transaction { get; } = transaction;

        public IReadOnlyList<BidLogEntry> Appended { get; } = appended;

        public bool Done { get; set; }
    }

    /// <summary>
    /// Opens a sequencer's transaction and takes the lot's row. On PostgreSQL one round trip carries BEGIN, the row
    /// lock (FOR UPDATE: the batches of every node are ordered exactly once) and, when <paramref name="knownSequence"/> is
    /// given, the entries other nodes appended after it (read once the lock is held, so none is missed). SQLite: the
    /// transaction is the database's only writer (BEGIN IMMEDIATE); one node, so nothing else appends.
    /// </summary>
    public async Task<Batch> BeginAsync(DbConnection connection, Guid lotId, long? knownSequence, CancellationToken cancellationToken)
    {
        if (Provider != DatabaseProvider.PostgreSql)
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                var stored = await LockAsync(connection, transaction, lotId, cancellationToken);
                var appended = knownSequence is { } known && stored > known
                    ? await ReadLogAsync(connection, transaction, lotId, known, cancellationToken)
                    : [];
                return new Batch(transaction, appended);
            }
            catch
            {
                await transaction.DisposeAsync();
                throw;
            }
        }

        var sql = """BEGIN; SELECT "last_seq" FROM "tr_bidding_lots" WHERE "id" = @id FOR UPDATE;""";
        if (knownSequence is not null)
        {
            sql += "\n" + LogQuery;
        }

        var batch = new Batch(null, []);
        try
        {
            await using var command = knownSequence is { } after
                ? Command(connection, null, sql, ("@id", Id(lotId)), ("@lot", Id(lotId)), ("@after", after))
                : Command(connection, null, sql, ("@id", Id(lotId)));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new DomainRuleException(BiddingRules.LotUnknown, $"Lot {lotId} does not exist.");
            }

            var stored = reader.GetInt64(0);
            var appended = new List<BidLogEntry>();
            if (knownSequence is not null && await reader.NextResultAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    appended.Add(ReadEntry(reader));
                }
            }

            if (knownSequence is { } known && known + appended.Count != stored)
            {
                throw new DomainRuleException(BiddingRules.LogBroken, $"Lot {lotId}: the log holds {appended.Count} entries after {known}, its head says {stored}.");
            }

            return new Batch(null, appended);
        }
        catch
        {
            await AbandonAsync(connection, batch);
            throw;
        }
    }

    /// <summary>
    /// Writes a sequencer's batch and commits: one round trip on PostgreSQL (the entries, the bidders, the head and the
    /// timer, the notification, COMMIT), durable when it returns (the answers are sent only then).
    /// </summary>
    public async Task CommitAsync(DbConnection connection, Batch batch, Guid lotId, IReadOnlyList<BidLogEntry> entries, IReadOnlyList<LotBidder> bidders, Head? head, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Transaction is { } transaction)
        {
            if (entries.Count > 0)
            {
                await WriteBatchAsync(connection, transaction, lotId, entries, bidders, head, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            batch.Done = true;
            await transaction.DisposeAsync();
            return;
        }

        var (sql, parameters) = BatchCommand(lotId, entries, bidders, head);
        sql.Append("COMMIT;");
        await using var command = Command(connection, null, sql.ToString(), [.. parameters]);
        await command.ExecuteNonQueryAsync(cancellationToken);
        batch.Done = true;
    }

    /// <summary>After a failure: rolls back what <see cref="BeginAsync"/> opened (best effort; the caller drops the connection).</summary>
    public static async Task AbandonAsync(DbConnection connection, Batch? batch)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (batch is null || batch.Done)
        {
            return;
        }

        batch.Done = true;
        try
        {
            if (batch.Transaction is { } transaction)
            {
                await transaction.DisposeAsync();
            }
            else if (connection.State == System.Data.ConnectionState.Open)
            {
                await using var rollback = connection.CreateCommand();
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync();
            }
        }
        catch (DbException)
        {
            // The connection is dropped by the caller; the server ends the transaction with it.
        }
        catch (InvalidOperationException)
        {
            // A broken connection.
        }
    }

    public async Task AppendAsync(DbConnection connection, DbTransaction transaction, Guid lotId, IReadOnlyList<BidLogEntry> entries, CancellationToken cancellationToken) =>
        await WriteBatchAsync(connection, transaction, lotId, entries, [], null, cancellationToken);

    /// <summary>The head of the chain after a batch, and the durable timer it leaves.</summary>
    public sealed record Head(long LastSequence, string LastHash, LotPhase Phase, DateTimeOffset? NextDue, string? Outcome);

    /// <summary>
    /// One round trip for a whole batch: the entries (multi-row INSERT), the admitted bidders, the lot row's head and
    /// timer, and on PostgreSQL the notification, as one command of several statements.
    /// </summary>
    public async Task WriteBatchAsync(DbConnection connection, DbTransaction transaction, Guid lotId, IReadOnlyList<BidLogEntry> entries, IReadOnlyList<LotBidder> bidders, Head? head, CancellationToken cancellationToken)
    {
        if (Provider != DatabaseProvider.PostgreSql && entries.Count > 0)
        {
            await InsertEachAsync(connection, transaction, lotId, entries, cancellationToken);
            entries = [];
        }

        var (sql, parameters) = BatchCommand(lotId, entries, bidders, head);
        if (sql.Length == 0)
        {
            return;
        }

        await using var command = Command(connection, transaction, sql.ToString(), [.. parameters]);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// SQLite: one prepared single-row INSERT stepped once per entry. In-process there is no round trip to save, and a
    /// multi-row statement binds its parameters by name in a linear scan (quadratic in the rows: ~20 ms for a full
    /// batch of 512, just when the sequencer is behind); here each row binds 12.
    /// </summary>
    private async Task InsertEachAsync(DbConnection connection, DbTransaction transaction, Guid lotId, IReadOnlyList<BidLogEntry> entries, CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, transaction,
            """INSERT INTO "tr_bidding_log" ("lot_id", "seq", "kind", "at", "bidder", "amount", "idem_key", "accepted", "reason", "data", "prev_hash", "hash") VALUES (@lot, @s, @k, @t, @b, @a, @i, @c, @r, @d, @p, @h)""",
            ("@lot", Id(lotId)), ("@s", null), ("@k", null), ("@t", null), ("@b", null), ("@a", null), ("@i", null), ("@c", null), ("@r", null), ("@d", null), ("@p", null), ("@h", null));
        var p = insert.Parameters;
        foreach (var e in entries)
        {
            p[1].Value = e.Sequence;
            p[2].Value = e.Kind.ToString();
            p[3].Value = e.At.UtcTicks;
            p[4].Value = e.BidderNumber is { } bidder ? bidder : DBNull.Value as object;
            p[5].Value = e.Amount is { } a ? BidLogEntry.FormatAmount(a) : DBNull.Value as object;
            p[6].Value = (object?)e.IdempotencyKey ?? DBNull.Value;
            p[7].Value = e.Accepted ? 1 : 0;
            p[8].Value = (object?)e.Reason ?? DBNull.Value;
            p[9].Value = (object?)e.Data ?? DBNull.Value;
            p[10].Value = e.PreviousHash;
            p[11].Value = e.Hash;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private (System.Text.StringBuilder Sql, List<(string, object?)> Parameters) BatchCommand(Guid lotId, IReadOnlyList<BidLogEntry> entries, IReadOnlyList<LotBidder> bidders, Head? head)
    {
        const int RowsPerStatement = 200;
        var sql = new System.Text.StringBuilder();
        var parameters = new List<(string, object?)> { ("@lot", Id(lotId)) };
        var n = 0;
        for (var offset = 0; offset < entries.Count; offset += RowsPerStatement)
        {
            sql.Append("""INSERT INTO "tr_bidding_log" ("lot_id", "seq", "kind", "at", "bidder", "amount", "idem_key", "accepted", "reason", "data", "prev_hash", "hash") VALUES """);
            var count = Math.Min(RowsPerStatement, entries.Count - offset);
            for (var i = 0; i < count; i++, n++)
            {
                var e = entries[offset + i];
                sql.Append(i == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture,
                    $"(@lot, @s{n}, @k{n}, @t{n}, @b{n}, @a{n}, @i{n}, @c{n}, @r{n}, @d{n}, @p{n}, @h{n})");
                parameters.Add(($"@s{n}", e.Sequence));
                parameters.Add(($"@k{n}", e.Kind.ToString()));
                parameters.Add(($"@t{n}", e.At.UtcTicks));
                parameters.Add(($"@b{n}", e.BidderNumber));
                parameters.Add(($"@a{n}", e.Amount is { } a ? BidLogEntry.FormatAmount(a) : null));
                parameters.Add(($"@i{n}", e.IdempotencyKey));
                parameters.Add(($"@c{n}", e.Accepted ? 1 : 0));
                parameters.Add(($"@r{n}", e.Reason));
                parameters.Add(($"@d{n}", e.Data));
                parameters.Add(($"@p{n}", e.PreviousHash));
                parameters.Add(($"@h{n}", e.Hash));
            }

            sql.Append(";\n");
        }

        for (var i = 0; i < bidders.Count; i++)
        {
            var bidder = bidders[i];
            sql.Append(CultureInfo.InvariantCulture, $"""
                INSERT INTO "tr_bidding_bidders" ("lot_id", "bidder_number", "entity_id", "entity_name", "admitted_at", "admitted_by") VALUES (@lot, @bn{i}, @be{i}, @bm{i}, @bt{i}, @bb{i});

                """);
            parameters.Add(($"@bn{i}", bidder.Number));
            parameters.Add(($"@be{i}", Id(bidder.EntityId)));
            parameters.Add(($"@bm{i}", bidder.EntityName));
            parameters.Add(($"@bt{i}", bidder.AdmittedAt.UtcTicks));
            parameters.Add(($"@bb{i}", bidder.AdmittedBy));
        }

        if (head is not null)
        {
            sql.Append("""
                UPDATE "tr_bidding_lots" SET "last_seq" = @hseq, "last_hash" = @hhash, "phase" = @hphase, "next_due" = @hdue, "outcome" = COALESCE(@houtcome, "outcome") WHERE "id" = @lot;

                """);
            parameters.Add(("@hseq", head.LastSequence));
            parameters.Add(("@hhash", head.LastHash));
            parameters.Add(("@hphase", head.Phase.ToString()));
            parameters.Add(("@hdue", head.NextDue?.UtcTicks));
            parameters.Add(("@houtcome", head.Outcome));
            if (Provider == DatabaseProvider.PostgreSql)
            {
                sql.Append("SELECT pg_notify(@channel, @payload);\n");
                parameters.Add(("@channel", NotifyChannel));
                parameters.Add(("@payload", string.Create(CultureInfo.InvariantCulture, $"{lotId:D}:{head.LastSequence}")));
            }
        }

        return (sql, parameters);
    }

    public async Task UpdateHeadAsync(DbConnection connection, DbTransaction transaction, Guid lotId, long lastSequence, string lastHash, LotPhase phase, DateTimeOffset? nextDue, string? outcome, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            """
            UPDATE "tr_bidding_lots" SET "last_seq" = @seq, "last_hash" = @hash, "phase" = @phase, "next_due" = @due, "outcome" = COALESCE(@outcome, "outcome")
            WHERE "id" = @id
            """,
            ("@seq", lastSequence), ("@hash", lastHash), ("@phase", phase.ToString()), ("@due", nextDue?.UtcTicks), ("@outcome", outcome), ("@id", Id(lotId)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<BidLogEntry>> ReadLogAsync(Guid lotId, long afterSequence, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadLogAsync(connection, null, lotId, afterSequence, cancellationToken);
    }

    public async Task<IReadOnlyList<BidLogEntry>> ReadLogAsync(DbConnection connection, DbTransaction? transaction, Guid lotId, long afterSequence, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, LogQuery, ("@lot", Id(lotId)), ("@after", afterSequence));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<BidLogEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadEntry(reader));
        }

        return entries;
    }

    private const string LogQuery = """
        SELECT "seq", "kind", "at", "bidder", "amount", "idem_key", "accepted", "reason", "data", "prev_hash", "hash"
        FROM "tr_bidding_log" WHERE "lot_id" = @lot AND "seq" > @after ORDER BY "seq";
        """;

    private static BidLogEntry ReadEntry(DbDataReader reader) => new(
        reader.GetInt64(0),
        Enum.Parse<BidLogKind>(reader.GetString(1)),
        new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero),
        reader.IsDBNull(3) ? null : reader.GetInt32(3),
        reader.IsDBNull(4) ? null : decimal.Parse(reader.GetString(4), NumberStyles.Number, CultureInfo.InvariantCulture),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.GetInt32(6) == 1,
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.GetString(9),
        reader.GetString(10));

    /// <summary>
    /// The confidential reserve and its salt: for the lot's sequencer only (never for a page or an API); with whether
    /// the durable timer is stopped (a lot not ended has one, unless it was shelved before shelving was logged).
    /// </summary>
    internal async Task<(decimal? Reserve, string Salt, bool TimerStopped)> ReadReserveAsync(DbConnection connection, DbTransaction? transaction, Guid lotId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """SELECT "reserve", "reserve_salt", "next_due" FROM "tr_bidding_lots" WHERE "id" = @id""", ("@id", Id(lotId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new DomainRuleException(BiddingRules.LotUnknown, $"Lot {lotId} does not exist.");
        }

        return (reader.IsDBNull(0) ? null : decimal.Parse(reader.GetString(0), NumberStyles.Number, CultureInfo.InvariantCulture), reader.GetString(1), reader.IsDBNull(2));
    }

    private const string LotColumns = """ "id", "section_id", "project_id", "title", "mode", "created_at", "created_by", "last_seq", "last_hash", "phase", "next_due" """;

    private LotRecord ReadLot(DbDataReader reader) => new(
        ReadId(reader, 0),
        reader.IsDBNull(1) ? null : ReadId(reader, 1),
        reader.IsDBNull(2) ? null : ReadId(reader, 2),
        reader.GetString(3),
        Enum.Parse<BiddingMode>(reader.GetString(4)),
        new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero),
        reader.GetString(6),
        reader.GetInt64(7),
        reader.GetString(8),
        Enum.Parse<LotPhase>(reader.GetString(9)),
        reader.IsDBNull(10) ? null : new DateTimeOffset(reader.GetInt64(10), TimeSpan.Zero));

    public async Task<LotRecord?> FindLotAsync(Guid lotId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"""SELECT {LotColumns} FROM "tr_bidding_lots" WHERE "id" = @id""", ("@id", Id(lotId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadLot(reader) : null;
    }

    public async Task<IReadOnlyList<LotRecord>> ListLotsAsync(Guid? sectionId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = sectionId is { } section
            ? Command(connection, null, $"""SELECT {LotColumns} FROM "tr_bidding_lots" WHERE "section_id" = @section ORDER BY "created_at" DESC""", ("@section", Id(section)))
            : Command(connection, null, $"""SELECT {LotColumns} FROM "tr_bidding_lots" ORDER BY "created_at" DESC""");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lots = new List<LotRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lots.Add(ReadLot(reader));
        }

        return lots;
    }

    /// <summary>
    /// Lots whose timer was stopped without a Shelved entry (shelving before it was logged only cleared <c>next_due</c>):
    /// not ended, yet no timer. <see cref="BiddingEngine.ShelveStoppedLotsAsync"/> records them as shelved.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> StoppedLotsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            """SELECT "id" FROM "tr_bidding_lots" WHERE "next_due" IS NULL AND "phase" NOT IN ('Closed', 'CalledOff', 'Shelved') ORDER BY "created_at" """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var stopped = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            stopped.Add(ReadId(reader, 0));
        }

        return stopped;
    }

    /// <summary>The lots whose durable timer is due (a phase deadline or the close has passed).</summary>
    public async Task<IReadOnlyList<Guid>> DueLotsAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """SELECT "id" FROM "tr_bidding_lots" WHERE "next_due" IS NOT NULL AND "next_due" <= @now""", ("@now", now.UtcTicks));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(ReadId(reader, 0));
        }

        return due;
    }

    /// <summary>Closed lots whose close handlers have not all run yet (<see cref="LotClosedDispatcher"/>).</summary>
    public async Task<IReadOnlyList<Guid>> PendingClosesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """SELECT "id" FROM "tr_bidding_lots" WHERE "phase" = 'Closed' AND "close_handled" = 0 ORDER BY "created_at" """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pending = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add(ReadId(reader, 0));
        }

        return pending;
    }

    public async Task MarkCloseHandledAsync(Guid lotId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """UPDATE "tr_bidding_lots" SET "close_handled" = 1 WHERE "id" = @id""", ("@id", Id(lotId)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LotBidder>> BiddersAsync(Guid lotId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            """SELECT "bidder_number", "entity_id", "entity_name", "admitted_at", "admitted_by" FROM "tr_bidding_bidders" WHERE "lot_id" = @lot ORDER BY "bidder_number" """,
            ("@lot", Id(lotId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var bidders = new List<LotBidder>();
        while (await reader.ReadAsync(cancellationToken))
        {
            bidders.Add(new LotBidder(lotId, reader.GetInt32(0), ReadId(reader, 1), reader.GetString(2), new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero), reader.GetString(4)));
        }

        return bidders;
    }
}

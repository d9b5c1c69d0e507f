using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// The one lock that orders everything deciding whether a bidder's deposit stays held: every change of a section's ledger
/// (a refund decided after asking the <see cref="IDepositRefundGuard"/>s, a forfeiture, a payment) and every step that
/// starts relying on the deposit (a grant application approved, a bidder admitted to a lot) take it in the transaction
/// that records them, then read what the other side committed. PostgreSQL: the section's row, FOR UPDATE. SQLite: the
/// transaction already is the database's only writer (BEGIN IMMEDIATE), so there is nothing more to take.
/// A context's transaction also appends to the trail, so the trail's writer lock (<see cref="AuditTrail.PostgresWriterLockSql"/>)
/// is taken first: a step that recorded on the trail before deciding on the deposits and a refund that locked the section
/// before recording took the two locks in opposite orders, and PostgreSQL aborted one of them as a deadlock. (The bid
/// log's writer records nothing on the trail in its transaction, so its admissions do not wait for the trail.)
/// </summary>
public static class DepositSectionLock
{
    /// <summary>Takes the section's lock in the context's open transaction.</summary>
    public static async Task TakeAsync(TradingDbContext db, Guid sectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync(AuditTrail.PostgresWriterLockSql, cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM tr_deposit_sections WHERE section_id = {sectionId} FOR UPDATE", cancellationToken);
        }
    }

    /// <summary>Takes the section's lock in the connection's open transaction (the bid log's writer, over plain ADO.NET).</summary>
    public static async Task TakeAsync(DbConnection connection, DbTransaction? transaction, Guid sectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is not NpgsqlConnection)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM tr_deposit_sections WHERE section_id = @section FOR UPDATE";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@section";
        parameter.Value = sectionId;
        command.Parameters.Add(parameter);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Projects;

/// <summary>
/// Hands out the next project number of a centre, trade type and year from tr_project_sequences with one upsert
/// (<c>INSERT … ON CONFLICT DO UPDATE … RETURNING</c>, on SQLite and PostgreSQL alike) inside the caller's
/// transaction. The row stays write-locked until that transaction ends (PostgreSQL row lock; SQLite's single writer,
/// taken at BEGIN IMMEDIATE), so concurrent registrations queue and each gets its own number; a registration that
/// rolls back gives its number back, so no code is ever handed out twice and none is skipped by a failure.
/// </summary>
public static class ProjectCodeSequence
{
    private const string Upsert = """
        INSERT INTO "tr_project_sequences" ("centre_id", "trade_type", "year", "last_value") VALUES (@centre, @type, @year, 1)
        ON CONFLICT ("centre_id", "trade_type", "year") DO UPDATE SET "last_value" = "tr_project_sequences"."last_value" + 1
        RETURNING "last_value"
        """;

    public static async Task<int> NextAsync(TradingDbContext db, Guid centreId, string tradeType, int year, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A project number is taken inside the registration's transaction.");
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Upsert;
        Add(command, "@centre", db.Database.IsSqlite() ? centreId.ToString("D") : centreId);
        Add(command, "@type", tradeType);
        Add(command, "@year", year);
        var value = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        return value <= ProjectCode.MaxSequence
            ? value
            : throw new DomainRuleException(ProjectRules.SequenceExhausted, $"Centre {centreId} has used all {ProjectCode.MaxSequence} numbers of {tradeType} in {year}.");
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

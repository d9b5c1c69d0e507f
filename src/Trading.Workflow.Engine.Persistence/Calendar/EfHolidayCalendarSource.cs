using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Engine.Persistence.Calendar;

/// <summary>
/// The editable holiday data in wf_holiday_calendar (one row, the calendar's JSON). Until an administrator saves
/// a calendar, the official arrangements shipped with the engine are served.
/// </summary>
public sealed class EfHolidayCalendarSource(WorkflowDatabase database, TimeProvider time) : IHolidayCalendarSource
{
    private const int RowId = 1;

    public async ValueTask<HolidayCalendarData> LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        var row = await db.HolidayCalendar.AsNoTracking().FirstOrDefaultAsync(r => r.Id == RowId, cancellationToken);
        return row is null ? HolidayCalendarData.Official : HolidayCalendarData.FromJson(row.DataJson);
    }

    public async ValueTask SaveAsync(HolidayCalendarData data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        await UpdateAsync(_ => data, cancellationToken);
    }

    /// <summary>
    /// Reads, changes and writes the row in one transaction that holds it: SQLite's write lock is taken before the
    /// read (<c>BEGIN IMMEDIATE</c>), PostgreSQL locks the row (<c>FOR UPDATE</c>), so a save on another node waits
    /// and then builds on this one. Two first saves racing to insert the row: the loser reads the winner's and retries.
    /// </summary>
    public async ValueTask<HolidayCalendarData> UpdateAsync(Func<HolidayCalendarData, HolidayCalendarData> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await UpdateOnceAsync(change, cancellationToken);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // The row was inserted by a concurrent first save: run again on it.
            }
        }
    }

    private async Task<HolidayCalendarData> UpdateOnceAsync(Func<HolidayCalendarData, HolidayCalendarData> change, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // SQLite: BEGIN IMMEDIATE, synchronous like all of SQLite's I/O.
        await using DbTransaction transaction = database.Provider == DatabaseProvider.Sqlite
            ? ((SqliteConnection)connection).BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken);
        string? stored;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT \"data_json\" FROM \"wf_holiday_calendar\" WHERE \"id\" = " + RowId
                + (database.Provider == DatabaseProvider.PostgreSql ? " FOR UPDATE" : string.Empty);
            stored = await read.ExecuteScalarAsync(cancellationToken) as string;
        }

        var data = change(stored is null ? HolidayCalendarData.Official : HolidayCalendarData.FromJson(stored));
        ArgumentNullException.ThrowIfNull(data);
        var problems = data.Validate();
        if (problems.Count > 0)
        {
            throw new HolidayCalendarValidationException(problems);
        }

        await using var db = database.CreateContext(connection, transaction);
        var entity = new HolidayCalendarEntity { Id = RowId, DataJson = data.ToJson(), UpdatedAt = time.GetUtcNow() };
        if (stored is null)
        {
            db.HolidayCalendar.Add(entity);
        }
        else
        {
            db.HolidayCalendar.Update(entity);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return data;
    }
}

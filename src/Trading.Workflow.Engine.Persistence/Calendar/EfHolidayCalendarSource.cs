using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Persistence.Data;

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
        var problems = data.Validate();
        if (problems.Count > 0)
        {
            throw new HolidayCalendarValidationException(problems);
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var db = database.CreateContext(connection, transaction);
        var entity = new HolidayCalendarEntity { Id = RowId, DataJson = data.ToJson(), UpdatedAt = time.GetUtcNow() };
        if (await db.HolidayCalendar.AnyAsync(r => r.Id == RowId, cancellationToken))
        {
            db.HolidayCalendar.Update(entity);
        }
        else
        {
            db.HolidayCalendar.Add(entity);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}

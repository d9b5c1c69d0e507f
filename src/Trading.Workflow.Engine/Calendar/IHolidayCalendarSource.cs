namespace Trading.Workflow.Engine.Calendar;

/// <summary>
/// Where the editable holiday data lives: in memory for tests and the simulator, the durable store in the
/// application, an admin API on top. <see cref="SaveAsync"/> refuses invalid data with
/// <see cref="HolidayCalendarValidationException"/> and leaves the stored data unchanged.
/// </summary>
public interface IHolidayCalendarSource
{
    ValueTask<HolidayCalendarData> LoadAsync(CancellationToken cancellationToken = default);

    ValueTask SaveAsync(HolidayCalendarData data, CancellationToken cancellationToken = default);
}

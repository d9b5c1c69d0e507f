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

    /// <summary>
    /// Applies <paramref name="change"/> to the data stored now and stores the result, as one step: a change saved
    /// meanwhile by someone else (another node, another administrator) is built upon, never overwritten. Returns what
    /// was stored; invalid results throw <see cref="HolidayCalendarValidationException"/> and change nothing.
    /// </summary>
    ValueTask<HolidayCalendarData> UpdateAsync(Func<HolidayCalendarData, HolidayCalendarData> change, CancellationToken cancellationToken = default);
}

namespace Trading.Workflow.Engine.Calendar;

/// <summary>Holds the data in memory, seeded by default with the official arrangements shipped with the engine.</summary>
public sealed class InMemoryHolidayCalendarSource(HolidayCalendarData initial) : IHolidayCalendarSource
{
    private readonly Lock _gate = new();
    private HolidayCalendarData _data = Checked(initial);

    public InMemoryHolidayCalendarSource()
        : this(HolidayCalendarData.Official)
    {
    }

    public ValueTask<HolidayCalendarData> LoadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Volatile.Read(ref _data));
    }

    public ValueTask SaveAsync(HolidayCalendarData data, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Volatile.Write(ref _data, Checked(data));
        return ValueTask.CompletedTask;
    }

    public ValueTask<HolidayCalendarData> UpdateAsync(Func<HolidayCalendarData, HolidayCalendarData> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var updated = Checked(change(_data));
            Volatile.Write(ref _data, updated);
            return ValueTask.FromResult(updated);
        }
    }

    private static HolidayCalendarData Checked(HolidayCalendarData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var problems = data.Validate();
        return problems.Count == 0 ? data : throw new HolidayCalendarValidationException(problems);
    }
}

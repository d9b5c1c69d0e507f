namespace Trading.Workflow.Engine.Calendar;

/// <summary>
/// The calendar the application uses: it serves the latest <see cref="BusinessCalendar"/> built from an
/// <see cref="IHolidayCalendarSource"/> and swaps it atomically when the administrator saves new data, so a
/// computation in flight always sees one consistent version. The first use loads the source if
/// <see cref="ReloadAsync"/> has not run yet (synchronously, once); hosts with a slow store call it at start-up.
/// </summary>
public sealed class ReloadableBusinessCalendar(IHolidayCalendarSource source, TimeProvider timeProvider) : IBusinessCalendar
{
    private readonly Lock _loadLock = new();
    private readonly SemaphoreSlim _saving = new(1, 1);
    private BusinessCalendar? _current;

    public BusinessCalendar Current => Volatile.Read(ref _current) ?? LoadOnce();

    /// <summary>
    /// Years after the last one entered are counted on <see cref="ProvisionalHolidays"/> instead of throwing (the
    /// platform sets it: a deadline running into a year whose arrangement is not published yet must still be
    /// computed; the coverage warning stays until the administrator enters it).
    /// </summary>
    public bool ProvisionalFutureYears { get; init; }

    public IReadOnlyCollection<int> Years => Current.Years;

    /// <summary>
    /// Serves what the source holds now. Another node's saves reach this one only this way: the persistence's
    /// refresher calls it periodically. Returns whether this call changed what is served: a save on this node while
    /// the source was read stays served (the read may predate it).
    /// </summary>
    public async ValueTask<bool> ReloadAsync(CancellationToken cancellationToken = default)
    {
        var before = Volatile.Read(ref _current);
        var data = await source.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (before is not null && before.Data.ToJson() == data.ToJson())
        {
            return false;
        }

        var loaded = new BusinessCalendar(data, ProvisionalFutureYears);
        return Interlocked.CompareExchange(ref _current, loaded, before) == before;
    }

    /// <summary>Validates, stores and starts serving <paramref name="data"/>; invalid data throws <see cref="HolidayCalendarValidationException"/> and changes nothing.</summary>
    public ValueTask SaveAsync(HolidayCalendarData data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        return UpdateAsync(_ => data, cancellationToken);
    }

    /// <summary>
    /// Adds or replaces one year, stamped with the editor and the current time (China Standard Time). The year goes
    /// into the data stored now, not into the copy this node serves, so other years saved meanwhile (on another node,
    /// or by another administrator) stay.
    /// </summary>
    public async ValueTask SaveYearAsync(HolidayYearData year, string editedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(year);
        ArgumentException.ThrowIfNullOrWhiteSpace(editedBy);
        var stamped = year.EditedBy(editedBy, ChinaStandardTime.ToChina(timeProvider.GetUtcNow()));
        await UpdateAsync(data => data.WithYear(stamped), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes one year's data from what is stored now; dates in it then throw <see cref="CalendarDataMissingException"/>.</summary>
    public ValueTask DeleteYearAsync(int year, CancellationToken cancellationToken = default) =>
        UpdateAsync(data => data.WithoutYear(year), cancellationToken);

    private async ValueTask UpdateAsync(Func<HolidayCalendarData, HolidayCalendarData> change, CancellationToken cancellationToken)
    {
        // One save at a time on this node, so the last stored result is the one served.
        await _saving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await source.UpdateAsync(change, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _current, new BusinessCalendar(stored, ProvisionalFutureYears));
        }
        finally
        {
            _saving.Release();
        }
    }

    public bool IsWorkingDay(DateOnly date) => Current.IsWorkingDay(date);

    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days) => Current.AddWorkingDays(start, days);

    public DateTimeOffset AddCalendarDays(DateTimeOffset start, int days) => Current.AddCalendarDays(start, days);

    public int WorkingDaysBetween(DateOnly from, DateOnly to) => Current.WorkingDaysBetween(from, to);

    public DateOnly NextWorkingDay(DateOnly date) => Current.NextWorkingDay(date);

    public DateOnly PreviousWorkingDay(DateOnly date) => Current.PreviousWorkingDay(date);

    /// <summary>The coverage warning for today in China, by the injected clock.</summary>
    public CalendarCoverageWarning? CoverageWarning(int horizonDays = CalendarCoverageWarning.DefaultHorizonDays) =>
        Current.CoverageWarning(ChinaStandardTime.DateOf(timeProvider.GetUtcNow()), horizonDays);

    public CalendarCoverageWarning? CoverageWarning(DateOnly today, int horizonDays = CalendarCoverageWarning.DefaultHorizonDays) =>
        Current.CoverageWarning(today, horizonDays);

    private BusinessCalendar LoadOnce()
    {
        lock (_loadLock)
        {
            if (Volatile.Read(ref _current) is { } loaded)
            {
                return loaded;
            }

            var pending = source.LoadAsync();
            var data = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            var calendar = new BusinessCalendar(data, ProvisionalFutureYears);
            return Interlocked.CompareExchange(ref _current, calendar, null) ?? calendar;
        }
    }
}

namespace Trading.Workflow.Engine.Calendar;

/// <summary>
/// The working-day calendar over validated <see cref="HolidayCalendarData"/>. Saturdays and Sundays are off,
/// listed days off are off, listed worked weekend days are on. Each year is precomputed into a running count
/// of working days, so a lookup is an array read and shifting by n working days is a binary search.
/// Dates are reckoned in China Standard Time: a <see cref="DateTimeOffset"/> argument is converted to +08:00
/// first and the result carries +08:00. Immutable and thread-safe; build a new one when the data changes.
/// </summary>
public sealed class BusinessCalendar : IBusinessCalendar
{
    private readonly YearTable?[] _tables;
    private readonly int _firstYear;
    private readonly int _lastYear;
    private readonly bool _provisionalFuture;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, YearTable> _provisional = new();

    /// <param name="provisionalFutureYears">
    /// True: a year after the last year of <paramref name="data"/> is counted on <see cref="ProvisionalHolidays"/>
    /// instead of throwing <see cref="CalendarDataMissingException"/> (the data and <see cref="Years"/> stay as they are,
    /// so the coverage warning keeps showing).
    /// </param>
    public BusinessCalendar(HolidayCalendarData data, bool provisionalFutureYears = false)
    {
        _provisionalFuture = provisionalFutureYears;
        ArgumentNullException.ThrowIfNull(data);
        var problems = data.Validate();
        if (problems.Count > 0)
        {
            throw new HolidayCalendarValidationException(problems);
        }

        Data = data;
        Years = [.. data.Years.Select(y => y.Year)];
        if (data.Years.Count == 0)
        {
            _tables = [];
            return;
        }

        _firstYear = data.Years[0].Year;
        _lastYear = data.Years[^1].Year;
        _tables = new YearTable?[data.Years[^1].Year - _firstYear + 1];
        foreach (var year in data.Years)
        {
            _tables[year.Year - _firstYear] = new YearTable(year);
        }
    }

    /// <summary>The calendar over the arrangements shipped with the engine.</summary>
    public static BusinessCalendar Official { get; } = new(HolidayCalendarData.Official);

    public static async ValueTask<BusinessCalendar> LoadAsync(IHolidayCalendarSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new BusinessCalendar(await source.LoadAsync(cancellationToken).ConfigureAwait(false));
    }

    public HolidayCalendarData Data { get; }

    public IReadOnlyCollection<int> Years { get; }

    public bool IsWorkingDay(DateOnly date) => Table(date.Year).IsWorking(date.DayOfYear - 1);

    /// <summary>True when <paramref name="year"/> is counted on the provisional statutory holidays (no data entered).</summary>
    public bool IsProvisional(int year) => _provisionalFuture && year > _lastYear && _tables.Length > 0 && ProvisionalHolidays.Supports(year);

    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
    {
        var local = ChinaStandardTime.ToChina(start);
        var date = DateOnly.FromDateTime(local.DateTime);
        return At(ShiftWorkingDays(date, days), local.TimeOfDay);
    }

    /// <summary>
    /// Counting forwards, a last day off moves to the next working day (Civil Code art. 203). Counting backwards
    /// (a minimum period before an event), it moves to the previous working day, so the period is never shortened.
    /// Zero days returns the start unchanged.
    /// </summary>
    public DateTimeOffset AddCalendarDays(DateTimeOffset start, int days)
    {
        var local = ChinaStandardTime.ToChina(start);
        if (days == 0)
        {
            return local;
        }

        var last = DateOnly.FromDateTime(local.DateTime).AddDays(days);
        if (!IsWorkingDay(last))
        {
            last = ShiftWorkingDays(last, days > 0 ? 1 : -1);
        }

        return At(last, local.TimeOfDay);
    }

    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (from <= to)
        {
            return Cumulative(to, from.Year) - Cumulative(from, from.Year);
        }

        // to <= d < from, negated.
        var inclusive = Cumulative(from, to.Year) - Cumulative(to, to.Year) + (IsWorkingDay(to) ? 1 : 0);
        return -(inclusive - (IsWorkingDay(from) ? 1 : 0));
    }

    public DateOnly NextWorkingDay(DateOnly date) => ShiftWorkingDays(date, 1);

    public DateOnly PreviousWorkingDay(DateOnly date) => ShiftWorkingDays(date, -1);

    public CalendarCoverageWarning? CoverageWarning(DateOnly today, int horizonDays = CalendarCoverageWarning.DefaultHorizonDays) =>
        CalendarCoverageWarning.Evaluate(Years, today, horizonDays);

    /// <summary>The date <paramref name="days"/> working days from <paramref name="date"/>, the date itself not counted.</summary>
    public DateOnly ShiftWorkingDays(DateOnly date, int days)
    {
        var year = date.Year;
        var table = Table(year);
        var index = date.DayOfYear - 1;
        if (days > 0)
        {
            long remaining = days;
            var before = table.CountThrough(index);
            while (true)
            {
                var available = table.Total - before;
                if (remaining <= available)
                {
                    return table.DateOfRank(before + (int)remaining);
                }

                remaining -= available;
                table = Table(++year);
                before = 0;
            }
        }

        if (days < 0)
        {
            var remaining = -(long)days;
            var available = table.CountBefore(index);
            while (true)
            {
                if (remaining <= available)
                {
                    return table.DateOfRank(available - (int)remaining + 1);
                }

                remaining -= available;
                table = Table(--year);
                available = table.Total;
            }
        }

        return date;
    }

    /// <summary>Working days from 1 January of <paramref name="baseYear"/> through <paramref name="date"/>.</summary>
    private int Cumulative(DateOnly date, int baseYear)
    {
        var count = 0;
        for (var year = baseYear; year < date.Year; year++)
        {
            count += Table(year).Total;
        }

        return count + Table(date.Year).CountThrough(date.DayOfYear - 1);
    }

    private YearTable Table(int year)
    {
        var index = year - _firstYear;
        if ((uint)index < (uint)_tables.Length && _tables[index] is { } table)
        {
            return table;
        }

        return IsProvisional(year)
            ? _provisional.GetOrAdd(year, y => new YearTable(ProvisionalHolidays.For(y)))
            : throw new CalendarDataMissingException(year);
    }

    private static DateTimeOffset At(DateOnly date, TimeSpan timeOfDay) =>
        new(date.ToDateTime(TimeOnly.MinValue).Add(timeOfDay), ChinaStandardTime.Offset);

    /// <summary>
    /// Running[i] = working days among the year's first i days, so day i works when Running[i+1] &gt; Running[i]
    /// and the k-th working day is found by binary search.
    /// </summary>
    private sealed class YearTable
    {
        private readonly int[] _running;
        private readonly DateOnly _first;

        public YearTable(HolidayYearData data)
        {
            _first = new DateOnly(data.Year, 1, 1);
            var length = DateTime.IsLeapYear(data.Year) ? 366 : 365;
            var working = new bool[length];
            for (var i = 0; i < length; i++)
            {
                working[i] = _first.AddDays(i).DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
            }

            foreach (var day in data.DaysOff)
            {
                working[day.DayOfYear - 1] = false;
            }

            foreach (var day in data.WorkedWeekendDays)
            {
                working[day.DayOfYear - 1] = true;
            }

            _running = new int[length + 1];
            for (var i = 0; i < length; i++)
            {
                _running[i + 1] = _running[i] + (working[i] ? 1 : 0);
            }
        }

        public int Total => _running[^1];

        public bool IsWorking(int index) => _running[index + 1] != _running[index];

        public int CountBefore(int index) => _running[index];

        public int CountThrough(int index) => _running[index + 1];

        /// <summary>The date of the rank-th working day of the year (1-based).</summary>
        public DateOnly DateOfRank(int rank)
        {
            // Smallest i with _running[i] >= rank; the day is i - 1.
            int lo = 1, hi = _running.Length - 1;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_running[mid] >= rank)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            return _first.AddDays(lo - 1);
        }
    }
}

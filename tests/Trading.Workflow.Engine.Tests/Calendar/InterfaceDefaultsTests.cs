using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Engine.Tests.Calendar;

/// <summary>The interface's default members must agree with BusinessCalendar's fast ones, so any other calendar behaves the same.</summary>
public sealed class InterfaceDefaultsTests
{
    private readonly BusinessCalendar _fast = BusinessCalendar.Official;
    private readonly IBusinessCalendar _plain = new MinimalCalendar(BusinessCalendar.Official);

    [Fact]
    public void WorkingDaysBetween_DefaultImplementation_AgreesWithBusinessCalendar()
    {
        var start = new DateOnly(2026, 9, 15);
        for (var end = new DateOnly(2026, 1, 1); end <= new DateOnly(2026, 12, 31); end = end.AddDays(3))
        {
            Assert.Equal(_fast.WorkingDaysBetween(start, end), _plain.WorkingDaysBetween(start, end));
        }
    }

    [Fact]
    public void NextWorkingDay_DefaultImplementation_AgreesWithBusinessCalendar()
    {
        Assert.Equal(_fast.NextWorkingDay(new DateOnly(2026, 2, 14)), _plain.NextWorkingDay(new DateOnly(2026, 2, 14)));
    }

    [Fact]
    public void CoverageWarning_DefaultImplementation_AgreesWithBusinessCalendar()
    {
        Assert.Equal(_fast.CoverageWarning(new DateOnly(2026, 12, 1)), _plain.CoverageWarning(new DateOnly(2026, 12, 1)));
    }

    private sealed class MinimalCalendar(BusinessCalendar inner) : IBusinessCalendar
    {
        public IReadOnlyCollection<int> Years => inner.Years;

        public bool IsWorkingDay(DateOnly date) => inner.IsWorkingDay(date);

        public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days) => inner.AddWorkingDays(start, days);

        public DateTimeOffset AddCalendarDays(DateTimeOffset start, int days) => inner.AddCalendarDays(start, days);
    }
}

using System.Globalization;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Timers;

namespace Trading.Workflow.Engine.Tests.Timers;

public sealed class TimerNextDueTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private readonly IBusinessCalendar _calendar = BusinessCalendar.Official;

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    [Fact]
    public void NextDue_Date_IsTheDateInChinaTimeWhateverTheArmingTime()
    {
        var definition = TimerDefinition.Parse("2026-10-08T01:00Z");

        var due = definition.NextDue(At("2026-12-01T00:00:00+08:00"), null);

        Assert.Equal(At("2026-10-08T09:00:00+08:00"), due);
        Assert.Equal(China, due!.Value.Offset);
    }

    [Fact]
    public void NextDue_HourDuration_IsOneHourAfterArming()
    {
        var due = TimerDefinition.Parse("PT1H").NextDue(At("2026-03-02T09:15:00+08:00"), null);

        Assert.Equal(At("2026-03-02T10:15:00+08:00"), due);
    }

    [Fact]
    public void NextDue_DurationArmedInUtc_IsTheSameInstantShownInChinaTime()
    {
        var due = TimerDefinition.Parse("PT1H").NextDue(At("2026-03-02T01:15:00Z"), null);

        Assert.Equal(At("2026-03-02T10:15:00+08:00"), due);
        Assert.Equal(China, due!.Value.Offset);
    }

    [Fact]
    public void NextDue_OneMonthFrom31January_ClampsTo28February()
    {
        var due = TimerDefinition.Parse("P1M").NextDue(At("2026-01-31T10:00:00+08:00"), null);

        Assert.Equal(At("2026-02-28T10:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_DaysCountOnTheChineseCalendarDate()
    {
        // 20:00Z on 31 Jan is 04:00 on 1 Feb in China: one month later is 1 Mar, not 28 Feb.
        var due = TimerDefinition.Parse("P1M").NextDue(At("2026-01-31T20:00:00Z"), null);

        Assert.Equal(At("2026-03-01T04:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_FiveWorkingDaysAfter30September2026_Is13October()
    {
        var due = TimerDefinition.Parse("P5WD").NextDue(At("2026-09-30T10:00:00+08:00"), _calendar);

        Assert.Equal(At("2026-10-13T10:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_FiveWorkingDaysEndOfDay_IsMidnightAfterThe5thWorkingDay()
    {
        var due = TimerDefinition.Parse("P5WD/EOD").NextDue(At("2026-09-30T10:00:00+08:00"), _calendar);

        Assert.Equal(At("2026-10-14T00:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_TenCalendarDaysEndingOnNationalDay_RollsTo8October()
    {
        var due = TimerDefinition.Parse("P10CD").NextDue(At("2026-09-21T09:00:00+08:00"), _calendar);

        Assert.Equal(At("2026-10-08T09:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_TenCalendarDaysEndOfDay_Is24h00Of8October()
    {
        var due = TimerDefinition.Parse("P10CD/EOD").NextDue(At("2026-09-21T09:00:00+08:00"), _calendar);

        Assert.Equal(At("2026-10-09T00:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_PlainDaysEndOfDay_IsMidnightAfterTheLastDay()
    {
        var due = TimerDefinition.Parse("P1D/EOD").NextDue(At("2026-03-02T15:00:00+08:00"), null);

        Assert.Equal(At("2026-03-04T00:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_WorkingDaysWithoutCalendar_ThrowsInBothLanguages()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => TimerDefinition.Parse("P5WD").NextDue(At("2026-09-30T10:00:00+08:00"), null));

        Assert.Contains("工作日历", ex.Message);
        Assert.Contains("working-day calendar", ex.Message);
    }

    [Fact]
    public void NextDue_WorkingDaysInto2027_ThrowsNaming2027()
    {
        var ex = Assert.Throws<CalendarDataMissingException>(() => TimerDefinition.Parse("P10WD").NextDue(At("2026-12-24T10:00:00+08:00"), _calendar));

        Assert.Equal(2027, ex.Year);
    }

    [Fact]
    public void NextDue_CountedCycle_IsOneIntervalAfterArming()
    {
        var due = TimerDefinition.Parse("R3/PT10M").NextDue(At("2026-03-02T09:00:00+08:00"), null);

        Assert.Equal(At("2026-03-02T09:10:00+08:00"), due);
    }

    [Fact]
    public void AfterFire_CountedCycle_CountsDownToNull()
    {
        var due = At("2026-03-02T09:10:00+08:00");
        var cycle = TimerDefinition.Parse("R3/PT10M");
        var seen = new List<(int? Left, DateTimeOffset Due)>();

        for (var current = cycle; current is not null; current = current.AfterFire(due, null))
        {
            due = current.NextDue(due, null)!.Value;
            seen.Add((current.RepetitionsLeft, due));
        }

        Assert.Equal(
            [(3, At("2026-03-02T09:20:00+08:00")), (2, At("2026-03-02T09:30:00+08:00")), (1, At("2026-03-02T09:40:00+08:00"))],
            seen);
    }

    [Fact]
    public void AfterFire_CountedCycle_SuccessorTextHasOneFewerRepetition()
    {
        var next = TimerDefinition.Parse("R3/PT10M").AfterFire(At("2026-03-02T09:10:00+08:00"), null);

        Assert.Equal("R2/PT10M", next!.Text);
    }

    [Fact]
    public void AfterFire_UnboundedCycle_ReturnsTheSameDefinition()
    {
        var cycle = TimerDefinition.Parse("R/PT10M");

        Assert.Same(cycle, cycle.AfterFire(At("2026-03-02T09:10:00+08:00"), null));
    }

    [Fact]
    public void AfterFire_DateAndDuration_AreDone()
    {
        var at = At("2026-03-02T09:10:00+08:00");

        Assert.Null(TimerDefinition.Parse("2026-03-02T09:10").AfterFire(at, null));
        Assert.Null(TimerDefinition.Parse("PT10M").AfterFire(at, null));
    }

    [Fact]
    public void NextDue_CycleWithFutureStart_IsTheStart()
    {
        var due = TimerDefinition.Parse("R/2026-01-01T09:00+08:00/P1M").NextDue(At("2025-12-01T00:00:00+08:00"), null);

        Assert.Equal(At("2026-01-01T09:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_CycleArmedExactlyAtStart_IsTheStart()
    {
        var due = TimerDefinition.Parse("R/2026-01-01T09:00+08:00/P1M").NextDue(At("2026-01-01T09:00:00+08:00"), null);

        Assert.Equal(At("2026-01-01T09:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_CycleWithPastStart_IsTheFirstOccurrenceNotBeforeArming()
    {
        var due = TimerDefinition.Parse("R/2026-01-01T09:00+08:00/P1M").NextDue(At("2026-02-15T00:00:00+08:00"), null);

        Assert.Equal(At("2026-03-01T09:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_CountedCycleWithStart_AfterItsLastOccurrence_IsNull()
    {
        var due = TimerDefinition.Parse("R3/2026-01-01T09:00+08:00/P1M").NextDue(At("2026-03-01T09:00:01+08:00"), null);

        Assert.Null(due);
    }

    [Fact]
    public void AfterFire_CycleWithStart_MovesStartToNextOccurrenceAndCountsDown()
    {
        var next = TimerDefinition.Parse("R3/2026-01-01T09:00+08:00/P1M").AfterFire(At("2026-01-01T09:00:00+08:00"), null);

        Assert.Equal("R2/2026-02-01T09:00:00+08:00/P1M", next!.Text);
        Assert.Equal(At("2026-02-01T09:00:00+08:00"), next.NextDue(At("2026-01-01T09:00:00+08:00"), null));
    }

    [Fact]
    public void AfterFire_CycleWithStart_LastOccurrence_IsDone()
    {
        var last = TimerDefinition.Parse("R3/2026-01-01T09:00+08:00/P1M").AfterFire(At("2026-03-01T09:00:00+08:00"), null);

        Assert.Null(last);
    }

    [Fact]
    public void AfterFire_CycleWithStart_CountsMissedOccurrencesAsUsed()
    {
        // Occurrences at 00:00, 01:00, 02:00 are all at or before 02:30; 03:00 is the 4th of 5.
        var next = TimerDefinition.Parse("R5/2026-01-01T00:00+08:00/PT1H").AfterFire(At("2026-01-01T02:30:00+08:00"), null);

        Assert.Equal("R2/2026-01-01T03:00:00+08:00/PT1H", next!.Text);
    }

    [Fact]
    public void NextDue_MonthlyCycleFrom31January_StepsFromThePreviousOccurrence()
    {
        var cycle = TimerDefinition.Parse("R/2026-01-31T09:00+08:00/P1M");

        var due = cycle.NextDue(At("2026-03-01T00:00:00+08:00"), null);

        Assert.Equal(At("2026-03-28T09:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_CalendarDayCycle_RollsEachOccurrencePastDaysOff()
    {
        var cycle = TimerDefinition.Parse("R/P10CD");

        var first = cycle.NextDue(At("2026-09-21T09:00:00+08:00"), BusinessCalendar.Official);

        Assert.Equal(At("2026-10-08T09:00:00+08:00"), first);
    }

    [Fact]
    public void NextDue_MinuteCycleStartedYearsAgo_JumpsStraightToTheNextMinute()
    {
        var due = TimerDefinition.Parse("R/2020-01-01T00:00Z/PT1M").NextDue(At("2026-11-21T12:00:30Z"), null);

        Assert.Equal(At("2026-11-21T12:01:00Z"), due);
    }

    [Fact]
    public void NextDue_CycleWithEnd_BeforeTheEnd_IsOneIntervalLater()
    {
        var due = TimerDefinition.Parse("R/PT1H/2026-01-01T00:00Z").NextDue(At("2025-12-31T22:30:00Z"), null);

        Assert.Equal(At("2025-12-31T23:30:00Z"), due);
    }

    [Fact]
    public void NextDue_CycleWithEnd_PastTheEnd_IsNull()
    {
        var due = TimerDefinition.Parse("R/PT1H/2026-01-01T00:00Z").NextDue(At("2025-12-31T23:30:00Z"), null);

        Assert.Null(due);
    }

    [Fact]
    public void NextDue_WorkingDayCycle_StepsOverSpringFestival()
    {
        var cycle = TimerDefinition.Parse("R/P1WD");

        var first = cycle.NextDue(At("2026-02-13T09:00:00+08:00"), _calendar)!.Value;
        var second = cycle.AfterFire(first, _calendar)!.NextDue(first, _calendar);

        Assert.Equal(At("2026-02-14T09:00:00+08:00"), first);
        Assert.Equal(At("2026-02-24T09:00:00+08:00"), second);
    }

    [Fact]
    public void NextDue_WorkingDayCycleWithStart_SkipsNationalDay()
    {
        var due = TimerDefinition.Parse("R/2026-09-28T09:00+08:00/P1WD").NextDue(At("2026-10-01T00:00:00+08:00"), _calendar);

        Assert.Equal(At("2026-10-08T09:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_DailyCron_LaterTheSameDay()
    {
        var due = TimerDefinition.Parse("0 0 9 * * ?").NextDue(At("2026-03-02T08:00:00+08:00"), null);

        Assert.Equal(At("2026-03-02T09:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_DailyCronAtItsFireTime_IsTheNextDay()
    {
        var due = TimerDefinition.Parse("0 0 9 * * ?").NextDue(At("2026-03-02T09:00:00+08:00"), null);

        Assert.Equal(At("2026-03-03T09:00:00+08:00"), due);
    }

    [Fact]
    public void NextDue_CronArmedInUtc_FiresOnChinaTime()
    {
        // 02:00Z is 10:00 in China, after today's 09:00.
        var due = TimerDefinition.Parse("0 0 9 * * ?").NextDue(At("2026-03-02T02:00:00Z"), null);

        Assert.Equal(At("2026-03-03T09:00:00+08:00"), due);
    }

    [Fact]
    public void AfterFire_Cron_ReturnsTheSameDefinition()
    {
        var cron = TimerDefinition.Parse("0 0 9 * * ?");

        Assert.Same(cron, cron.AfterFire(At("2026-03-02T09:00:00+08:00"), null));
    }
}

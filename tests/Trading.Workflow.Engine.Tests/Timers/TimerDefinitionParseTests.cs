using Trading.Workflow.Engine.Timers;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Tests.Timers;

public sealed class TimerDefinitionParseTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static TimerDefinition Ok(string text)
    {
        Assert.True(TimerDefinition.TryParse(text, out var definition, out var error), error?.ToString());
        return definition;
    }

    private static TimerParseError Fails(string? text)
    {
        Assert.False(TimerDefinition.TryParse(text, out var definition, out var error));
        Assert.Null(definition);
        Assert.False(string.IsNullOrWhiteSpace(error.MessageZh));
        Assert.False(string.IsNullOrWhiteSpace(error.MessageEn));
        return error;
    }

    [Fact]
    public void TryParse_DateWithOffset_IsDateAtThatInstant()
    {
        var definition = Ok("2026-10-08T09:00:00+08:00");

        Assert.Equal(TimerKind.Date, definition.Kind);
        Assert.Equal(new DateTimeOffset(2026, 10, 8, 9, 0, 0, China), definition.Date);
    }

    [Fact]
    public void TryParse_DateInUtc_KeepsUtcOffset()
    {
        var definition = Ok("2026-10-08T01:00Z");

        Assert.Equal(TimeSpan.Zero, definition.Date!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 10, 8, 9, 0, 0, China), definition.Date);
    }

    [Fact]
    public void TryParse_DateWithoutOffset_IsChinaStandardTime()
    {
        var definition = Ok("2026-10-08T09:30");

        Assert.Equal(new DateTimeOffset(2026, 10, 8, 9, 30, 0, China), definition.Date);
        Assert.Equal(China, definition.Date!.Value.Offset);
    }

    [Fact]
    public void TryParse_DateOnly_IsMidnightChinaStandardTime()
    {
        Assert.Equal(new DateTimeOffset(2026, 10, 8, 0, 0, 0, China), Ok("2026-10-08").Date);
    }

    [Fact]
    public void TryParse_DateWithFractionAndCompactOffset_KeepsBoth()
    {
        var definition = Ok("2026-10-08T09:00:00.250-0530");

        Assert.Equal(new DateTimeOffset(2026, 10, 8, 9, 0, 0, 250, new TimeSpan(-5, -30, 0)), definition.Date);
    }

    [Fact]
    public void TryParse_DateWithHourOnlyOffset_UsesThatOffset()
    {
        Assert.Equal(new DateTimeOffset(2026, 10, 8, 9, 0, 0, China), Ok("2026-10-08T09:00+08").Date);
    }

    [Theory]
    [InlineData("2026-02-30T09:00")]
    [InlineData("2026-10-08T25:00")]
    [InlineData("2026-10-08T09:00+15:00")]
    [InlineData("tomorrow")]
    [InlineData("2026/10/08")]
    public void TryParse_InvalidDate_ReportsInvalidDateNamingTheText(string text)
    {
        var error = Fails(text);

        Assert.Equal(TimerParseErrorCode.InvalidDate, error.Code);
        Assert.Contains(text.ToUpperInvariant(), error.MessageEn);
        Assert.Contains("+08:00", error.MessageZh);
    }

    [Theory]
    [InlineData("P5D", 0, 0, 5, 0)]
    [InlineData("PT1H", 0, 0, 0, 60)]
    [InlineData("P1M", 0, 1, 0, 0)]
    [InlineData("P1Y2M3DT4M", 1, 2, 3, 4)]
    [InlineData("P2W", 0, 0, 14, 0)]
    public void TryParse_IsoDuration_IsDurationWithThoseParts(string text, int years, int months, int days, int minutes)
    {
        var definition = Ok(text);

        Assert.Equal(TimerKind.Duration, definition.Kind);
        Assert.Equal(TimerDurationUnit.Iso, definition.Duration!.Unit);
        Assert.Equal(new IsoDuration(years, months, days, TimeSpan.FromMinutes(minutes)), definition.Duration.Iso);
        Assert.False(definition.NeedsCalendar);
    }

    [Fact]
    public void TryParse_WorkingDays_IsWorkingDayDurationNeedingCalendar()
    {
        var definition = Ok("P5WD");

        Assert.Equal(TimerDurationUnit.WorkingDays, definition.Duration!.Unit);
        Assert.Equal(5, definition.Duration.Days);
        Assert.False(definition.Duration.EndOfDay);
        Assert.True(definition.NeedsCalendar);
    }

    [Fact]
    public void TryParse_CalendarDays_IsCivilCodeDurationNeedingCalendar()
    {
        var definition = Ok("P10CD");

        Assert.Equal(TimerDurationUnit.CalendarDays, definition.Duration!.Unit);
        Assert.Equal(10, definition.Duration.Days);
        Assert.True(definition.NeedsCalendar);
    }

    [Theory]
    [InlineData("P5WD/EOD", TimerDurationUnit.WorkingDays)]
    [InlineData("P10CD/EOD", TimerDurationUnit.CalendarDays)]
    [InlineData("P3D/EOD", TimerDurationUnit.Iso)]
    public void TryParse_EndOfDaySuffix_SetsEndOfDay(string text, TimerDurationUnit unit)
    {
        var definition = Ok(text);

        Assert.Equal(unit, definition.Duration!.Unit);
        Assert.True(definition.Duration.EndOfDay);
    }

    [Fact]
    public void TryParse_LowerCaseWorkingDays_IsAccepted()
    {
        Assert.Equal("P5WD/EOD", Ok("p5wd/eod").Text);
    }

    [Theory]
    [InlineData("P5X")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P5.5WD")]
    [InlineData("P5WD/XYZ")]
    [InlineData("P99999999999WD")]
    public void TryParse_InvalidDuration_ReportsInvalidDurationWithExamples(string text)
    {
        var error = Fails(text);

        Assert.Equal(TimerParseErrorCode.InvalidDuration, error.Code);
        Assert.Contains("P5WD", error.MessageZh);
        Assert.Contains("P5WD", error.MessageEn);
    }

    [Fact]
    public void TryParse_NegativeDuration_ReportsNegativeDuration()
    {
        Assert.Equal(TimerParseErrorCode.NegativeDuration, Fails("-P1D").Code);
    }

    [Fact]
    public void TryParse_UnboundedCycle_HasNoRepetitionLimit()
    {
        var definition = Ok("R/PT10M");

        Assert.Equal(TimerKind.Cycle, definition.Kind);
        Assert.Null(definition.RepetitionsLeft);
        Assert.Equal(TimeSpan.FromMinutes(10), definition.Duration!.FixedLength);
        Assert.Null(definition.CycleStart);
        Assert.Null(definition.CycleEnd);
    }

    [Fact]
    public void TryParse_CountedCycle_HasRepetitions()
    {
        Assert.Equal(3, Ok("R3/PT10M").RepetitionsLeft);
    }

    [Fact]
    public void TryParse_CycleWithStart_HasStartAndInterval()
    {
        var definition = Ok("R/2026-01-01T09:00+08:00/P1M");

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 9, 0, 0, China), definition.CycleStart);
        Assert.Equal(1, definition.Duration!.Iso.Months);
        Assert.Null(definition.RepetitionsLeft);
    }

    [Fact]
    public void TryParse_CycleWithEnd_HasEndAndInterval()
    {
        var definition = Ok("R3/PT1H/2026-01-01T00:00Z");

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), definition.CycleEnd);
        Assert.Equal(3, definition.RepetitionsLeft);
        Assert.Null(definition.CycleStart);
    }

    [Fact]
    public void TryParse_WorkingDayCycle_IsCycleNeedingCalendar()
    {
        var definition = Ok("R/P1WD");

        Assert.Equal(TimerKind.Cycle, definition.Kind);
        Assert.Equal(TimerDurationUnit.WorkingDays, definition.Duration!.Unit);
        Assert.True(definition.NeedsCalendar);
    }

    [Theory]
    [InlineData("R0/PT1M")]
    [InlineData("RX/PT1M")]
    [InlineData("R-1/PT1M")]
    public void TryParse_BadRepetitionCount_ReportsInvalidRepetitions(string text)
    {
        var error = Fails(text);

        Assert.Equal(TimerParseErrorCode.InvalidRepetitions, error.Code);
        Assert.Contains("R3", error.MessageEn);
    }

    [Fact]
    public void TryParse_CycleWithZeroInterval_ReportsZeroCycleDuration()
    {
        Assert.Equal(TimerParseErrorCode.ZeroCycleDuration, Fails("R/PT0S").Code);
    }

    [Fact]
    public void TryParse_CycleWithZeroWorkingDays_ReportsZeroCycleDuration()
    {
        Assert.Equal(TimerParseErrorCode.ZeroCycleDuration, Fails("R/P0WD").Code);
    }

    [Theory]
    [InlineData("R/P1WD/EOD")]
    [InlineData("2026-10-08/EOD")]
    public void TryParse_EndOfDayOutsideASingleDuration_ReportsEndOfDayNotAllowed(string text)
    {
        var error = Fails(text);

        Assert.Equal(TimerParseErrorCode.EndOfDayNotAllowed, error.Code);
        Assert.Contains("timeDuration", error.MessageEn);
    }

    [Fact]
    public void TryParse_CycleStartAndEndWithoutInterval_ReportsStartAndEndNotSupported()
    {
        Assert.Equal(TimerParseErrorCode.StartAndEndNotSupported, Fails("R/2026-01-01T00:00Z/2026-02-01T00:00Z").Code);
    }

    [Fact]
    public void TryParse_CycleWithBadStart_ReportsInvalidDateOfThatPart()
    {
        var error = Fails("R/2026-13-01T00:00/P1D");

        Assert.Equal(TimerParseErrorCode.InvalidDate, error.Code);
        Assert.Contains("2026-13-01T00:00", error.MessageEn);
    }

    [Theory]
    [InlineData("R")]
    [InlineData("R/PT1M/2026-01-01T00:00Z/x")]
    public void TryParse_MalformedCycle_ReportsInvalidCycle(string text)
    {
        var error = Fails(text);

        Assert.Equal(TimerParseErrorCode.InvalidCycle, error.Code);
        Assert.Contains("R/", error.MessageZh);
    }

    [Fact]
    public void TryParse_CycleWithBadInterval_ReportsInvalidDuration()
    {
        Assert.Equal(TimerParseErrorCode.InvalidDuration, Fails("R3/P1Q").Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void TryParse_Empty_ReportsEmpty(string? text)
    {
        Assert.Equal(TimerParseErrorCode.Empty, Fails(text).Code);
    }

    [Theory]
    [InlineData("${dueDate}")]
    [InlineData("P${days}D")]
    [InlineData("#{timer.cycle}")]
    [InlineData("=today() + duration(\"P1D\")")]
    [InlineData("  = x")]
    public void IsExpression_ExpressionText_IsTrue(string text)
    {
        Assert.True(TimerDefinition.IsExpression(text));
    }

    [Theory]
    [InlineData("P5D")]
    [InlineData("R/PT10M")]
    [InlineData("0 0 9 * * ?")]
    [InlineData("2026-10-08T09:00")]
    [InlineData(null)]
    public void IsExpression_LiteralText_IsFalse(string? text)
    {
        Assert.False(TimerDefinition.IsExpression(text));
    }

    [Fact]
    public void TryParse_Expression_ReportsExpressionToEvaluateFirst()
    {
        var error = Fails("${deadline}");

        Assert.Equal(TimerParseErrorCode.Expression, error.Code);
        Assert.Contains("${deadline}", error.MessageEn);
    }

    [Fact]
    public void TryParse_CycleAsTimeDuration_ReportsKindMismatch()
    {
        Assert.False(TimerDefinition.TryParse("R/PT1M", TimerKind.Duration, out _, out var error));

        Assert.Equal(TimerParseErrorCode.KindMismatch, error.Code);
        Assert.Contains("timeDuration", error.MessageEn);
        Assert.Contains("timeCycle", error.MessageZh);
    }

    [Fact]
    public void TryParse_DurationAsTimeCycle_ReportsKindMismatch()
    {
        Assert.False(TimerDefinition.TryParse("P5D", TimerKind.Cycle, out _, out var error));

        Assert.Equal(TimerParseErrorCode.KindMismatch, error.Code);
    }

    [Fact]
    public void TryParse_DurationAsTimeDate_ReportsKindMismatch()
    {
        Assert.False(TimerDefinition.TryParse("P5WD", TimerKind.Date, out _, out var error));

        Assert.Equal(TimerParseErrorCode.KindMismatch, error.Code);
    }

    [Fact]
    public void TryParse_InvalidTextOfTheExpectedKind_ReportsTheParseErrorNotAMismatch()
    {
        Assert.False(TimerDefinition.TryParse("P5X", TimerKind.Duration, out _, out var error));

        Assert.Equal(TimerParseErrorCode.InvalidDuration, error.Code);
    }

    [Theory]
    [InlineData("2026-10-08T09:00:00+08:00", TimerKind.Date)]
    [InlineData("P5WD/EOD", TimerKind.Duration)]
    [InlineData("R3/PT10M", TimerKind.Cycle)]
    [InlineData("0 0 9 ? * MON-FRI", TimerKind.Cycle)]
    public void TryParse_WithMatchingKind_Succeeds(string text, TimerKind kind)
    {
        Assert.True(TimerDefinition.TryParse(text, kind, out var definition, out _));
        Assert.Equal(kind, definition.Kind);
    }

    [Theory]
    [InlineData("2026-10-08T09:00", "2026-10-08T09:00:00+08:00")]
    [InlineData("2026-10-08T01:00:00.5Z", "2026-10-08T01:00:00.5+00:00")]
    [InlineData("P1W", "P7D")]
    [InlineData("p10cd", "P10CD")]
    [InlineData("R/PT10M", "R/PT10M")]
    [InlineData("R3/2026-01-01T09:00+08:00/P1M", "R3/2026-01-01T09:00:00+08:00/P1M")]
    [InlineData("R/PT1H/2026-01-01T00:00Z", "R/PT1H/2026-01-01T00:00:00+00:00")]
    [InlineData("0  0 9 ? *  mon-fri", "0 0 9 ? * MON-FRI")]
    public void Text_IsCanonicalAndParsesBackToAnEqualDefinition(string written, string canonical)
    {
        var definition = Ok(written);

        Assert.Equal(canonical, definition.Text);
        Assert.Equal(definition, TimerDefinition.Parse(definition.Text));
    }

    [Fact]
    public void Parse_InvalidText_ThrowsTimerFormatExceptionWithBothLanguages()
    {
        var ex = Assert.Throws<TimerFormatException>(() => TimerDefinition.Parse("P5X"));

        Assert.Equal(TimerParseErrorCode.InvalidDuration, ex.Error.Code);
        Assert.Contains(ex.Error.MessageZh, ex.Message);
        Assert.Contains(ex.Error.MessageEn, ex.Message);
    }
}

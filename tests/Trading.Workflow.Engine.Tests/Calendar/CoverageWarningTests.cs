using System.Globalization;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Engine.Tests.Calendar;

public sealed class CoverageWarningTests
{
    private readonly BusinessCalendar _calendar = BusinessCalendar.Official;

    [Fact]
    public void CoverageWarning_40DaysBeforeDataEnds_WarnsThat2027IsMissing()
    {
        var warning = _calendar.CoverageWarning(new DateOnly(2026, 11, 21));

        Assert.NotNull(warning);
        Assert.Equal(CalendarCoverageProblem.EndingSoon, warning.Problem);
        Assert.Equal(2027, warning.MissingYear);
        Assert.Equal(new DateOnly(2026, 12, 31), warning.CoveredUntil);
        Assert.Equal(40, warning.DaysLeft);
        Assert.Contains("2027", warning.MessageZh);
        Assert.Contains("2027", warning.MessageEn);
    }

    [Fact]
    public void CoverageWarning_MidYearWithDefaultHorizon_IsNull()
    {
        Assert.Null(_calendar.CoverageWarning(new DateOnly(2026, 6, 1)));
    }

    [Fact]
    public void CoverageWarning_LongHorizon_WarnsEarlier()
    {
        var warning = _calendar.CoverageWarning(new DateOnly(2026, 6, 1), horizonDays: 365);

        Assert.NotNull(warning);
        Assert.Equal(213, warning.DaysLeft);
    }

    [Fact]
    public void CoverageWarning_HorizonEndsExactlyOnLastCoveredDay_IsNull()
    {
        Assert.Null(_calendar.CoverageWarning(new DateOnly(2026, 10, 2), horizonDays: 90));
    }

    [Fact]
    public void CoverageWarning_OneDayInsideHorizon_Warns()
    {
        Assert.NotNull(_calendar.CoverageWarning(new DateOnly(2026, 10, 3), horizonDays: 90));
    }

    [Fact]
    public void CoverageWarning_2025SpanningIntoCovered2026_LooksAtTheEndOf2026()
    {
        var warning = _calendar.CoverageWarning(new DateOnly(2025, 12, 1), horizonDays: 90);

        Assert.Null(warning);
    }

    [Fact]
    public void CoverageWarning_TodayInYearWithoutData_ReportsCurrentYearMissing()
    {
        var warning = _calendar.CoverageWarning(new DateOnly(2027, 1, 5));

        Assert.NotNull(warning);
        Assert.Equal(CalendarCoverageProblem.CurrentYearMissing, warning.Problem);
        Assert.Equal(2027, warning.MissingYear);
        Assert.Null(warning.CoveredUntil);
    }

    [Fact]
    public void Message_ChineseAndEnglishCultures_PickTheirLanguage()
    {
        var warning = _calendar.CoverageWarning(new DateOnly(2026, 11, 21))!;

        Assert.Equal(warning.MessageZh, warning.Message(CultureInfo.GetCultureInfo("zh-CN")));
        Assert.Equal(warning.MessageEn, warning.Message(CultureInfo.GetCultureInfo("en-US")));
    }
}

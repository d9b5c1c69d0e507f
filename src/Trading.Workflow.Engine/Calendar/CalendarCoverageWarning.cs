using System.Globalization;

namespace Trading.Workflow.Engine.Calendar;

public enum CalendarCoverageProblem
{
    /// <summary>The data ends within the horizon.</summary>
    EndingSoon,

    /// <summary>Today's own year has no data: working-day deadlines cannot be computed at all.</summary>
    CurrentYearMissing,
}

/// <summary>
/// Tells the administrator that the holiday data runs out: <see cref="MissingYear"/> is the first year
/// without data, <see cref="CoveredUntil"/> the last covered day (null when today itself is not covered).
/// </summary>
public sealed record CalendarCoverageWarning(
    CalendarCoverageProblem Problem,
    int MissingYear,
    DateOnly? CoveredUntil,
    int DaysLeft,
    string MessageZh,
    string MessageEn)
{
    public const int DefaultHorizonDays = 90;

    /// <summary>The message in the UI language: Chinese for any zh culture, English otherwise.</summary>
    public string Message(CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "zh" ? MessageZh : MessageEn;

    public override string ToString() => $"{MessageZh} / {MessageEn}";

    /// <summary>Coverage is the unbroken run of years from today's year onwards.</summary>
    public static CalendarCoverageWarning? Evaluate(IReadOnlyCollection<int> years, DateOnly today, int horizonDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(horizonDays);
        var set = years as ISet<int> ?? years.ToHashSet();
        if (!set.Contains(today.Year))
        {
            return new CalendarCoverageWarning(
                CalendarCoverageProblem.CurrentYearMissing,
                today.Year,
                null,
                0,
                $"工作日历没有本年度（{today.Year} 年）的节假日数据，按工作日计算的期限现在无法计算，请立即录入 {today.Year} 年的节假日安排。",
                $"The working-day calendar has no holiday data for the current year {today.Year}; working-day deadlines cannot be computed until the {today.Year} arrangements are entered.");
        }

        var lastYear = today.Year;
        while (lastYear < DateOnly.MaxValue.Year && set.Contains(lastYear + 1))
        {
            lastYear++;
        }

        var coveredUntil = new DateOnly(lastYear, 12, 31);
        var daysLeft = coveredUntil.DayNumber - today.DayNumber;
        if (daysLeft >= horizonDays)
        {
            return null;
        }

        var missing = lastYear + 1;
        return new CalendarCoverageWarning(
            CalendarCoverageProblem.EndingSoon,
            missing,
            coveredUntil,
            daysLeft,
            $"工作日历的节假日数据只到 {coveredUntil:yyyy年M月d日}（还剩 {daysLeft} 天），请在国务院办公厅公布后尽快录入 {missing} 年的节假日安排；此后的工作日期限将无法计算。",
            $"The working-day calendar has holiday data only until {coveredUntil:yyyy-MM-dd} ({daysLeft} days left). Enter the {missing} arrangements as soon as the State Council publishes them; working-day deadlines after that date cannot be computed.");
    }
}

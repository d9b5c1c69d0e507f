namespace Trading.Workflow.Engine.Calendar;

/// <summary>Holiday data that was refused, with every problem found (not just the first).</summary>
public sealed class HolidayCalendarValidationException(IReadOnlyList<HolidayCalendarProblem> problems)
    : InvalidOperationException(
        "节假日数据有误：" + string.Join("；", problems.Select(p => p.MessageZh))
        + " / The holiday data is invalid: " + string.Join("; ", problems.Select(p => p.MessageEn)))
{
    public IReadOnlyList<HolidayCalendarProblem> Problems { get; } = problems;
}

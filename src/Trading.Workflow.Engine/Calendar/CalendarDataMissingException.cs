namespace Trading.Workflow.Engine.Calendar;

public sealed class CalendarDataMissingException(int year)
    : InvalidOperationException($"工作日历缺少 {year} 年的节假日数据 / The working-day calendar has no holiday data for {year}.")
{
    public int Year { get; } = year;
}

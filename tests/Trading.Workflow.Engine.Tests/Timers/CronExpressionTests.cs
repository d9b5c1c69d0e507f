using System.Globalization;
using Trading.Workflow.Engine.Timers;

namespace Trading.Workflow.Engine.Tests.Timers;

public sealed class CronExpressionTests
{
    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static CronExpression Cron(string text)
    {
        Assert.True(CronExpression.TryParse(text, out var cron, out var error), error?.ToString());
        return cron;
    }

    private static TimerParseError Fails(string text)
    {
        Assert.False(CronExpression.TryParse(text, out _, out var error));
        Assert.Equal(TimerParseErrorCode.InvalidCron, error.Code);
        return error;
    }

    [Theory]
    [InlineData("0 0 9 L * ?", "2026-02-10T00:00:00+08:00", "2026-02-28T09:00:00+08:00")]
    [InlineData("0 0 9 L-2 * ?", "2026-02-10T00:00:00+08:00", "2026-02-26T09:00:00+08:00")]
    [InlineData("0 0 9 LW * ?", "2026-05-01T00:00:00+08:00", "2026-05-29T09:00:00+08:00")]
    [InlineData("0 0 9 15W * ?", "2026-08-01T00:00:00+08:00", "2026-08-14T09:00:00+08:00")]
    [InlineData("0 0 9 1W * ?", "2026-07-31T10:00:00+08:00", "2026-08-03T09:00:00+08:00")]
    [InlineData("0 0 9 ? * 6#3", "2026-03-01T00:00:00+08:00", "2026-03-20T09:00:00+08:00")]
    [InlineData("0 0 9 ? * FRI#3", "2026-03-21T00:00:00+08:00", "2026-04-17T09:00:00+08:00")]
    [InlineData("0 0 9 ? * 6L", "2026-03-01T00:00:00+08:00", "2026-03-27T09:00:00+08:00")]
    [InlineData("0 0 9 ? * L", "2026-03-02T00:00:00+08:00", "2026-03-07T09:00:00+08:00")]
    [InlineData("0 0/15 9-17 ? * MON-FRI", "2026-03-06T17:50:00+08:00", "2026-03-09T09:00:00+08:00")]
    [InlineData("0 0/15 9-17 ? * MON-FRI", "2026-03-06T10:07:00+08:00", "2026-03-06T10:15:00+08:00")]
    [InlineData("0 0 22-2 * * ?", "2026-03-02T23:30:00+08:00", "2026-03-03T00:00:00+08:00")]
    [InlineData("0 0 0 29 2 ?", "2026-03-01T00:00:00+08:00", "2028-02-29T00:00:00+08:00")]
    [InlineData("30 15 10 1,15 JAN-MAR ? 2027", "2026-03-01T00:00:00+08:00", "2027-01-01T10:15:30+08:00")]
    [InlineData("*/20 * * * * ?", "2026-03-01T00:00:41+08:00", "2026-03-01T00:01:00+08:00")]
    [InlineData("0 0 12 ? JAN,JUL SUN", "2026-01-05T00:00:00+08:00", "2026-01-11T12:00:00+08:00")]
    public void NextAfter_QuartzForms_GiveTheQuartzFireTime(string expression, string from, string expected)
    {
        Assert.Equal(At(expected), Cron(expression).NextAfter(At(from)));
    }

    [Fact]
    public void NextAfter_FractionOfASecondBeforeFireTime_FiresAtThatSecond()
    {
        Assert.Equal(At("2026-03-02T09:00:00+08:00"), Cron("0 0 9 * * ?").NextAfter(At("2026-03-02T08:59:59.900+08:00")));
    }

    [Fact]
    public void NextAfter_YearFieldInThePast_IsNull()
    {
        Assert.Null(Cron("0 0 9 1 1 ? 2026").NextAfter(At("2026-02-01T00:00:00+08:00")));
    }

    [Fact]
    public void NextAfter_DayThatNeverExists_IsNull()
    {
        Assert.Null(Cron("0 0 9 31 2 ?").NextAfter(At("2026-02-01T00:00:00+08:00")));
    }

    [Fact]
    public void NextAfter_ListsAndSteps_MatchAFieldByFieldCheckOverTwoWeeks()
    {
        var cron = Cron("0 */7 3-5,20 ? * TUE,THU");
        var expected = new List<DateTimeOffset>();
        for (var t = At("2026-03-01T00:00:00+08:00"); t < At("2026-03-15T00:00:00+08:00"); t = t.AddMinutes(1))
        {
            if (t.Minute % 7 == 0 && (t.Hour is >= 3 and <= 5 or 20) && t.DayOfWeek is DayOfWeek.Tuesday or DayOfWeek.Thursday)
            {
                expected.Add(t);
            }
        }

        var actual = new List<DateTimeOffset>();
        for (var t = cron.NextAfter(At("2026-02-28T23:59:59+08:00")); t < At("2026-03-15T00:00:00+08:00"); t = cron.NextAfter(t!.Value))
        {
            actual.Add(t!.Value);
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void TryParse_FiveFields_NamesTheFieldCount()
    {
        var error = Fails("0 9 * * ?");

        Assert.Contains("6 or 7 fields", error.MessageEn);
        Assert.Contains("6 或 7 个字段", error.MessageZh);
    }

    [Theory]
    [InlineData("0 0 9 * * MON")]
    [InlineData("0 0 9 ? * ?")]
    public void TryParse_DayOfMonthAndDayOfWeekNotExactlyOneQuestionMark_IsRefused(string text)
    {
        Assert.Contains("exactly one of day-of-month and day-of-week", Fails(text).MessageEn);
    }

    [Fact]
    public void TryParse_MinuteOutOfRange_NamesFieldAndValue()
    {
        var error = Fails("0 60 9 * * ?");

        Assert.Contains("field 2 (minute)", error.MessageEn);
        Assert.Contains("'60'", error.MessageEn);
        Assert.Contains("（分）", error.MessageZh);
    }

    [Theory]
    [InlineData("0 0/0 9 * * ?")]
    [InlineData("0 0 9 ? * 8#1")]
    [InlineData("0 0 9 ? * 6#6")]
    [InlineData("0 0 9 32W * ?")]
    [InlineData("0 0 9 L-31 * ?")]
    [InlineData("0 0 9 * 13 ?")]
    [InlineData("0 0 9 * FOO ?")]
    [InlineData("0 0 9 * * ? 1969")]
    [InlineData("0 0 9 1,,2 * ?")]
    [InlineData("0 0 9 /5 * ?")]
    public void TryParse_InvalidField_IsRefused(string text)
    {
        Fails(text);
    }

    [Fact]
    public void TryParse_Names_AreCaseInsensitiveAndCanonicalUpperCase()
    {
        Assert.Equal("0 0 9 ? JAN-MAR MON-FRI", Cron("0 0 9 ? jan-mar mon-fri").Text);
    }
}

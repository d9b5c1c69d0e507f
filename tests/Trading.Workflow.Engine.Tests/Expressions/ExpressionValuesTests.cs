using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Values;
using static Trading.Workflow.Engine.Tests.Expressions.ExpressionTestSupport;

namespace Trading.Workflow.Engine.Tests.Expressions;

public class ExpressionValuesTests
{
    [Fact]
    public void TryGetDuration_ReadsIsoText()
    {
        Assert.True(ExpressionValues.TryGetDuration("P5D", out var duration));
        Assert.Equal(new IsoDuration(0, 0, 5, TimeSpan.Zero), duration);
    }

    [Fact]
    public void TryGetDuration_RejectsOtherValues() => Assert.False(ExpressionValues.TryGetDuration(5m, out _));

    [Fact]
    public void TryGetDateTime_DateMeansStartOfDayInContextZone()
    {
        Assert.True(ExpressionValues.TryGetDateTime(new DateOnly(2026, 1, 5), Context, out var dateTime));
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.FromHours(8)), dateTime);
    }

    [Theory]
    [InlineData("2026-01-05T09:30:00Z", "2026-01-05T09:30:00+00:00")]
    [InlineData("2026-01-05T09:30:00", "2026-01-05T09:30:00+08:00")]
    [InlineData("2026-01-05", "2026-01-05T00:00:00+08:00")]
    public void TryGetDateTime_ReadsIsoText(string text, string expected)
    {
        Assert.True(ExpressionValues.TryGetDateTime(text, Context, out var dateTime));
        Assert.Equal(expected, VariableValues.FormatDateTime(dateTime));
    }

    [Fact]
    public void TryGetDateTime_RejectsNonDates() => Assert.False(ExpressionValues.TryGetDateTime("soon", Context, out _));

    [Fact]
    public void ToStringList_SplitsCommaSeparatedText() =>
        Assert.Equal(["zhang", "li"], ExpressionValues.ToStringList(" zhang, li ,"));

    [Fact]
    public void ToStringList_TakesListItemsAsText() =>
        Assert.Equal(["zhang", "7"], ExpressionValues.ToStringList(new List<object?> { "zhang", null, 7m, " " }));

    [Fact]
    public void ToStringList_NullIsEmpty() => Assert.Empty(ExpressionValues.ToStringList(null));

    [Theory]
    [InlineData("3", true, 3)]
    [InlineData("3.5", false, 0)]
    [InlineData("x", false, 0)]
    public void TryGetInt32_ReadsWholeNumbersFromText(string text, bool ok, int expected)
    {
        Assert.Equal(ok, ExpressionValues.TryGetInt32(text, out var number));
        Assert.Equal(expected, number);
    }

    [Fact]
    public void TryGetInt32_ReadsDecimal()
    {
        Assert.True(ExpressionValues.TryGetInt32(4.0m, out var number));
        Assert.Equal(4, number);
    }
}

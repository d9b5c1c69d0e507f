using Trading.Workflow.Web.Components.Shared;

namespace Trading.Workflow.Web.Tests.Components;

/// <summary>The one parser of datetime-local values: minutes, the seconds Blazor appends, fractions; China time.</summary>
public sealed class DateTimeLocalInputTests
{
    [Theory]
    [InlineData("2027-03-01T09:30")]
    [InlineData("2027-03-01T09:30:00")]
    [InlineData("2027-03-01T09:30:00.000")]
    public void Parse_MinutesOrSeconds_IsThatTimeInChina(string text) =>
        Assert.Equal(new DateTimeOffset(2027, 3, 1, 9, 30, 0, TimeSpan.FromHours(8)), DateTimeLocalInput.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2027-03-01")]
    [InlineData("2027-03-01 09:30")]
    [InlineData("2027-02-30T09:30")]
    public void Parse_NotADateTimeLocalValue_IsNull(string? text) => Assert.Null(DateTimeLocalInput.Parse(text));

    [Fact]
    public void Format_IsChinaTimeToTheMinute_AndParsesBack()
    {
        var instant = new DateTimeOffset(2027, 3, 1, 1, 30, 0, TimeSpan.Zero);
        Assert.Equal("2027-03-01T09:30", DateTimeLocalInput.Format(instant));
        Assert.Equal(instant, DateTimeLocalInput.Parse(DateTimeLocalInput.Format(instant)));
    }
}

using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Tests.Notices;

public sealed class NoticeFacetsTests
{
    [Fact]
    public void Facets_are_single_unicode61_tokens_and_the_day_is_the_day_in_China()
    {
        var centre = Guid.Parse("0a1b2c3d-0000-0000-0000-00000000000f");
        var project = NoticeProject.Create(Guid.NewGuid(), "GC-1", centre, TradeTypes.EngineeringConstruction, "440100", "城市道路改造工程");
        var at = new DateTimeOffset(2026, 11, 3, 17, 30, 0, TimeSpan.Zero); // 2026-11-04 01:30 in China
        var notice = Notice.Draft(project, NoticeKind.Result, "结果公告", "<p>正文</p>", [], "tenderee", at);
        notice.SubmitForReview("tenderee", at);
        notice.Publish("staff", at);

        Assert.Equal("tengineeringconstruction c0a1b2c3d00000000000000000000000f kresult r440100 y2026 m202611 d20261104", NoticeFacets.For(notice));
        Assert.All(NoticeFacets.For(notice).Split(' '), token => Assert.True(token.All(char.IsAsciiLetterOrDigit)));
    }

    [Fact]
    public void A_day_range_is_covered_by_the_fewest_whole_years_months_and_days()
    {
        Assert.Equal(["d20261103", "d20261104", "d20261105"], NoticeFacets.DayRange(new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 5)));
        Assert.Equal(["m202606"], NoticeFacets.DayRange(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30)));
        Assert.Equal(["d20251231", "y2026", "m202701", "d20270201"], NoticeFacets.DayRange(new DateOnly(2025, 12, 31), new DateOnly(2027, 2, 1)));
        Assert.Equal(["d20240229"], NoticeFacets.DayRange(new DateOnly(2024, 2, 29), new DateOnly(2024, 2, 29)));
        Assert.Empty(NoticeFacets.DayRange(new DateOnly(2026, 6, 2), new DateOnly(2026, 6, 1)));
    }

    [Fact]
    public void Every_day_of_a_long_range_is_covered_exactly_once()
    {
        var first = new DateOnly(2025, 1, 15);
        var last = new DateOnly(2026, 12, 30);
        var covered = new List<DateOnly>();
        foreach (var token in NoticeFacets.DayRange(first, last))
        {
            var year = int.Parse(token[1..5], System.Globalization.CultureInfo.InvariantCulture);
            var start = token[0] switch
            {
                'y' => new DateOnly(year, 1, 1),
                'm' => new DateOnly(year, int.Parse(token[5..7], System.Globalization.CultureInfo.InvariantCulture), 1),
                _ => DateOnly.ParseExact(token[1..], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
            };
            var end = token[0] switch { 'y' => start.AddYears(1), 'm' => start.AddMonths(1), _ => start.AddDays(1) };
            for (var day = start; day < end; day = day.AddDays(1))
            {
                covered.Add(day);
            }
        }

        Assert.Equal(Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays), covered);
    }

    [Fact]
    public void China_midnight_is_recognised_whatever_the_offset_of_the_value()
    {
        Assert.True(NoticeFacets.IsChinaMidnight(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8))));
        Assert.True(NoticeFacets.IsChinaMidnight(new DateTimeOffset(2026, 5, 31, 16, 0, 0, TimeSpan.Zero)));
        Assert.False(NoticeFacets.IsChinaMidnight(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)));
    }
}

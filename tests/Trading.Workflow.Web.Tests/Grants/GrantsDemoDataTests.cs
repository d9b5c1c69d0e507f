using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Web.Grants;

namespace Trading.Workflow.Web.Tests.Grants;

/// <summary>The demo offerings' dates, whatever day the demo is started on: applications never close on a day off.</summary>
public sealed class GrantsDemoDataTests
{
    private static readonly BusinessCalendar Calendar = BusinessCalendar.Official;

    public static TheoryData<int> Days()
    {
        var days = new TheoryData<int>();
        for (var day = 0; day < 308; day += 7)
        {
            days.Add(day);
        }

        return days;
    }

    [Theory]
    [MemberData(nameof(Days))]
    public void Schedules_StartedOnAnyDayOfTheWeek_CloseApplicationsOnAWorkingDayBeforeTheSale(int week)
    {
        // Starts on every day from January to early November 2026: each weekday against every holiday of the year
        // (the official calendar holds 2026 only, and a later start reaches into 2027).
        for (var weekday = 0; weekday < 7; weekday++)
        {
            var now = new DateTimeOffset(2026, 1, 1, 3, 0, 0, TimeSpan.Zero).AddDays(week + weekday);

            var (opens, applicationsClose, listingEnd) = GrantsDemoData.ListingSchedule(now, Calendar);
            var auctionClose = GrantsDemoData.AuctionApplicationsClose(opens, Calendar);

            Assert.True(Calendar.IsWorkingDay(ChinaStandardTime.DateOf(applicationsClose)), $"listing applications close on {applicationsClose:yyyy-MM-dd ddd} (started {now:yyyy-MM-dd})");
            Assert.True(Calendar.IsWorkingDay(ChinaStandardTime.DateOf(auctionClose)), $"auction applications close on {auctionClose:yyyy-MM-dd ddd} (started {now:yyyy-MM-dd})");
            Assert.InRange(applicationsClose, opens, listingEnd);
            Assert.True(auctionClose < opens && auctionClose > now);
            Assert.Equal(17, ChinaStandardTime.ToChina(applicationsClose).Hour);
        }
    }
}

using Trading.Workflow.Domain.Deposits;

namespace Trading.Workflow.Domain.Tests.Deposits;

/// <summary>
/// Bank deposit interest on refunds (条例 57): annual rate / 360 per day, days from the arrival date to the refund date
/// in China Standard Time (arrival day counted, refund day not), each receipt rounded to the fen half away from zero.
/// </summary>
public sealed class InterestPolicyTests
{
    private static readonly InterestPolicy Demand = new(0.0035m);

    [Fact]
    public void On_ThirtyDaysAtTheDemandRate_IsPrincipalTimesRateTimesDaysOver360()
    {
        // 20,000 × 0.35% × 30 / 360 = 5.8333… → 5.83
        Assert.Equal(5.83m, Demand.On(20_000m, new DateOnly(2026, 11, 2), new DateOnly(2026, 12, 2)));
    }

    [Fact]
    public void On_RefundedTheDayItArrived_EarnsNothing()
    {
        Assert.Equal(0m, Demand.On(20_000m, new DateOnly(2026, 12, 2), new DateOnly(2026, 12, 2)));
    }

    [Fact]
    public void On_ARefundDateBeforeTheArrival_EarnsNothingRatherThanANegativeAmount()
    {
        Assert.Equal(0m, Demand.On(20_000m, new DateOnly(2026, 12, 3), new DateOnly(2026, 12, 2)));
    }

    [Fact]
    public void On_HalfAFen_RoundsAwayFromZero()
    {
        // 500 × 0.36% × 1 / 360 = 0.005 exactly: 四舍五入 gives 0.01 (banker's rounding would give 0.00).
        Assert.Equal(0.01m, new InterestPolicy(0.0036m).On(500m, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 2)));
        Assert.Equal(0.00m, new InterestPolicy(0.0036m).On(499m, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 2)));
    }

    [Fact]
    public void On_AcrossTheLeapDay_CountsCalendarDaysOnA360DayYear()
    {
        Assert.Equal(2, InterestPolicy.Days(new DateOnly(2028, 2, 28), new DateOnly(2028, 3, 1)));
        // A whole leap year: 366 days / 360.
        Assert.Equal(71.17m, Demand.On(20_000m, new DateOnly(2028, 1, 1), new DateOnly(2029, 1, 1)));
    }

    [Fact]
    public void On_ZeroRate_IsNoInterest()
    {
        Assert.Equal(0m, InterestPolicy.None.On(1_000_000m, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)));
    }

    [Fact]
    public void ChinaDate_MoneyArrivingLateInTheEveningCountsFromThatChineseDay()
    {
        // 23:30 on 1 December in China is 15:30 UTC; a refund at 00:10 on 2 December (16:10 UTC, still 1 December in
        // UTC) is one day later in China, and earns a day of interest.
        var arrived = new DateTimeOffset(2026, 12, 1, 15, 30, 0, TimeSpan.Zero);
        var refunded = new DateTimeOffset(2026, 12, 1, 16, 10, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2026, 12, 1), InterestPolicy.ChinaDate(arrived));
        Assert.Equal(new DateOnly(2026, 12, 2), InterestPolicy.ChinaDate(refunded));
        Assert.Equal(1, InterestPolicy.Days(InterestPolicy.ChinaDate(arrived), InterestPolicy.ChinaDate(refunded)));
    }

    [Fact]
    public void Ledger_TwoTransfers_EachEarnsFromItsOwnArrival()
    {
        var ledger = new SectionDepositLedger(Guid.NewGuid(), 20_000m);
        var bidder = Guid.NewGuid();
        ledger.Receive("T-1", 10_000m, "6222000011112222", bidder, "6222000011112222", new DateTimeOffset(2026, 10, 2, 2, 0, 0, TimeSpan.Zero));
        ledger.Receive("T-2", 10_000m, "6222000011112222", bidder, "6222000011112222", new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero));

        var refund = ledger.RequestRefund(bidder, "6222000011112222", Demand, new DateOnly(2026, 12, 1));

        // 10,000 × 0.35% × 60/360 = 5.83; 10,000 × 0.35% × 30/360 = 2.92 (2.9166…)
        Assert.Equal(20_000m, refund.Principal);
        Assert.Equal(5.83m + 2.92m, refund.Interest);
    }
}

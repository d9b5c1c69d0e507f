using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Grants;

/// <summary>
/// A bidder's apply panel (applications close at the deadline: no form after it) and the grant rules' messages as staff
/// and bidders read them: the reason, amounts with ¥ and thousands separators, the reserve in yuan, in zh and en.
/// </summary>
public sealed class GrantApplyPanelTests : PlatformComponentTest
{
    private static readonly DateTimeOffset Now = GrantSummaryTests.Now;

    private static readonly EntityMembershipInfo Company = new(Guid.NewGuid(), "演示置业有限公司", "91530100000000002X", EntityKind.Organisation, true, true);

    private static GrantOffering Listing()
    {
        var offering = GrantSummaryTests.Land();
        offering.Submit(Guid.NewGuid(), Now);
        offering.Announce(Guid.NewGuid(), Now);
        return offering;
    }

    private static readonly EntityMembershipInfo Person = new(Guid.NewGuid(), "王演示", "530102198001010015", EntityKind.NaturalPerson, true, true);

    private IRenderedComponent<GrantApplyPanel> Panel(GrantOffering offering, DateTimeOffset now, GrantApplicationView? application = null, EntityMembershipInfo? entity = null,
        Trading.Workflow.Domain.Deposits.ParticipantDeposit? deposit = null) =>
        Render<GrantApplyPanel>(p => p
            .Add(c => c.Offering, offering)
            .Add(c => c.Application, application)
            .Add(c => c.Entities, [entity ?? Company])
            .Add(c => c.Deposit, deposit)
            .Add(c => c.Now, now));

    [Fact]
    public void NaturalPerson_IsToldToPayFromAnAccountInItsOwnName_ACompanyFromItsBasicAccount()
    {
        var offering = Listing();
        var before = offering.ApplicationDeadline.AddMinutes(-1);
        var person = Panel(offering, before, entity: Person).Find("[data-testid=grant-pay-from]").TextContent;
        Assert.Contains("本人名下的银行账户", person, StringComparison.Ordinal);
        Assert.DoesNotContain("从其基本账户缴纳", person, StringComparison.Ordinal);
        Assert.Contains("从其基本账户缴纳", Panel(offering, before).Find("[data-testid=grant-pay-from]").TextContent, StringComparison.Ordinal);

        // After applying, beside the sub-account while the deposit is still due.
        var applied = new GrantApplicationView(Guid.NewGuid(), Person.EntityId, Person.Name, Now, GrantApplicationState.Pending, null, null);
        var due = new Trading.Workflow.Domain.Deposits.ParticipantDeposit(offering.SectionId, Person.EntityId, Person.Name, "9000000100010002", 10_000_000m, 0m,
            Trading.Workflow.Domain.Deposits.DepositState.AwaitingPayment, false, null, null);
        Assert.Contains("本人名下的银行账户", Panel(offering, before, applied, Person, due).Find("[data-testid=grant-pay-from]").TextContent, StringComparison.Ordinal);
        Culture("en");
        Assert.Contains("a bank account in your own name", Panel(offering, before, entity: Person).Find("[data-testid=grant-pay-from]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN", "保证金状态：待缴纳。")]
    [InlineData("en", "Deposit: awaiting payment.")]
    public void DepositDue_ReadsAsOnTheDepositsPage(string culture, string expected)
    {
        // The 2026-12-07 walk: the panel said 未缴纳 where /deposits says 待缴纳 for the same deposit.
        Culture(culture);
        var offering = Listing();
        var applied = new GrantApplicationView(Guid.NewGuid(), Company.EntityId, Company.Name, Now, GrantApplicationState.Pending, null, null);
        var due = new Trading.Workflow.Domain.Deposits.ParticipantDeposit(offering.SectionId, Company.EntityId, Company.Name, "0000000300012", 10_000_000m, 0m,
            Trading.Workflow.Domain.Deposits.DepositState.AwaitingPayment, false, null, null);
        var state = Panel(offering, offering.ApplicationDeadline.AddMinutes(-1), applied, deposit: due).Find("[data-testid=grant-deposit-state]").TextContent.Trim();

        Assert.Equal(expected, state);
        var onDeposits = Services.GetRequiredService<IStringLocalizer<DepositsResource>>()["State.AwaitingPayment"].Value;
        Assert.Contains(culture == "en" ? onDeposits.ToLowerInvariant() : onDeposits, state, StringComparison.Ordinal);
    }

    private string Problem(DomainRuleException error) =>
        GrantsWeb.Problem(Services.GetRequiredService<IStringLocalizer<GrantsResource>>(), error);

    /// <summary>A deposit refusal as DecideAsync raises it for the 10,000,000 deposit, its figures in the exception's data.</summary>
    private static DomainRuleException DepositError(string code, decimal arrived, decimal inTime)
    {
        var error = new DomainRuleException(code, "log");
        error.Data[GrantRules.DataRequired] = 10_000_000m;
        error.Data[GrantRules.DataArrived] = arrived;
        error.Data[GrantRules.DataInTime] = inTime;
        error.Data[GrantRules.DataDeadline] = Now;
        return error;
    }

    [Fact]
    public void BeforeTheDeadline_TheFormIsShown()
    {
        var offering = Listing();
        var cut = Panel(offering, offering.ApplicationDeadline.AddMinutes(-1));
        Assert.Single(cut.FindAll("[data-testid=grant-apply]"));
        Assert.Contains("¥10,000,000.00", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=grant-apply-closed]"));
    }

    [Fact]
    public void AfterTheDeadline_NoForm_ApplicationsClosedWithTheDeadline()
    {
        var offering = Listing();
        var cut = Panel(offering, offering.ApplicationDeadline.AddMinutes(1));
        Assert.Empty(cut.FindAll("[data-testid=grant-apply]"));
        var closed = cut.Find("[data-testid=grant-apply-closed]").TextContent;
        Assert.Contains("已于 2026-12-01 09:00", closed, StringComparison.Ordinal);
    }

    [Fact]
    public void AfterTheDeadline_AnApplicantStillSeesItsApplicationAndNumber()
    {
        var offering = Listing();
        var mine = new GrantApplicationView(Guid.NewGuid(), Company.EntityId, Company.Name, Now, GrantApplicationState.Approved, null, 4821);
        var cut = Panel(offering, offering.ApplicationDeadline.AddMinutes(1), mine);
        Assert.Empty(cut.FindAll("[data-testid=grant-apply-closed]"));
        Assert.Contains("4821", cut.Find("[data-testid=grant-bidder-number]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void DepositNotArrived_SaysSo_WithFormattedAmounts_NotTheDeadline()
    {
        var error = DepositError(GrantRules.DepositNotArrived, arrived: 0m, inTime: 0m);
        Assert.Equal("该申请人的保证金尚未足额到账（应缴 ¥10,000,000.00，已到账 ¥0.00），不能确认竞买资格；足额到账后再确认。", Problem(error));
        Culture("en");
        Assert.Equal("The applicant's deposit has not arrived in full (¥0.00 of ¥10,000,000.00 arrived): eligibility cannot be confirmed until it has.", Problem(error));
    }

    [Fact]
    public void DepositArrivedLate_NamesTheDeadlineAndWhatArrivedByIt()
    {
        var error = DepositError(GrantRules.DepositNotPaid, arrived: 10_000_000m, inTime: 4_000_000m);
        var text = Problem(error);
        Assert.Contains("2026-11-02 09:00", text, StringComparison.Ordinal);
        Assert.Contains("¥4,000,000.00", text, StringComparison.Ordinal);
        Assert.DoesNotContain("log", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReserveInvalid_InYuanWithTheStartPrice_NeverFen()
    {
        var error = new DomainRuleException(GrantRules.ReserveInvalid, "log");
        error.Data[GrantRules.DataStartPrice] = 50_000_000m;
        Assert.Equal("底价以元为单位填写（最多两位小数），且不低于起始价 ¥50,000,000.00。", Problem(error));
        Culture("en");
        var en = Problem(error);
        Assert.Equal("Enter the reserve in yuan (at most two decimals), not below the start price of ¥50,000,000.00.", en);
        Assert.DoesNotContain("fen", en, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplicationClosed_NamesTheDeadline()
    {
        var error = new DomainRuleException(GrantRules.ApplicationClosed, "log");
        error.Data[GrantRules.DataDeadline] = Now;
        Assert.Equal("竞买申请已于 2026-11-02 09:00（北京时间）截止，不再接受申请。", Problem(error));
    }

    private static DateTimeOffset At(int month, int day, int hour = 9) => new(2026, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    private static GrantOfferingInput Dates(GrantMode mode, DateTimeOffset opens, DateTimeOffset ends, DateTimeOffset deadline) => new(
        "宗地", Guid.NewGuid(), "530102", mode, new GrantParcel("位置", 100m, "住宅", 70, "容积率 2.0"), 10_000_000m, 100_000m, 1_000_000m, deadline, opens, ends);

    private DomainRuleException DatesRefused(GrantOfferingInput input) =>
        Assert.Throws<DomainRuleException>(() => GrantSchedule.CheckDates(input, At(11, 2), GrantLimits.LandDefaults(), Trading.Workflow.Engine.Calendar.BusinessCalendar.Official));

    [Fact]
    public void DateRules_NameTheirDatesInTheUsersLanguage_NeverTheLogMessage()
    {
        // The 2026-12-06 walk: a Chinese grantor read "请推迟…所示日期" followed by the English log message in brackets.
        var early = DatesRefused(Dates(GrantMode.Auction, At(11, 13), At(11, 13, 11), At(11, 12)));
        var shortListing = DatesRefused(Dates(GrantMode.Listing, At(11, 23), At(12, 3, 10), At(12, 2)));
        var lateDeadline = DatesRefused(Dates(GrantMode.Auction, At(11, 23), At(11, 23, 11), At(11, 23, 10)));

        Assert.Equal("出让公告须在竞价开始之日前至少 20 日发布：按今天发布，竞价最早只能在 2026-11-23 开始（期限末日非工作日的顺延至下一工作日），而所填开始日为 2026-11-13。请推迟竞价开始时间。", Problem(early));
        Assert.Equal("挂牌期不少于 10 个工作日（开始日和截止日计入，按平台工作日历）：2026-11-23 至 2026-12-03 只有 9 个工作日。请推迟挂牌截止时间。", Problem(shortListing));
        Assert.Equal("申请截止须在公告发布之后，且不晚于 2026-11-23 09:00（挂牌方式为挂牌截止，拍卖和招标为竞价开始）。", Problem(lateDeadline));

        Culture("en");
        Assert.Equal("The notice must be published at least 20 days before the bidding starts: published today, the bidding may start on 2026-11-23 at the earliest (a last day off work rolls to the next working day), not on 2026-11-13. Move the start later.", Problem(early));
        Assert.Equal("A listing lasts at least 10 working days (first and last day counted, by the platform's calendar): 2026-11-23 to 2026-12-03 has 9. Move the listing's end later.", Problem(shortListing));
        Assert.Equal("Applications close after the notice and no later than 2026-11-23 09:00 (the listing's end for a listing, the start of the bidding for an auction or tender).", Problem(lateDeadline));
        Assert.All(new[] { early, shortListing, lateDeadline }, e => Assert.DoesNotContain("日", Problem(e), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Trading.Workflow.Domain.Deposits.DepositState.ConvertedToPrice, "保证金状态：已转作出让价款。")]
    [InlineData(Trading.Workflow.Domain.Deposits.DepositState.Refunded, "保证金状态：已退还。")]
    public void AfterTheSale_TheSubAccountNoLongerSaysNothingArrived(Trading.Workflow.Domain.Deposits.DepositState state, string stateText)
    {
        // The winner's page said "已到账 ¥0.00" beside "已转作出让价款" (the 2026-12-06 walk): nothing is held any more,
        // but the deposit did arrive.
        var offering = Listing();
        var applied = new GrantApplicationView(Guid.NewGuid(), Company.EntityId, Company.Name, Now, GrantApplicationState.Approved, null, 5779);
        var settled = new Trading.Workflow.Domain.Deposits.ParticipantDeposit(offering.SectionId, Company.EntityId, Company.Name, "0000000300012", 10_000_000m, 0m,
            state, false, null, null);
        var cut = Render<GrantApplyPanel>(p => p
            .Add(c => c.Offering, offering).Add(c => c.Application, applied).Add(c => c.Entities, [Company])
            .Add(c => c.Deposit, settled).Add(c => c.Open, false).Add(c => c.Now, Now));

        Assert.Equal("保证金子账户 0000000300012：应缴 ¥10,000,000.00。", cut.Find("[data-testid=grant-sub-account]").TextContent.Trim());
        Assert.Equal(stateText, cut.Find("[data-testid=grant-deposit-state]").TextContent.Trim());

        // While held, what arrived is shown.
        var paid = settled with { Held = 10_000_000m, State = Trading.Workflow.Domain.Deposits.DepositState.Paid };
        var held = Render<GrantApplyPanel>(p => p
            .Add(c => c.Offering, offering).Add(c => c.Application, applied).Add(c => c.Entities, [Company])
            .Add(c => c.Deposit, paid).Add(c => c.Now, Now));
        Assert.Equal("保证金子账户 0000000300012：应缴 ¥10,000,000.00，已到账 ¥10,000,000.00。", held.Find("[data-testid=grant-sub-account]").TextContent.Trim());
    }

    [Fact]
    public void AfterTheSaleEnded_ADepositNeverPaid_IsNotShownAsStillToPay_InZhAndEn()
    {
        // A terminated sale's applicant that never paid read "保证金状态：待缴纳" under "您未缴纳保证金，无需退还" (the 2026-12-08 walk).
        var offering = Listing();
        var closed = new GrantApplicationView(Guid.NewGuid(), Company.EntityId, Company.Name, Now, GrantApplicationState.Closed, "规划调整", null);
        var unpaid = new Trading.Workflow.Domain.Deposits.ParticipantDeposit(offering.SectionId, Company.EntityId, Company.Name, "0000000400010", 10_000_000m, 0m,
            Trading.Workflow.Domain.Deposits.DepositState.AwaitingPayment, false, null, null);
        IRenderedComponent<GrantApplyPanel> Ended(bool open) => Render<GrantApplyPanel>(p => p
            .Add(c => c.Offering, offering).Add(c => c.Application, closed).Add(c => c.Entities, [Company])
            .Add(c => c.Deposit, unpaid).Add(c => c.Open, open).Add(c => c.DemoBank, true).Add(c => c.Now, Now));

        var ended = Ended(false);
        Assert.Equal("保证金子账户 0000000400010：应缴 ¥10,000,000.00。", ended.Find("[data-testid=grant-sub-account]").TextContent.Trim());
        Assert.Equal("保证金状态：未缴纳；本次出让已结束，无需再缴纳。", ended.Find("[data-testid=grant-deposit-state]").TextContent.Trim());
        Assert.Empty(ended.FindAll("[data-testid=grant-pay-from]"));

        // While the sale is open it is still to pay.
        Assert.Equal("保证金状态：待缴纳。", Ended(true).Find("[data-testid=grant-deposit-state]").TextContent.Trim());

        Culture("en");
        Assert.Equal("Deposit: not paid; the sale has ended, nothing is to be paid now.", Ended(false).Find("[data-testid=grant-deposit-state]").TextContent.Trim());
    }
}

using Bunit;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Grants;

/// <summary>
/// Staff confirm eligibility: a deposit paid from an account that is not the bidder's own is shown as flagged, and
/// confirming that bidder asks first (the walk found staff confirmed it with no word about the flag).
/// </summary>
public sealed class GrantApplicationsPanelTests : PlatformComponentTest
{
    private static readonly DateTimeOffset Now = GrantSummaryTests.Now;

    private readonly List<GrantApplicationsPanel.Decision> _decisions = [];

    private static (GrantApplicationView Application, ParticipantDeposit Deposit) Applicant(string name, bool flagged)
    {
        var entity = Guid.NewGuid();
        return (new GrantApplicationView(Guid.NewGuid(), entity, name, Now, GrantApplicationState.Pending, null, null),
            new ParticipantDeposit(Guid.NewGuid(), entity, name, "9000000100010002", 10_000_000m, 10_000_000m, DepositState.Paid, flagged, null, null));
    }

    private IRenderedComponent<GrantApplicationsPanel> Panel(params (GrantApplicationView Application, ParticipantDeposit Deposit)[] applicants) =>
        Render<GrantApplicationsPanel>(p => p
            .Add(c => c.Stage, GrantStage.Announced)
            .Add(c => c.Applications, [.. applicants.Select(a => a.Application)])
            .Add(c => c.Deposits, [.. applicants.Select(a => a.Deposit)])
            .Add(c => c.OnDecide, d => _decisions.Add(d)));

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<GrantApplicationsPanel> panel, string name) =>
        panel.FindAll("[data-testid=grant-application]").Single(r => r.TextContent.Contains(name, StringComparison.Ordinal));

    [Fact]
    public async Task FlaggedDeposit_IsShown_AndConfirmingAsksFirst_CancelDecidesNothing()
    {
        var flagged = Applicant("王演示", flagged: true);
        var clean = Applicant("演示置业有限公司", flagged: false);
        var dialogs = RenderProviders();
        var panel = Panel(flagged, clean);

        // The flag names both cases (a company's basic account, a person's own): "非本人账户缴纳" read wrong beside a company (the 2026-12-08 walk).
        Assert.Equal("非本单位基本账户或本人账户缴纳", Row(panel, "王演示").QuerySelector("[data-testid=grant-deposit-flagged]")!.TextContent.Trim());
        Assert.Null(Row(panel, "演示置业有限公司").QuerySelector("[data-testid=grant-deposit-flagged]"));

        Row(panel, "王演示").QuerySelector("[data-testid=grant-approve]")!.Click();
        dialogs.WaitForAssertion(() => Assert.Contains("王演示 的保证金不是从其基本账户", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "取消").Click();
        // Wait for the cancel to close the question before checking that nothing was decided.
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("王演示 的保证金不是从其基本账户", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(_decisions);

        Row(panel, "王演示").QuerySelector("[data-testid=grant-approve]")!.Click();
        dialogs.WaitForAssertion(() => Assert.Contains("仍确认其竞买资格", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "确认资格").Click();
        panel.WaitForAssertion(() => Assert.Single(_decisions));
        Assert.Equal(new GrantApplicationsPanel.Decision(flagged.Application.Id, true, null), _decisions[0]);
    }

    [Fact]
    public async Task CleanDeposit_IsConfirmedWithoutAQuestion()
    {
        var clean = Applicant("演示置业有限公司", flagged: false);
        var dialogs = RenderProviders();
        var panel = Panel(clean);

        Row(panel, "演示置业有限公司").QuerySelector("[data-testid=grant-approve]")!.Click();

        panel.WaitForAssertion(() => Assert.Single(_decisions));
        Assert.True(_decisions[0].Approve);
        Assert.DoesNotContain("仍确认其竞买资格", dialogs.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void AfterTheSale_ASettledDeposit_ReadsItsState_NotZeroArrived_InZhAndEn()
    {
        // Staff's and the supervisor's list after the sale read "¥0.00 / ¥400,000.00" for the winner (converted) and the
        // refunded bidder, as if neither had paid (the 2026-12-08 walk).
        var winner = Applicant("演示置业有限公司", flagged: false);
        var refunded = Applicant("王演示", flagged: false);
        var holding = Applicant("演示建设有限公司", flagged: false);
        winner = (winner.Application with { State = GrantApplicationState.Approved, BidderNumber = 2803 }, winner.Deposit with { Held = 0m, State = DepositState.ConvertedToPrice });
        refunded = (refunded.Application with { State = GrantApplicationState.Approved, BidderNumber = 4692 }, refunded.Deposit with { Held = 0m, State = DepositState.Refunded });
        holding = (holding.Application with { State = GrantApplicationState.Approved, BidderNumber = 5779 }, holding.Deposit);

        var panel = Panel(winner, refunded, holding);
        Assert.Equal("已转作价款 / ¥10,000,000.00", Row(panel, "演示置业有限公司").QuerySelector("[data-testid=grant-deposit]")!.TextContent.Trim());
        Assert.Equal("已退还 / ¥10,000,000.00", Row(panel, "王演示").QuerySelector("[data-testid=grant-deposit]")!.TextContent.Trim());
        Assert.Equal("¥10,000,000.00 / ¥10,000,000.00", Row(panel, "演示建设有限公司").QuerySelector("[data-testid=grant-deposit]")!.TextContent.Trim());

        // Nothing left to decide: no empty decision column (it squeezed the names on a phone).
        Assert.All(panel.FindAll("tr"), r => Assert.Equal(4, r.Children.Length));

        Culture("en");
        Assert.Equal("refunded / ¥10,000,000.00", Row(Panel(winner, refunded, holding), "王演示").QuerySelector("[data-testid=grant-deposit]")!.TextContent.Trim());
    }
}

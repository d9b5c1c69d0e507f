using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// What the Chromium walk of the demo land listing and mining auction found: bidder numbers tied to companies on staff's
/// screen before the result, a natural person's refund that never left (no 基本账户), the eligibility refusal that named
/// the deadline when the deposit simply had not arrived, and the reserve message in fen.
/// </summary>
public sealed class GrantWalkTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => GrantHost.At(month, day, hour, minute);

    /// <summary>The offering created, submitted and its notice published by staff's review.</summary>
    internal static async Task<GrantOffering> AnnouncedAsync(GrantHost host, GrantOfferingInput input, string tradeType, decimal? reserve)
    {
        var offering = await host.Grants.CreateAsync(host.Grantor, tradeType, input);
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve);
        await host.CompleteAsync(await host.InstanceOfAsync(offering), "reviewOffering", "staff");
        return (await host.Grants.GetAsync(offering.Id))!;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task BidderNumbers_BeforeTheClose_OnlyEachBidderSeesItsOwn_AfterTheClose_StaffSeeThem(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host, host.MineralAuction(), TradeTypes.MineralRights, 3_100_000m);
        var (a1, account1) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);
        var (a2, account2) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder2"), offering.Id, host.Companies[1].Id);
        await host.PayAsync(offering, host.Companies[0], account1, 600_000m);
        await host.PayAsync(offering, host.Companies[1], account2, 600_000m);
        var first = await host.Grants.DecideAsync(host.Staff, a1.Id, approve: true, null);
        var second = await host.Grants.DecideAsync(host.Staff, a2.Id, approve: true, null);
        Assert.NotNull(first.BidderNumber);

        // Staff and the supervisor see every applicant, but not the number each bids under; the grantor sees none.
        var supervisor = new GrantActor("supervisor", "supervisor", [PlatformRoles.Supervisor], null);
        foreach (var viewer in new[] { host.Staff, supervisor })
        {
            var seen = await host.Grants.ApplicationsForAsync(viewer, offering);
            Assert.Equal(2, seen.Count);
            Assert.All(seen, a => Assert.Null(a.BidderNumber));
        }

        Assert.Empty(await host.Grants.ApplicationsForAsync(host.Grantor, offering));
        var own = Assert.Single(await host.Grants.ApplicationsForAsync(GrantHost.Bidder("bidder1"), offering));
        Assert.Equal(host.Companies[0].Id, own.EntityId);
        Assert.Equal(first.BidderNumber, own.BidderNumber);

        // The auction closes without a bid (流拍): the result is derived, the numbers may be tied to the bidders now.
        await host.AdvanceToAsync(At(11, 23, 11));
        await host.AdvanceToAsync(At(11, 23, 11, 2));
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.NotNull(offering.ClosedAt);
        var after = await host.Grants.ApplicationsForAsync(host.Staff, offering);
        Assert.Equal(new[] { first.BidderNumber, second.BidderNumber }.Order(), after.Select(a => a.BidderNumber).Order());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Approve_DepositNotArrived_SaysSoWithTheAmounts_ArrivedLate_NamesTheDeadline(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host, host.LandListing(), TradeTypes.LandRights, null);
        var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);

        var nothing = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.DecideAsync(host.Staff, application.Id, true, null));
        Assert.Equal(GrantRules.DepositNotArrived, nothing.RuleCode);
        Assert.Equal(10_000_000m, nothing.Data[GrantRules.DataRequired]);
        Assert.Equal(0m, nothing.Data[GrantRules.DataArrived]);

        await host.PayAsync(offering, host.Companies[0], account, 4_000_000m);
        var part = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.DecideAsync(host.Staff, application.Id, true, null));
        Assert.Equal(GrantRules.DepositNotArrived, part.RuleCode);
        Assert.Equal(4_000_000m, part.Data[GrantRules.DataArrived]);

        // The rest arrives after the deadline (2 Dec 17:00): now the deadline is the reason.
        host.Clock.Set(At(12, 2, 18));
        await host.PayAsync(offering, host.Companies[0], account, 6_000_000m);
        var late = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.DecideAsync(host.Staff, application.Id, true, null));
        Assert.Equal(GrantRules.DepositNotPaid, late.RuleCode);
        Assert.Equal(4_000_000m, late.Data[GrantRules.DataInTime]);
        Assert.Equal(offering.ApplicationDeadline, late.Data[GrantRules.DataDeadline]);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Submit_ReserveBelowTheStartPrice_RefusedInYuanWithTheStartPrice(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, TradeTypes.LandRights, host.LandListing());
        var error = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, 49_999_999m));
        Assert.Equal(GrantRules.ReserveInvalid, error.RuleCode);
        Assert.Equal(50_000_000m, error.Data[GrantRules.DataStartPrice]);
        Assert.DoesNotContain("fen", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task FindByLot_TheRoomNamesWhatIsSold_TheOfferingBehindTheLot(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host, host.LandListing(), TradeTypes.LandRights, null);

        var found = await host.Grants.FindByLotAsync(offering.LotId!.Value);

        Assert.Equal(offering.Id, found?.Id);
        Assert.Equal(offering.Title, found!.Title);
        Assert.Equal(offering.Parcel.Location, found.Parcel.Location);
        Assert.Null(await host.Grants.FindByLotAsync(Guid.NewGuid()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Apply_AfterTheDeadline_RefusedWithTheDeadline(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host, host.MineralAuction(), TradeTypes.MineralRights, null);
        host.Clock.Set(At(11, 20, 17, 1));
        var late = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.ApplyAsync(GrantHost.Bidder("buyer"), offering.Id, host.Person.Id));
        Assert.Equal(GrantRules.ApplicationClosed, late.RuleCode);
        Assert.Equal(offering.ApplicationDeadline, late.Data[GrantRules.DataDeadline]);
        Assert.Empty(await host.Grants.ApplicationsAsync(offering.Id));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task NaturalPerson_WithoutABasicAccount_IsRefundedToThePersonalAccountItPaidFrom(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider, personBasicAccount: false);
        Assert.Null(host.Person.Verified!.BasicAccount);
        var own = new BankAccount("测试农村商业银行", "王测试", "6228 4800 1234 5678");
        var offering = await PersonLosesAsync(host, (600_000m, own));

        await using var db = host.Database.Database.Create();
        var owed = await db.Set<ScheduledRefund>().AsNoTracking().SingleAsync(r => r.SectionId == offering.SectionId && r.EntityId == host.Person.Id);
        Assert.Equal(ScheduledRefundState.Done, owed.State);
        var refund = await db.Set<BankInstruction>().AsNoTracking().SingleAsync(i => i.SectionId == offering.SectionId && i.EntityId == host.Person.Id);
        Assert.Equal(InstructionKind.Refund, refund.Kind);
        Assert.Equal(InstructionState.Paid, refund.State);
        Assert.Equal("6228480012345678", refund.ToAccount);
        Assert.Equal("王测试", refund.ToName);
        Assert.Equal("测试农村商业银行", refund.ToBank);
        Assert.Equal(600_000m, refund.Principal);
        Assert.Equal(0m, refund.Interest);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task NaturalPerson_PaidFromTwoAccountsWithoutAVerifiedOne_RefundWaitsForStaffWithTheReason(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider, personBasicAccount: false);
        var offering = await PersonLosesAsync(host,
            (300_000m, new BankAccount("测试银行", "王测试", "6228 4800 0000 0001")),
            (300_000m, new BankAccount("测试银行", "王测试", "6228 4800 0000 0002")));

        await using var db = host.Database.Database.Create();
        var owed = await db.Set<ScheduledRefund>().AsNoTracking().SingleAsync(r => r.SectionId == offering.SectionId && r.EntityId == host.Person.Id);
        Assert.Equal(ScheduledRefundState.Pending, owed.State);
        Assert.StartsWith(DepositRules.RefundAccountUnclear, owed.LastError, StringComparison.Ordinal);
        Assert.False(await db.Set<BankInstruction>().AnyAsync(i => i.SectionId == offering.SectionId && i.EntityId == host.Person.Id));
    }

    /// <summary>
    /// A mining-right auction: a company and the natural person apply and pay (the person in the given transfers), both
    /// are admitted, the company wins; then the refund timer runs for the person's deposit.
    /// </summary>
    private static async Task<GrantOffering> PersonLosesAsync(GrantHost host, params (decimal Amount, BankAccount From)[] personPayments)
    {
        var offering = await AnnouncedAsync(host, host.MineralAuction(), TradeTypes.MineralRights, null);
        var (company, companyAccount) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);
        var (person, personAccount) = await host.Grants.ApplyAsync(GrantHost.Bidder("buyer"), offering.Id, host.Person.Id);
        await host.PayAsync(offering, host.Companies[0], companyAccount, 600_000m);
        foreach (var (amount, from) in personPayments)
        {
            await host.PayAsync(offering, host.Person, personAccount, amount, from);
        }

        company = await host.Grants.DecideAsync(host.Staff, company.Id, approve: true, null);
        await host.Grants.DecideAsync(host.Staff, person.Id, approve: true, null);

        await host.AdvanceToAsync(At(11, 23, 10, 1));
        Assert.True((await host.Bidding.SubmitAsync(offering.LotId!.Value, company.BidderNumber!.Value, 3_000_000m, "c1")).Accepted);
        await host.AdvanceToAsync(At(11, 23, 11));
        await host.AdvanceToAsync(At(11, 23, 11, 2));
        Assert.Equal(GrantStage.Sold, (await host.Grants.GetAsync(offering.Id))!.Stage);

        host.Clock.Set(At(11, 23, 12));
        await host.Services.GetRequiredService<DepositService>().RunDueRefundsAsync(10, CancellationToken.None);
        return offering;
    }
}

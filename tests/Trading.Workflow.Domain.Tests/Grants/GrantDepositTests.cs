using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// What the 2026-12-03 Chromium walk of the demo land listing found in the deposits: staff could refund the deposit of
/// a bidder in a live sale (it kept bidding and led with nothing held), and a natural person's deposit from its own
/// account was flagged 非基本账户缴纳 although a person has no basic account.
/// </summary>
public sealed class GrantDepositTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => GrantHost.At(month, day, hour, minute);

    private static Task<GrantOffering> AnnouncedAuctionAsync(GrantHost host) =>
        GrantWalkTests.AnnouncedAsync(host, host.MineralAuction(), TradeTypes.MineralRights, null);

    private static async Task<List<BankInstruction>> RefundsAsync(GrantHost host, Guid sectionId)
    {
        await using var db = host.Database.Database.Create();
        return await db.Set<BankInstruction>().AsNoTracking().Where(i => i.SectionId == sectionId && i.Kind == InstructionKind.Refund).ToListAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Refund_RefusedWhileTheBidderIsInTheOpenSale_AllowedAfterTheCloseForTheOthers_NeverForTheWinner(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var deposits = host.Services.GetRequiredService<DepositService>();
        var offering = await AnnouncedAuctionAsync(host);
        var applications = new List<GrantApplication>();
        foreach (var (company, user) in host.Companies.Zip(new[] { "bidder1", "bidder2", "bidder3" }))
        {
            var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder(user), offering.Id, company.Id);
            await host.PayAsync(offering, company, account, 600_000m);
            applications.Add(application);
        }

        // Two are admitted; the third applicant's eligibility is never confirmed: it takes no part in the sale.
        var winner = await host.Grants.DecideAsync(host.Staff, applications[0].Id, approve: true, null);
        var loser = await host.Grants.DecideAsync(host.Staff, applications[1].Id, approve: true, null);
        var (winnerId, loserId, outsiderId) = (host.Companies[0].Id, host.Companies[1].Id, host.Companies[2].Id);

        await host.AdvanceToAsync(At(11, 23, 10, 1));
        Assert.True((await host.Bidding.SubmitAsync(offering.LotId!.Value, loser.BidderNumber!.Value, 3_000_000m, "l1")).Accepted);

        // During the sale: the admitted bidder's deposit stays, by hand or all at once, with the sale named.
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => deposits.RefundAsync(offering.SectionId, loserId, "staff", CancellationToken.None));
        Assert.Equal(DepositRules.RefundDuringSale, refused.RuleCode);
        Assert.Equal(offering.Title, refused.Data[DepositRefundHold.DataSubject]);
        var all = await Assert.ThrowsAsync<DomainRuleException>(() => deposits.RefundAllAsync(offering.SectionId, "staff", CancellationToken.None));
        Assert.Equal(DepositRules.RefundDuringSale, all.RuleCode);
        Assert.Empty(await RefundsAsync(host, offering.SectionId));
        var holds = await deposits.RefundHoldsAsync(offering.SectionId, [winnerId, loserId, outsiderId], CancellationToken.None);
        Assert.Equal(new[] { winnerId, loserId }.Order(), holds.Keys.Order());

        // The applicant who is not in the sale may have its deposit back.
        Assert.Equal(InstructionState.Paid, (await deposits.RefundAsync(offering.SectionId, outsiderId, "staff", CancellationToken.None)).State);

        Assert.True((await host.Bidding.SubmitAsync(offering.LotId!.Value, winner.BidderNumber!.Value, 3_050_000m, "w1")).Accepted);
        // Past the scheduled end, before the timer closed the lot: still the sale's.
        host.Clock.Set(At(11, 23, 11, 1));
        Assert.Equal(DepositRules.RefundDuringSale, (await deposits.RefundHoldAsync(offering.SectionId, loserId, CancellationToken.None))?.RuleCode);

        await host.AdvanceToAsync(At(11, 23, 11));
        await host.AdvanceToAsync(At(11, 23, 11, 2));
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.Sold, offering.Stage);
        Assert.Equal(winnerId, offering.WinnerEntityId);

        // After the close: the winner's deposit becomes part of the price and is never refunded by hand...
        var won = await Assert.ThrowsAsync<DomainRuleException>(() => deposits.RefundAsync(offering.SectionId, winnerId, "staff", CancellationToken.None));
        Assert.Equal(DepositRules.RefundWinner, won.RuleCode);
        Assert.Equal(DepositRules.RefundWinner, (await Assert.ThrowsAsync<DomainRuleException>(
            () => deposits.RefundAllAsync(offering.SectionId, "staff", CancellationToken.None))).RuleCode);
        // ...while the loser's is refunded by the refund timer the outcome scheduled (staff could also refund it now).
        Assert.Null(await deposits.RefundHoldAsync(offering.SectionId, loserId, CancellationToken.None));
        host.Clock.Set(At(11, 23, 12));
        await deposits.RunDueRefundsAsync(10, CancellationToken.None);
        var refunds = await RefundsAsync(host, offering.SectionId);
        Assert.Equal(new[] { loserId, outsiderId }.Order(), refunds.Select(r => r.EntityId).Order());
        Assert.All(refunds, r => Assert.Equal(InstructionState.Paid, r.State));
        await using var db = host.Database.Database.Create();
        Assert.Equal(ScheduledRefundState.Done, (await db.Set<ScheduledRefund>().AsNoTracking().SingleAsync(r => r.SectionId == offering.SectionId && r.EntityId == loserId)).State);
        Assert.False(await db.Set<ScheduledRefund>().AnyAsync(r => r.SectionId == offering.SectionId && r.EntityId == winnerId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task NaturalPerson_PaysFromAnAccountInItsOwnName_NotFlagged_SomeoneElsePays_Flagged_ACompanyStillFromItsBasicAccount(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider, personBasicAccount: false);
        var offering = await AnnouncedAuctionAsync(host);
        var (_, personAccount) = await host.Grants.ApplyAsync(GrantHost.Bidder("buyer"), offering.Id, host.Person.Id);
        var (_, companyAccount) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);

        await host.PayAsync(offering, host.Person, personAccount, 300_000m, new BankAccount("测试农村商业银行", "王 测试", "6228 4800 1234 5678"));
        await host.PayAsync(offering, host.Person, personAccount, 100_000m, new BankAccount("测试银行", "王另一人", "6228 4800 9999 0001"));
        await host.PayAsync(offering, host.Companies[0], companyAccount, 300_000m);
        await host.PayAsync(offering, host.Companies[0], companyAccount, 300_000m, new BankAccount("测试银行", "测试置业有限公司", "6217 0000 0000 0009"));

        await using var db = host.Database.Database.Create();
        var payments = await db.Set<BankPayment>().AsNoTracking().Where(p => p.SectionId == offering.SectionId).ToListAsync();
        Assert.False(payments.Single(p => p.PayerAccount.EndsWith("5678", StringComparison.Ordinal)).Flagged);
        Assert.True(payments.Single(p => p.PayerAccount.EndsWith("0001", StringComparison.Ordinal)).Flagged);
        Assert.False(payments.Single(p => p.EntityId == host.Companies[0].Id && p.PayerAccount.EndsWith("0002", StringComparison.Ordinal)).Flagged);
        Assert.True(payments.Single(p => p.PayerAccount.EndsWith("0009", StringComparison.Ordinal)).Flagged);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task NaturalPerson_WithARegisteredPersonalAccount_PaysFromIt_NotFlagged(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider, personBasicAccount: true);
        var offering = await AnnouncedAuctionAsync(host);
        var (_, personAccount) = await host.Grants.ApplyAsync(GrantHost.Bidder("buyer"), offering.Id, host.Person.Id);
        var registered = host.Person.Verified!.BasicAccount!;

        // The bank reports the holder's name its own way; the registered account number is what counts.
        await host.PayAsync(offering, host.Person, personAccount, 600_000m, registered with { AccountName = "WANG CESHI" });

        await using var db = host.Database.Database.Create();
        Assert.False((await db.Set<BankPayment>().AsNoTracking().SingleAsync(p => p.SectionId == offering.SectionId)).Flagged);
    }
}

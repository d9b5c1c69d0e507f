using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// A land or mineral sale's collusion warnings come with the admissions: the 2026-12-05 walk found two bidders' deposits
/// paid from one account warned only after a supervisor pressed 重新计算, since only an opening computed them.
/// </summary>
public sealed class GrantWarningsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Admission_ComputesTheSectionsWarnings_DepositsOfTwoBiddersFromOneAccount(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await GrantWalkTests.AnnouncedAsync(host, host.MineralAuction(), TradeTypes.MineralRights, null);
        var oneAccount = new BankAccount("测试银行", "代缴人", "6217 0000 0000 0042");
        var applications = new List<GrantApplication>();
        foreach (var (company, user) in host.Companies.Take(2).Zip(new[] { "bidder1", "bidder2" }))
        {
            var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder(user), offering.Id, company.Id);
            await host.PayAsync(offering, company, account, 600_000m, oneAccount);
            applications.Add(application);
        }

        Assert.Empty(await WarningsAsync(host, offering));

        await host.Grants.DecideAsync(host.Staff, applications[0].Id, approve: true, null);

        // Payments count whoever paid; profiles only among the bidders admitted so far (one).
        var warning = Assert.Single(await WarningsAsync(host, offering));
        Assert.Equal(WarningKind.SamePayerAccount, warning.Kind);
        Assert.Equal(WarningState.Open, warning.State);
        Assert.Equal(new[] { host.Companies[0].Id, host.Companies[1].Id }.Order(), warning.Bidders.Select(b => b.EntityId).Order());

        // The second admitted: the same payment warning, no duplicate, and the host's test companies also share a legal
        // representative and a phone.
        await host.Grants.DecideAsync(host.Staff, applications[1].Id, approve: true, null);
        var found = await WarningsAsync(host, offering);
        Assert.Equal([WarningKind.SamePayerAccount, WarningKind.SameLegalRepresentative, WarningKind.SameContactPhone], found.Select(w => w.Kind).Order());
        Assert.Equal(warning.Id, found.Single(w => w.Kind == WarningKind.SamePayerAccount).Id);
    }

    private static async Task<List<CollusionWarning>> WarningsAsync(GrantHost host, GrantOffering offering)
    {
        await using var db = host.Database.Database.Create();
        return await db.Set<CollusionWarning>().AsNoTracking().Where(w => w.SectionId == offering.SectionId).ToListAsync();
    }
}

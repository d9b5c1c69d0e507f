using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// A grant archived while the deposits its termination owes back are still to be paid: each refund the bank pays (here
/// in its answer to the refund timer, not by a callback) adds a supplement to the archive, chained to the one before;
/// the same mechanism as the engineering tender's, on SQLite and PostgreSQL.
/// </summary>
public sealed class GrantArchiveSupplementTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task TerminatedGrant_ArchivedBeforeItsRefunds_EachRefundPaidAddsAChainedSupplement(DatabaseProvider provider)
    {
        // The grant host has no evaluation part: the archive does not need it (its records are the evaluation's own).
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await GrantTerminationRequestTests.AnnouncedAsync(host);
        await GrantTerminationRequestTests.PaidApplicantsAsync(host, offering, 2);
        await host.Grants.TerminateAsync(host.Grantor, offering.Id, "规划调整");
        var archives = host.Services.GetRequiredService<ArchiveService>();
        var archive = await archives.ArchiveAsync(offering.ProjectId, "staff");
        Assert.Empty(await archives.SupplementsAsync(offering.ProjectId));

        Assert.Equal(2, await host.Services.GetRequiredService<DepositService>().RunDueRefundsAsync(10, CancellationToken.None));

        var supplements = await archives.SupplementsAsync(offering.ProjectId);
        Assert.Equal([1, 2], supplements.Select(s => s.Sequence));
        Assert.All(supplements, s => Assert.Equal((DepositSettlementKinds.RefundPaid, archive.ManifestSm3), (s.Reason, s.OriginalManifestSm3)));
        Assert.Equal(supplements[0].ManifestSm3, supplements[1].PreviousManifestSm3);
        Assert.Equal(host.Companies.Take(2).Select(c => c.Id).Order(), supplements.Select(s => s.EntityId).Order());
        Assert.All(supplements[1].Ledger, line => Assert.Equal(SupplementDepositState.Refunded, line.State));
        Assert.Equal(archive.ManifestSm3, (await archives.FindAsync(offering.ProjectId))!.ManifestSm3);
        var verification = await archives.VerifyStoredAsync(offering.ProjectId);
        Assert.True(verification.IsIntact);
        Assert.All(verification.Supplements, s => Assert.True(s.Linked));
        Assert.Equal(2, (await host.TrailAsync(ArchiveService.SupplementAction)).Count);
    }
}

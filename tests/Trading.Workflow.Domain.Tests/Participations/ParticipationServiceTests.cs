using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Tests.SealedBids;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Participations;

/// <summary>Participations on real databases: one per (section, entity), eligible entities only, with their trail.</summary>
public sealed class ParticipationServiceTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Ensure_StartsOneParticipationPerSectionAndEntity_AndIsIdempotent(DatabaseProvider provider)
    {
        await using var host = await SealedBidsHost.StartAsync(provider);
        var entity = await host.CompanyAsync("bidder", "演示建设集团有限公司", "91350100M000100Y4");
        await using var db = host.Projects.Database.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();

        var first = await host.Participations.EnsureAsync(db, host.Section.Id, entity.Id, ParticipationOrigin.DocumentsDownloaded, "bidder");
        var again = await host.Participations.EnsureAsync(db, host.Section.Id, entity.Id, ParticipationOrigin.Invited, "staff");
        await tx.CommitAsync();

        Assert.Equal(first.Id, again.Id);
        Assert.Equal((ParticipationOrigin.DocumentsDownloaded, ParticipationState.Active, host.Project.Id, "演示建设集团有限公司"),
            (again.Origin, again.State, again.ProjectId, again.EntityName));
        await using var read = host.Projects.Database.Database.Create();
        Assert.Equal(first.Id, Assert.Single(await host.Participations.ListForSectionAsync(read, host.Section.Id)).Id);
        Assert.Equal(first.Id, Assert.Single(await host.Participations.ListForEntityAsync(read, entity.Id)).Id);
        Assert.Equal(first.Id, (await host.Participations.FindAsync(read, host.Section.Id, entity.Id))?.Id);
        var records = await read.Set<AuditEntry>().AsNoTracking().Where(e => e.Action.StartsWith("participations.")).ToListAsync();
        Assert.Equal("participations.participation.started", Assert.Single(records).Action);
        Assert.Contains(host.Section.Id.ToString(), Assert.Single(records).Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ensure_ForAnUnverifiedEntity_IsRefusedWithTheReason()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var entity = await host.CompanyAsync("bidder", "未审核公司", "91350100M000300Y4", verified: false);
        await using var db = host.Projects.Database.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Participations.EnsureAsync(db, host.Section.Id, entity.Id, ParticipationOrigin.Applied, "bidder"));

        Assert.Equal(ParticipationRules.NotEligible, refused.RuleCode);
        Assert.Contains("Market.NotVerified", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Withdraw_EndsTheParticipation_AndASecondEndIsRefused()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var entity = await host.CompanyAsync("bidder", "演示建设集团有限公司", "91350100M000100Y4");
        await using var db = host.Projects.Database.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        var participation = await host.Participations.EnsureAsync(db, host.Section.Id, entity.Id, ParticipationOrigin.Invited, "staff");

        var withdrawn = await host.Participations.WithdrawAsync(db, participation.Id, "bidder", "不再参与");
        var again = await Assert.ThrowsAsync<DomainRuleException>(() => host.Participations.DisqualifyAsync(db, participation.Id, "staff", "资格不符"));

        Assert.Equal((ParticipationState.Withdrawn, "不再参与"), (withdrawn.State, withdrawn.EndReason));
        Assert.Equal(ParticipationRules.NotActive, again.RuleCode);
    }

    [Fact]
    public async Task Ensure_ForAnUnknownSection_IsRefused()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        await using var db = host.Projects.Database.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Participations.EnsureAsync(db, Guid.NewGuid(), Guid.NewGuid(), ParticipationOrigin.Applied, "bidder"));

        Assert.Equal(ParticipationRules.SectionUnknown, refused.RuleCode);
    }
}

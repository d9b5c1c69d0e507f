using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Access;

/// <summary>The party tables on real SQLite and PostgreSQL databases: additions are idempotent, read back, and in the trail.</summary>
public sealed class ProjectPartyStoreTests
{
    private static readonly ProjectRef Project = new(Guid.NewGuid(), "530100-GC-2026-00001", Guid.NewGuid(), Guid.NewGuid(), null);

    private sealed class OneProject : IProjectDirectory
    {
        public Task<ProjectRef?> FindByCodeAsync(string code, CancellationToken cancellationToken = default) =>
            Task.FromResult(code == Project.Code ? Project : null);

        public Task<ProjectRef?> FindByIdAsync(Guid projectId, CancellationToken cancellationToken = default) =>
            Task.FromResult(projectId == Project.Id ? Project : null);

        public Task<IReadOnlyList<string>> CodesAsync(ProjectSelection selection, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>(selection.ProjectIds.Contains(Project.Id) ? [Project.Code] : []);
    }

    private static Task<TradingDatabaseHost> StartAsync(DatabaseProvider provider) =>
        TradingDatabaseHost.StartAsync(provider, services => services.AddSingleton<IProjectDirectory, OneProject>());

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AddParticipant_TwiceForTheSameSection_IsStoredOnceAndRecordedInTheTrail(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var parties = host.Services.GetRequiredService<IProjectParticipants>();
        var register = host.Services.GetRequiredService<IProjectPartyRegister>();
        var entity = Guid.NewGuid();
        var section = Guid.NewGuid();

        Assert.True(await parties.AddParticipantAsync(Project.Id, entity, section, "bidder1"));
        Assert.False(await parties.AddParticipantAsync(Project.Id, entity, section, "bidder1"));
        Assert.True(await parties.AddParticipantAsync(Project.Id, entity, null, "bidder1"));

        Assert.Equal([entity], await register.ParticipantsOfAsync(Project.Id));
        Assert.Equal([Project.Id], await register.ProjectsOfParticipantsAsync([entity, Guid.NewGuid()]));
        Assert.Empty(await register.ProjectsOfParticipantsAsync([Guid.NewGuid()]));
        await using var db = host.Database.Create();
        var trail = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == "access.participant.added").ToListAsync();
        Assert.Equal(2, trail.Count);
        Assert.All(trail, e => Assert.Equal(Project.CentreId, e.CentreId));
        Assert.Contains(entity.ToString(), trail[0].Data, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AddExpert_IsReadBackByProjectAndByExpert_WithoutTheNameInTheTrail(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var parties = host.Services.GetRequiredService<IProjectParticipants>();
        var register = host.Services.GetRequiredService<IProjectPartyRegister>();

        Assert.True(await parties.AddExpertAsync(Project.Id, " expert-drawn ", null, "staff"));
        Assert.False(await parties.AddExpertAsync(Project.Id, "expert-drawn", null, "staff"));

        Assert.Equal(["expert-drawn"], await register.ExpertsOfAsync(Project.Id));
        Assert.Equal([Project.Id], await register.ProjectsOfExpertAsync("expert-drawn"));
        Assert.Empty(await register.ProjectsOfExpertAsync("expert-other"));
        await using var db = host.Database.Create();
        var record = await db.Set<AuditEntry>().AsNoTracking().SingleAsync(e => e.Action == "access.expert.drawn");
        Assert.DoesNotContain("expert-drawn", record.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddParticipant_ToAnUnknownProject_IsRefusedAndStoresNothing()
    {
        await using var host = await StartAsync(DatabaseProvider.Sqlite);
        var parties = host.Services.GetRequiredService<IProjectParticipants>();

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => parties.AddParticipantAsync(Guid.NewGuid(), Guid.NewGuid(), null, "x"));

        Assert.Equal(ProjectPartyStore.ProjectUnknown, refused.RuleCode);
        await using var db = host.Database.Create();
        Assert.Empty(await db.Set<ProjectParticipant>().ToListAsync());
    }
}

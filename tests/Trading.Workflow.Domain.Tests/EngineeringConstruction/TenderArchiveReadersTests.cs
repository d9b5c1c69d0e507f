using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Tests.Projects;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// <c>TenderArchiveReaders</c> for a tender run by an agency (招标代理机构): the agency reads its own tender's archive once
/// archived, as the tenderee does; another agency does not, nor the agency's users without the tenderee's role.
/// </summary>
public sealed class TenderArchiveReadersTests
{
    [Fact]
    public async Task Agency_ReadsItsOwnTendersArchive_OnceArchived_AnotherAgencyIsRefused()
    {
        await using var host = await ProjectsHost.StartAsync(DatabaseProvider.Sqlite);
        var agent = ProjectsHost.Tenderee(host.City, "agent", ProjectsHost.Agency);
        var project = await host.Projects.RegisterAsync(agent, ProjectsHost.Input(ProjectsHost.Hospital) with
        {
            AgencyEntityId = ProjectsHost.Agency.EntityId,
            AgencyLetterSha256 = await host.StoreLetterAsync(),
        });
        var archives = host.Database.Services.GetRequiredService<ArchiveService>();
        var agency = new ProjectPrincipal("agent", [PlatformRoles.Tenderee], host.City.Id, [ProjectsHost.Agency.EntityId]);
        var owner = new ProjectPrincipal("hospital", [PlatformRoles.Tenderee], host.City.Id, [ProjectsHost.Hospital.EntityId]);
        var otherAgency = new ProjectPrincipal("other-agent", [PlatformRoles.Tenderee], host.City.Id, [Guid.NewGuid()]);
        Assert.False(await archives.MayReadAsPartyAsync(agency, project.Id), "before the archive");

        await archives.ArchiveAsync(project.Id, "staff");

        Assert.True(await archives.MayReadAsPartyAsync(agency, project.Id));
        Assert.Equal([project.Code], (await archives.SearchForPartyAsync(agency, null, 0, 20)).Rows.Select(r => r.ProjectCode));
        Assert.True(await archives.MayReadAsPartyAsync(owner, project.Id), "the tenderee it acts for");
        Assert.False(await archives.MayReadAsPartyAsync(otherAgency, project.Id), "another agency");
        Assert.Empty((await archives.SearchForPartyAsync(otherAgency, null, 0, 20)).Rows);
        var agencyBidder = new ProjectPrincipal("agent", [PlatformRoles.Bidder], null, [ProjectsHost.Agency.EntityId]);
        Assert.False(await archives.MayReadAsPartyAsync(agencyBidder, project.Id), "the agency's entity without the tenderee's role");
    }
}

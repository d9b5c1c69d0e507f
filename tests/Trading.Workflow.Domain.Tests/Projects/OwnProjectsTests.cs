using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Projects;

/// <summary>
/// The projects of the entities a tenderee acts for, for its workspace: its own and those an agency registered in its
/// name, with the agency named; never another entity's, and only in the states asked for.
/// </summary>
public sealed class OwnProjectsTests
{
    [Fact]
    public async Task OfOwnEntities_ListsItsOwnAndTheAgencysDraftsInItsName_NotAnotherEntitys_InTheStatesAsked()
    {
        await using var host = await ProjectsHost.StartAsync(DatabaseProvider.Sqlite);
        var hospital = ProjectsHost.Tenderee(host.City, "hospital.user", ProjectsHost.Hospital);
        var agent = ProjectsHost.Tenderee(host.City, "agent", ProjectsHost.Agency);
        var school = ProjectsHost.Tenderee(host.City, "school.user", ProjectsHost.School);
        var own = await host.Projects.RegisterAsync(hospital, ProjectsHost.Input(ProjectsHost.Hospital, "医院自己登记的工程"));
        var byAgency = await host.Projects.RegisterAsync(agent, ProjectsHost.Input(ProjectsHost.Hospital, "代理机构登记的工程") with
        {
            AgencyEntityId = ProjectsHost.Agency.EntityId,
            AgencyLetterSha256 = await host.StoreLetterAsync(),
        });
        var others = await host.Projects.RegisterAsync(school, ProjectsHost.Input(ProjectsHost.School, "学校的工程"));
        var submitted = await host.Projects.RegisterAsync(hospital, ProjectsHost.Input(ProjectsHost.Hospital, "医院已提交的工程"));
        await host.Projects.SubmitAsync(hospital, submitted.Id, submitted.Revision);

        var drafts = await host.Projects.OfOwnEntitiesAsync(hospital, [ProjectState.Draft]);
        Assert.Equal(new[] { own.Id, byAgency.Id }.Order(), drafts.Select(p => p.Id).Order());
        var agencys = drafts.Single(p => p.Id == byAgency.Id);
        Assert.Equal((ProjectsHost.Agency.EntityId, ProjectsHost.Agency.Name, ProjectsHost.Hospital.EntityId), (agencys.AgencyEntityId, agencys.AgencyName, agencys.OwnerEntityId));
        Assert.Null(drafts.Single(p => p.Id == own.Id).AgencyEntityId);
        Assert.DoesNotContain(drafts, p => p.Id == others.Id);

        var pending = await host.Projects.OfOwnEntitiesAsync(hospital, [ProjectState.Draft, ProjectState.Submitted]);
        Assert.Equal(ProjectState.Submitted, Assert.Single(pending, p => p.Id == submitted.Id).State);

        // The agency sees the draft it registered; the school sees only its own; staff (no entity) nothing here.
        Assert.Equal(byAgency.Id, Assert.Single(await host.Projects.OfOwnEntitiesAsync(agent, [ProjectState.Draft])).Id);
        Assert.Equal(others.Id, Assert.Single(await host.Projects.OfOwnEntitiesAsync(school, [ProjectState.Draft])).Id);
        Assert.Empty(await host.Projects.OfOwnEntitiesAsync(ProjectsHost.Staff(host.City), [ProjectState.Draft]));
    }
}

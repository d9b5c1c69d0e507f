using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;

namespace Trading.Workflow.Domain.Tests.Access;

/// <summary>
/// Who is a party of a project and what follows: a project of a city centre under a province centre, owned by one
/// entity through an agency, with one participant and one expert drawn.
/// </summary>
public sealed class ProjectAccessRulesTests
{
    private static readonly Guid Province = Guid.NewGuid();
    private static readonly Guid City = Guid.NewGuid();
    private static readonly Guid OtherCity = Guid.NewGuid();
    private static readonly Guid OwnerEntity = Guid.NewGuid();
    private static readonly Guid AgencyEntity = Guid.NewGuid();
    private static readonly Guid Bidder1Entity = Guid.NewGuid();
    private static readonly Guid Bidder2Entity = Guid.NewGuid();

    private static readonly ProjectScope Project = new(
        Guid.NewGuid(), "530100-GC-2026-00001", City, [Province], OwnerEntity, AgencyEntity, [Bidder1Entity], ["expert-drawn"]);

    private static ProjectStanding Standing(string role, Guid? centre = null, params Guid[] entities) =>
        ProjectAccessRules.StandingOf(new ProjectPrincipal("u", [role], centre, entities), Project);

    private static ProjectStanding Expert(string userId) =>
        ProjectAccessRules.StandingOf(new ProjectPrincipal(userId, [PlatformRoles.Expert], null, []), Project);

    [Fact]
    public void StaffOfTheProjectsCentre_ReadsActsAndHoldsStaff()
    {
        var standing = Standing(PlatformRoles.Staff, City);

        Assert.Equal(ProjectParty.CentreStaff, standing.Parties);
        Assert.True(standing.Can(ProjectAction.ViewProject));
        Assert.True(standing.Can(ProjectAction.ViewDownloadRecords));
        Assert.True(standing.MayReceiveTasks);
        Assert.Equal([PlatformRoles.Staff], standing.RolesInProject);
    }

    [Fact]
    public void StaffOfTheParentCentre_ReadsButNeverActs()
    {
        var standing = Standing(PlatformRoles.Staff, Province);

        Assert.Equal(ProjectParty.ParentCentreStaff, standing.Parties);
        Assert.True(standing.Can(ProjectAction.ViewProject));
        Assert.True(standing.Can(ProjectAction.ViewDocuments));
        Assert.False(standing.MayReceiveTasks);
        Assert.Empty(standing.RolesInProject);
    }

    [Fact]
    public void StaffOfAnotherCentre_IsNoParty()
    {
        var standing = Standing(PlatformRoles.Staff, OtherCity);

        Assert.False(standing.IsParty);
        Assert.False(standing.Can(ProjectAction.ViewProject));
        Assert.False(standing.Can(ProjectAction.ViewDocuments));
        Assert.Empty(standing.RolesInProject);
    }

    [Fact]
    public void TendereeOfTheOwner_ReadsActsAndHoldsTenderee_ButSeesNoDownloadRecords()
    {
        var standing = Standing(PlatformRoles.Tenderee, City, OwnerEntity);

        Assert.Equal(ProjectParty.Owner, standing.Parties);
        Assert.True(standing.Can(ProjectAction.ViewProject));
        Assert.False(standing.Can(ProjectAction.ViewDownloadRecords));
        Assert.Equal([PlatformRoles.Tenderee], standing.RolesInProject);
    }

    [Fact]
    public void TendereeOfTheAgency_HoldsTenderee()
    {
        var standing = Standing(PlatformRoles.Tenderee, OtherCity, AgencyEntity);

        Assert.Equal(ProjectParty.Agency, standing.Parties);
        Assert.Equal([PlatformRoles.Tenderee], standing.RolesInProject);
    }

    [Fact]
    public void TendereeOfAnotherEntity_IsNoParty()
    {
        var standing = Standing(PlatformRoles.Tenderee, City, Guid.NewGuid());

        Assert.False(standing.IsParty);
        Assert.Empty(standing.RolesInProject);
    }

    [Fact]
    public void ParticipantBidder_ActsAndReadsOnlyItsOwnData()
    {
        var standing = Standing(PlatformRoles.Bidder, null, Bidder1Entity);

        Assert.Equal(ProjectParty.Participant, standing.Parties);
        Assert.True(standing.OwnDataOnly);
        Assert.False(standing.Can(ProjectAction.ViewProject));
        Assert.False(standing.Can(ProjectAction.ViewDocuments));
        Assert.True(standing.Can(ProjectAction.ViewEntityData, Bidder1Entity));
        Assert.False(standing.Can(ProjectAction.ViewEntityData, Bidder2Entity));
        Assert.Equal([PlatformRoles.Bidder], standing.RolesInProject);
    }

    [Fact]
    public void BidderNotTakingPart_IsNoParty()
    {
        var standing = Standing(PlatformRoles.Bidder, null, Bidder2Entity);

        Assert.False(standing.IsParty);
        Assert.False(standing.Can(ProjectAction.ViewEntityData, Bidder2Entity));
        Assert.Empty(standing.RolesInProject);
    }

    [Fact]
    public void DrawnExpert_ReadsDocumentsAndBidsAndHoldsExpert_NotTheWholeProject()
    {
        var standing = Expert("expert-drawn");

        Assert.Equal(ProjectParty.Expert, standing.Parties);
        Assert.True(standing.Can(ProjectAction.ViewDocuments));
        Assert.True(standing.Can(ProjectAction.ViewEntityData, Bidder1Entity));
        Assert.False(standing.Can(ProjectAction.ViewProject));
        Assert.Equal([PlatformRoles.Expert], standing.RolesInProject);
    }

    [Fact]
    public void ExpertNotDrawn_IsNoParty()
    {
        Assert.False(Expert("expert-other").IsParty);
    }

    [Theory]
    [InlineData("none", true)]
    [InlineData("city", true)]
    [InlineData("province", true)]
    [InlineData("other", false)]
    public void Supervisor_OfTheRegionOrProvinceWide_ReadsButNeverActs(string region, bool party)
    {
        Guid? centre = region switch { "city" => City, "province" => Province, "other" => OtherCity, _ => null };

        var standing = Standing(PlatformRoles.Supervisor, centre);

        Assert.Equal(party, standing.Is(ProjectParty.Supervisor));
        Assert.Equal(party, standing.Can(ProjectAction.ViewProject));
        Assert.Equal(party, standing.Can(ProjectAction.ViewDownloadRecords));
        Assert.False(standing.MayReceiveTasks);
    }

    [Fact]
    public void Administrator_ReadsAndAdministersButNeverActs()
    {
        var standing = Standing(PlatformRoles.Administrator, OtherCity);

        Assert.True(standing.Can(ProjectAction.ViewProject));
        Assert.True(standing.Can(ProjectAction.Administer));
        Assert.False(standing.MayReceiveTasks);
    }

    [Fact]
    public void OnlyTheAdministrator_Administers()
    {
        Assert.False(Standing(PlatformRoles.Staff, City).Can(ProjectAction.Administer));
        Assert.False(Standing(PlatformRoles.Tenderee, City, OwnerEntity).Can(ProjectAction.Administer));
    }

    [Fact]
    public void UserOfTheOwnerWithoutTheTendereeRole_ReadsButHoldsNoRole()
    {
        // A bidder account that also acts for the owner entity: it reads the project, but a Tenderee task is not offered to it.
        var standing = Standing(PlatformRoles.Bidder, null, OwnerEntity);

        Assert.True(standing.Can(ProjectAction.ViewProject));
        Assert.Empty(standing.RolesInProject);
    }

    [Fact]
    public void OnlyTheOwnersAndAgencysTenderees_ManageTheProject()
    {
        Assert.True(Standing(PlatformRoles.Tenderee, City, OwnerEntity).Can(ProjectAction.Manage));
        Assert.True(Standing(PlatformRoles.Tenderee, OtherCity, AgencyEntity).Can(ProjectAction.Manage)); // entities trade province-wide
        Assert.False(Standing(PlatformRoles.Bidder, City, OwnerEntity).Can(ProjectAction.Manage));
        Assert.False(Standing(PlatformRoles.Tenderee, City, Bidder1Entity).Can(ProjectAction.Manage));
        Assert.False(Standing(PlatformRoles.Staff, City).Can(ProjectAction.Manage));
        Assert.False(Standing(PlatformRoles.Supervisor, City).Can(ProjectAction.Manage));
        Assert.False(Standing(PlatformRoles.Administrator).Can(ProjectAction.Manage));
    }
}

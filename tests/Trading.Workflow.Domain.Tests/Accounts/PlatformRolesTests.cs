using Trading.Workflow.Domain.Accounts;

namespace Trading.Workflow.Domain.Tests.Accounts;

public sealed class PlatformRolesTests
{
    [Theory]
    [InlineData(PlatformRoles.Staff)]
    [InlineData(PlatformRoles.Tenderee)]
    [InlineData(PlatformRoles.Administrator)]
    public void CheckAssignment_CentreBoundRoleWithoutCentre_ReturnsCentreRequired(string role)
    {
        Assert.Equal(PlatformRoles.CentreRequired, PlatformRoles.CheckAssignment([role], hasCentre: false));
    }

    [Theory]
    [InlineData(PlatformRoles.Bidder)]
    [InlineData(PlatformRoles.Expert)]
    public void CheckAssignment_ProvinceWideRoleWithCentre_ReturnsCentreNotAllowed(string role)
    {
        Assert.Equal(PlatformRoles.CentreNotAllowed, PlatformRoles.CheckAssignment([role], hasCentre: true));
    }

    [Fact]
    public void CheckAssignment_StaffAndBidderTogether_ReturnsMixedScope()
    {
        Assert.Equal(PlatformRoles.MixedScope, PlatformRoles.CheckAssignment([PlatformRoles.Staff, PlatformRoles.Bidder], hasCentre: true));
    }

    [Fact]
    public void CheckAssignment_NoRoles_ReturnsRoleRequired()
    {
        Assert.Equal(PlatformRoles.RoleRequired, PlatformRoles.CheckAssignment([], hasCentre: false));
    }

    [Fact]
    public void CheckAssignment_UnknownRole_ReturnsUnknownRole()
    {
        Assert.Equal(PlatformRoles.UnknownRole, PlatformRoles.CheckAssignment(["Auditor"], hasCentre: false));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CheckAssignment_SupervisorWithOrWithoutCentre_IsValid(bool hasCentre)
    {
        Assert.Null(PlatformRoles.CheckAssignment([PlatformRoles.Supervisor], hasCentre));
    }

    [Fact]
    public void CheckAssignment_StaffAndAdministratorWithCentre_IsValid()
    {
        Assert.Null(PlatformRoles.CheckAssignment([PlatformRoles.Staff, PlatformRoles.Administrator], hasCentre: true));
    }

    [Fact]
    public void CheckAssignment_BidderWithoutCentre_IsValid()
    {
        Assert.Null(PlatformRoles.CheckAssignment([PlatformRoles.Bidder], hasCentre: false));
    }
}

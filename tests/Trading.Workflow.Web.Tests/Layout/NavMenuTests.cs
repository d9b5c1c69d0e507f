using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Components.Layout;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Layout;

/// <summary>The navigation shows each role its own pages and no one else's.</summary>
public sealed class NavMenuTests : PlatformComponentTest
{
    private string[] Links(IRenderedComponent<NavMenu> menu) =>
        [.. menu.FindAll(".tw-nav a[href]").Select(a => a.GetAttribute("href")!)];

    [Fact]
    public void Anonymous_SeesOnlyThePublicPages()
    {
        AddAuthorization();

        var menu = Render<NavMenu>();

        Assert.Equal(["/", "/centres", "/portal", "/portal/credit", "/market/register"], Links(menu));
        Assert.Empty(menu.FindAll("[data-role]"));
    }

    [Fact]
    public void Bidder_SeesTheInboxButNoAdministration()
    {
        SignIn("bidder", PlatformRoles.Bidder);

        var links = Links(Render<NavMenu>());

        Assert.Contains("/inbox", links);
        Assert.DoesNotContain("/instances", links);
        Assert.DoesNotContain("/admin/users", links);
        Assert.DoesNotContain("/designer", links);
    }

    [Fact]
    public void Administrator_SeesTheAdministrationGroupInChinese()
    {
        SignIn("admin", PlatformRoles.Administrator);

        var menu = Render<NavMenu>();

        Assert.Contains("/admin/users", Links(menu));
        Assert.Contains("/designer", Links(menu));
        Assert.Contains("/instances", Links(menu));
        var group = menu.Find("[data-role=Administrator]");
        Assert.Contains("流程管理员", group.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Supervisor_SeesTheAccountOverviewInEnglish()
    {
        Culture("en");
        SignIn("supervisor", PlatformRoles.Supervisor);

        var menu = Render<NavMenu>();

        Assert.Contains("/supervision/accounts", Links(menu));
        Assert.DoesNotContain("/admin/users", Links(menu));
        Assert.Contains("Account overview", menu.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PlatformRoles.Supervisor, true)]
    [InlineData(PlatformRoles.Staff, false)]
    [InlineData(PlatformRoles.Bidder, false)]
    [InlineData(PlatformRoles.Administrator, false)]
    public void CreditRecords_AreInTheSupervisorsMenuOnly_ThePublishedListInEveryonesMenu(string role, bool listed)
    {
        SignIn("someone", role);

        var menu = Render<NavMenu>();

        Assert.Equal(listed, Links(menu).Contains("/supervision/credit"));
        Assert.Contains("/portal/credit", Links(menu));
    }

    // The list of open complaints, suspensions and late contracts was reachable by its address only.
    [Theory]
    [InlineData(PlatformRoles.Supervisor, true)]
    [InlineData(PlatformRoles.Staff, false)]
    [InlineData(PlatformRoles.Tenderee, false)]
    [InlineData(PlatformRoles.Bidder, false)]
    [InlineData(PlatformRoles.Administrator, false)]
    public void AwardSupervision_IsInTheSupervisorsMenuOnly(string role, bool listed)
    {
        SignIn("someone", role);

        var menu = Render<NavMenu>();

        Assert.Equal(listed, Links(menu).Contains("/supervision/engineering-award"));
        Assert.Equal(listed, menu.Markup.Contains("定标监督", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(PlatformRoles.Supervisor, true)]
    [InlineData(PlatformRoles.Staff, true)]
    [InlineData(PlatformRoles.Bidder, false)]
    [InlineData(PlatformRoles.Tenderee, false)]
    [InlineData(PlatformRoles.Expert, false)]
    [InlineData(PlatformRoles.Administrator, false)]
    public void CollusionWarnings_AreInTheMenuOfSupervisorsAndStaffOnly(string role, bool listed)
    {
        SignIn("someone", role);

        var menu = Render<NavMenu>();

        Assert.Equal(listed, Links(menu).Contains("/supervision/warnings"));
        Assert.Equal(listed, menu.Markup.Contains("围标串标预警", StringComparison.Ordinal));
    }

    [Fact]
    public void Staff_SeesInboxInstancesAndCentrePeopleButNoAdministration()
    {
        SignIn("staff", PlatformRoles.Staff);

        var menu = Render<NavMenu>();

        Assert.Equal(["/", "/centres", "/portal", "/portal/credit", "/account", "/inbox", "/land-rights", "/mineral-rights", "/projects", "/instances", "/market/verification", "/centre/people", "/deposits/sections", "/deposits/payments", "/deposits/late", "/archive", "/openings", "/supervision/documents", "/supervision/warnings", "/experts"], Links(menu));
        Assert.Equal(["Staff"], menu.FindAll("[data-role]").Select(e => e.GetAttribute("data-role")));
        Assert.Contains("交易中心工作人员", menu.Find("[data-role=Staff]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Tenderee_SeesAccountInboxItsEntitiesProjectsAndTheArchive()
    {
        SignIn("tenderee", PlatformRoles.Tenderee);

        var menu = Render<NavMenu>();

        // The archive: a grantor (role Tenderee) reads its own offerings' packages there once archived.
        Assert.Equal(["/", "/centres", "/portal", "/portal/credit", "/account", "/inbox", "/land-rights", "/mineral-rights", "/market/my", "/workspace", "/projects", "/notices", "/archive"], Links(menu));
        Assert.Empty(menu.FindAll("[data-role]"));
    }

    [Theory]
    [InlineData(PlatformRoles.Tenderee, true)]
    [InlineData(PlatformRoles.Staff, true)]
    [InlineData(PlatformRoles.Supervisor, true)]
    [InlineData(PlatformRoles.Bidder, false)]
    [InlineData(PlatformRoles.Expert, false)]
    public void Archive_IsInTheMenuOfGrantorsStaffAndSupervisors_NotBidders(string role, bool listed)
    {
        SignIn("someone", role);

        var menu = Render<NavMenu>();

        Assert.Equal(listed, Links(menu).Contains("/archive"));
    }

    [Fact]
    public void Expert_InEnglish_SeesAccountInboxAndTheirInvitationsAndProfile()
    {
        Culture("en");
        SignIn("expert", PlatformRoles.Expert);

        var menu = Render<NavMenu>();

        Assert.Equal(["/", "/centres", "/portal", "/portal/credit", "/account", "/inbox", "/experts/invitations", "/experts/me"], Links(menu));
        Assert.Contains("My account", menu.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("/administration/incidents", Links(menu));
    }

    [Theory]
    [InlineData("/Account/AccessDenied", null)]
    [InlineData("/account", "/account")]
    [InlineData("/inbox", "/inbox")]
    public void Highlight_FollowsThePageOnly_AccessDeniedIsNotMyAccount(string page, string? highlighted)
    {
        SignIn("tenderee", PlatformRoles.Tenderee);
        Services.GetRequiredService<NavigationManager>().NavigateTo(page);

        var menu = Render<NavMenu>();

        Assert.Equal(highlighted is null ? [] : [highlighted], menu.FindAll(".tw-nav a.active[href]").Select(a => a.GetAttribute("href")));
    }

    [Theory]
    [InlineData(PlatformRoles.Bidder, "/portal/credit", "/portal/credit")]
    [InlineData(PlatformRoles.Bidder, "/portal/notices/5d1c7c1e-0000-0000-0000-000000000001", "/portal")]
    [InlineData(PlatformRoles.Bidder, "/bids/key", "/bids/key")]
    [InlineData(PlatformRoles.Bidder, "/bids/5d1c7c1e-0000-0000-0000-000000000001", "/bids")]
    [InlineData(PlatformRoles.Bidder, "/deposits", "/deposits")]
    public void Highlight_AnEntryUnderAnotherEntrysAddress_HighlightsItAlone(string role, string page, string highlighted)
    {
        SignIn("someone", role);
        Services.GetRequiredService<NavigationManager>().NavigateTo(page);

        var menu = Render<NavMenu>();

        Assert.Equal([highlighted], menu.FindAll(".tw-nav a.active[href]").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void Highlight_FollowsANavigationAfterTheMenuRendered()
    {
        SignIn("someone", PlatformRoles.Bidder);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/bids");
        var menu = Render<NavMenu>();

        navigation.NavigateTo("/bids/key");

        menu.WaitForAssertion(() => Assert.Equal(["/bids/key"], menu.FindAll(".tw-nav a.active[href]").Select(a => a.GetAttribute("href"))));
    }
}

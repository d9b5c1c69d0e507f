using System.Net;
using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Components.Pages.Archive;
using Trading.Workflow.Web.Deposits;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Archive;

/// <summary>
/// A grant's archive on the real app: the demo land listing, submitted and withdrawn by the grantor, is archived by its
/// procedure; <c>/archive</c> lists it to staff of its centre and supervisors, as a tender's, and to its grantor (出让人,
/// which reviews the applications and receives its sale's records), who downloads its package; never another grantor's
/// offering's nor a tender's package (a tender's goes to its own tenderee and agency), and never a bidder or staff of
/// another centre.
/// </summary>
public sealed class GrantArchiveAccessTests(WithdrawnGrantFixture grant) : PlatformComponentTest, IClassFixture<WithdrawnGrantFixture>
{
    [Theory]
    [InlineData("staff", true)]
    [InlineData("supervisor", true)]
    [InlineData("grantor", true)]
    [InlineData("bidder", false)]
    [InlineData("buyer", false)]
    [InlineData("tenderee", false)]
    public async Task Package_StaffOfTheCentreSupervisorsAndItsGrantor_Download(string userName, bool allowed) =>
        await DownloadAsync(userName, grant.Archive, allowed);

    [Theory]
    [InlineData("grantor", false)]
    [InlineData("tenderee", true)]
    [InlineData("bidder", false)]
    [InlineData("staff", true)]
    public async Task AnotherGrantorsPackage_OnlyThatGrantor_NotTheDemoGrantor(string userName, bool allowed) =>
        await DownloadAsync(userName, grant.OtherArchive, allowed);

    [Theory]
    [InlineData("grantor", false)]
    [InlineData("tenderee", true)]
    [InlineData("bidder", false)]
    [InlineData("staff", true)]
    public async Task TenderPackage_ItsTendereeNotTheGrantor(string userName, bool allowed) =>
        await DownloadAsync(userName, grant.TenderArchive, allowed);

    [Theory]
    [InlineData("staff", true)]
    [InlineData("supervisor", true)]
    [InlineData("grantor", true)]
    [InlineData("tenderee", true)]
    [InlineData("bidder", false)]
    [InlineData("buyer", false)]
    public async Task ArchivePage_StaffSupervisorsAndGrantors_NotBidders(string userName, bool allowed)
    {
        var client = grant.Factory.CreateNoRedirectClient();
        await client.SignInAsync(userName);

        using var response = await client.GetAsync("/archive");

        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("AccessDenied", response.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("staff")]
    [InlineData("grantor")]
    public async Task ProjectPage_OfTheArchivedGrant_SaysArchived(string userName)
    {
        var client = grant.Factory.CreateNoRedirectClient();
        await client.SignInAsync(userName);

        var html = await client.GetStringAsync($"/projects/{grant.Offering.ProjectId}");

        Assert.Contains("data-archive=\"Archived\"", html, StringComparison.Ordinal);
        Assert.Contains("已归档（只读）", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ArchiveList_StaffOfTheCentre_SeesTheGrant_WithItsPackageAndCheck()
    {
        var page = RenderAs("staff", PlatformRoles.Staff, grant.Offering.CentreId);

        page.WaitForAssertion(() => Assert.Contains(grant.Offering.ProjectCode, page.Find("[data-testid=archives]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains(grant.Archive.ManifestSm3, page.Find("[data-testid=archives]").TextContent, StringComparison.Ordinal);
        Assert.Contains(page.FindAll("[data-testid=archive-download]"), a => a.GetAttribute("href") == $"/documents/{grant.Archive.PackageDocumentId}/content");

        // The detail: the stored package checked against its manifest.
        var row = page.FindAll("[data-testid=archives] tbody tr").Single(r => r.TextContent.Contains(grant.Offering.ProjectCode, StringComparison.Ordinal));
        row.QuerySelector("[data-testid=archive-verify]")!.Click();
        page.WaitForAssertion(() => Assert.Contains("完整", page.Find("[data-testid=archive-verify-result]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ArchiveList_Grantor_SeesItsOwnGrantOnly_WithItsPackageAndCheck()
    {
        var page = RenderAs("grantor", PlatformRoles.Tenderee, grant.Offering.CentreId);

        page.WaitForAssertion(() => Assert.Contains(grant.Offering.ProjectCode, page.Find("[data-testid=archives]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var rows = page.FindAll("[data-testid=archives] tbody tr");
        Assert.Single(rows);
        Assert.DoesNotContain(grant.OtherArchive.ProjectCode, page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(grant.TenderArchive.ProjectCode, page.Markup, StringComparison.Ordinal);
        Assert.Contains("出让人可在此查阅本单位项目的归档包", page.Find("[data-testid=archive-intro]").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/documents/{grant.Archive.PackageDocumentId}/content", Assert.Single(page.FindAll("[data-testid=archive-download]")).GetAttribute("href"));
        rows[0].QuerySelector("[data-testid=archive-verify]")!.Click();
        page.WaitForAssertion(() => Assert.Contains("完整", page.Find("[data-testid=archive-verify-result]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ArchiveList_TendereeOfATender_SeesItsOwnTenderAndGrant_NotAnotherGrantorsOffering()
    {
        var page = RenderAs("tenderee", PlatformRoles.Tenderee, null);

        // Its own grant (as another grantor) and its own tender (法 40: the tenderee holds what the package holds).
        page.WaitForAssertion(() => Assert.Contains(grant.OtherArchive.ProjectCode, page.Find("[data-testid=archives]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains(grant.TenderArchive.ProjectCode, page.Find("[data-testid=archives]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(grant.Offering.ProjectCode, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ArchiveList_Bidder_SeesNothing()
    {
        var page = RenderAs("bidder", PlatformRoles.Bidder, null);

        page.WaitForElement("[data-testid=archive-none]", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(grant.Offering.ProjectCode, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ArchiveList_Supervisor_SeesTheGrant()
    {
        var page = RenderAs("supervisor", PlatformRoles.Supervisor, null);

        page.WaitForAssertion(() => Assert.Contains(grant.Offering.ProjectCode, page.Find("[data-testid=archives]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void ArchiveList_StaffOfAnotherCentre_DoesNotSeeTheGrant()
    {
        var page = RenderAs("staff", PlatformRoles.Staff, Guid.NewGuid());

        page.WaitForElement("[data-testid=archive-none]", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(grant.Offering.ProjectCode, page.Markup, StringComparison.Ordinal);
    }

    private async Task DownloadAsync(string userName, ProjectArchive archive, bool allowed)
    {
        var client = grant.Factory.CreateNoRedirectClient();
        await client.SignInAsync(userName);

        using var response = await client.GetAsync($"/documents/{archive.PackageDocumentId}/content");

        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(archive.PackageSm3, response.Headers.GetValues("X-Content-SM3").Single(), ignoreCase: true);
        }
        else
        {
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{userName}: {response.StatusCode}");
        }
    }

    private IRenderedComponent<ArchivedProjects> RenderAs(string userName, string role, Guid? centre)
    {
        var services = grant.Factory.Services;
        Services.AddSingleton(services.GetRequiredService<ArchiveService>());
        Services.AddSingleton(services.GetRequiredService<ArchiveQueue>());
        Services.AddSingleton(services.GetRequiredService<IBasicAccountLookup>());
        Services.AddSingleton(services.GetRequiredService<IProjectAuthorization>());
        Services.AddSingleton(services.GetRequiredService<IPlatformDirectory>());
        Services.AddScoped<DepositAccess>();
        var authorization = SignIn(userName, role);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, userName) };
        if (centre is { } id)
        {
            claims.Add(new Claim(CentreClaimsPrincipalFactory.ClaimType, id.ToString()));
        }

        authorization.SetClaims([.. claims]);
        Culture("zh-CN");
        RenderProviders();
        return Render<ArchivedProjects>();
    }
}

/// <summary>
/// The real app with its demo data; the demo land listing submitted on the demo schedule and withdrawn by the grantor, so
/// its procedure archived it; the same listing offered by another grantor (the demo tenderee's company) and withdrawn; and
/// a tender project of that company archived by staff.
/// </summary>
public sealed class WithdrawnGrantFixture : IAsyncLifetime
{
    public PlatformFactory Factory { get; } = new();

    public GrantOffering Offering { get; private set; } = null!;

    public ProjectArchive Archive { get; private set; } = null!;

    /// <summary>The archive of the listing another grantor (the demo tenderee's company) offered and withdrew.</summary>
    public ProjectArchive OtherArchive { get; private set; } = null!;

    /// <summary>The archive of a tender project of the demo tenderee's company.</summary>
    public ProjectArchive TenderArchive { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _ = Factory.Server;
        var services = Factory.Services;
        var grants = services.GetRequiredService<GrantService>();
        var supervisor = new GrantActor("supervisor", "supervisor", [PlatformRoles.Supervisor], null);
        var draft = (await grants.ListAsync(supervisor, TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);
        var account = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("grantor"))!;
        var grantor = new GrantActor("grantor", account.AccountId, [PlatformRoles.Tenderee], draft.CentreId);
        var submitted = await grants.SubmitAsync(grantor, draft.Id, draft.Version, draft.StartPrice, GrantDemoSchedule.Default);
        Offering = await grants.WithdrawAsync(grantor, submitted.Id, "演示撤回");
        Assert.Equal(GrantStage.Withdrawn, Offering.Stage);
        var archives = services.GetRequiredService<ArchiveService>();
        Archive = await ArchivedAsync(services, Offering.ProjectId)
            ?? throw new Xunit.Sdk.XunitException("The withdrawn grant's procedure did not archive it.");

        var tenderee = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("tenderee"))!;
        var company = (await services.GetRequiredService<IProjectParties>().ActingForAsync(tenderee.AccountId))[0];
        var other = new GrantActor("tenderee", tenderee.AccountId, [PlatformRoles.Tenderee], draft.CentreId);
        var offered = await grants.CreateAsync(other, TradeTypes.LandRights, draft.Input with { Title = draft.Title + "（另一出让人）", OwnerEntityId = company.EntityId });
        offered = await grants.SubmitAsync(other, offered.Id, offered.Version, offered.StartPrice, GrantDemoSchedule.Default);
        offered = await grants.WithdrawAsync(other, offered.Id, "演示撤回");
        OtherArchive = await ArchivedAsync(services, offered.ProjectId) ?? throw new Xunit.Sdk.XunitException("The other grantor's withdrawn grant was not archived.");

        var tender = await services.GetRequiredService<ProjectService>().RegisterAsync(
            new ProjectActor("tenderee", [PlatformRoles.Tenderee], draft.CentreId, [company]),
            new ProjectInput(TradeTypes.EngineeringConstruction, TradeMethods.OpenTender, "演示归档权限测试工程", company.EntityId, null, null, true, "530102", "房屋建筑",
                [new SectionEdit(null, new SectionDraft("一标段", 1_000_000m))]));
        TenderArchive = await archives.ArchiveAsync(tender.Id, "staff");
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    /// <summary>The archive, once the procedure's archive job ran (the app's scheduler or this call, whichever first).</summary>
    internal static async Task<ProjectArchive?> ArchivedAsync(IServiceProvider services, Guid projectId)
    {
        var archives = services.GetRequiredService<ArchiveService>();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await archives.FindAsync(projectId) is { } archive)
            {
                return archive;
            }

            await services.GetRequiredService<IWorkflowEngine>().ExecuteDueJobsAsync();
            await Task.Delay(50);
        }

        return null;
    }
}

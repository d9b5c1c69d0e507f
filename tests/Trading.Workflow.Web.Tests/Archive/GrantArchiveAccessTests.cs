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
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Web.Components.Pages.Archive;
using Trading.Workflow.Web.Deposits;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Archive;

/// <summary>
/// A grant's archive on the real app: the demo land listing, submitted and withdrawn by the grantor, is archived by its
/// procedure; <c>/archive</c> lists it to staff of its centre and supervisors, as a tender's, and its package (which
/// holds every applicant's data and the bid logs) is theirs alone to download: neither the grantor, nor a bidder, nor
/// staff of another centre.
/// </summary>
public sealed class GrantArchiveAccessTests(WithdrawnGrantFixture grant) : PlatformComponentTest, IClassFixture<WithdrawnGrantFixture>
{
    [Theory]
    [InlineData("staff", true)]
    [InlineData("supervisor", true)]
    [InlineData("grantor", false)]
    [InlineData("bidder", false)]
    [InlineData("buyer", false)]
    [InlineData("tenderee", false)]
    public async Task Package_OnlyStaffOfTheCentreAndSupervisors_Download(string userName, bool allowed)
    {
        var client = grant.Factory.CreateNoRedirectClient();
        await client.SignInAsync(userName);

        using var response = await client.GetAsync($"/documents/{grant.Archive.PackageDocumentId}/content");

        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(grant.Archive.PackageSm3, response.Headers.GetValues("X-Content-SM3").Single(), ignoreCase: true);
        }
        else
        {
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{userName}: {response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("staff", true)]
    [InlineData("supervisor", true)]
    [InlineData("grantor", false)]
    [InlineData("bidder", false)]
    public async Task ArchivePage_StaffAndSupervisors_AsForTenders(string userName, bool allowed)
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

    private IRenderedComponent<ArchivedProjects> RenderAs(string userName, string role, Guid? centre)
    {
        var services = grant.Factory.Services;
        Services.AddSingleton(services.GetRequiredService<ArchiveService>());
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

/// <summary>The real app with its demo data; the demo land listing submitted on the demo schedule and withdrawn by the grantor, so its procedure archived it.</summary>
public sealed class WithdrawnGrantFixture : IAsyncLifetime
{
    public PlatformFactory Factory { get; } = new();

    public GrantOffering Offering { get; private set; } = null!;

    public ProjectArchive Archive { get; private set; } = null!;

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
        Archive = await services.GetRequiredService<ArchiveService>().FindAsync(Offering.ProjectId)
            ?? throw new Xunit.Sdk.XunitException("The withdrawn grant's procedure did not archive it.");
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Grants;

/// <summary>
/// /grants/{id} applies the list's centre scope to staff: the county centre's staff (<c>staff2</c>) do not get the city's
/// announced offering (their /land-rights list has none), only a link to its public page; the city's staff do.
/// </summary>
public sealed class GrantOfferingPageAccessTests : PlatformComponentTest
{
    [Fact]
    public async Task OfferingPage_StaffOfAnotherCentre_SeesNotTheOffering_ButTheLinkToItsPublicPage()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());
        var grants = services.GetRequiredService<GrantService>();
        var directory = services.GetRequiredService<IUserDirectory>();
        var account = (await directory.FindByUserNameAsync("grantor"))!;
        var grantor = new GrantActor("grantor", account.AccountId, [PlatformRoles.Tenderee], account.CentreId);
        var offering = (await grants.ListAsync(grantor, Trading.Workflow.Domain.Trades.TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);
        offering = await grants.SubmitAsync(grantor, offering.Id, offering.Version, offering.StartPrice * 1.1m);
        var engine = services.GetRequiredService<IWorkflowEngine>();
        var review = (await engine.GetTasksAsync(new TaskQuery { BusinessKey = offering.ProjectCode })).Single(t => t.ElementId == GrantService.ReviewTask);
        await engine.CompleteTaskAsync(review.Id, null, "staff");
        Assert.Equal(GrantStage.Announced, (await grants.GetAsync(offering.Id))!.Stage);

        var county = (await directory.FindByUserNameAsync("staff2"))!;
        Assert.NotEqual(offering.CentreId, county.CentreId);
        var countyStaff = new GrantActor("staff2", county.AccountId, [PlatformRoles.Staff], county.CentreId);
        Assert.DoesNotContain(await grants.ListAsync(countyStaff, Trading.Workflow.Domain.Trades.TradeTypes.LandRights), o => o.Id == offering.Id);
        var user = SignIn("staff2", PlatformRoles.Staff);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, county.AccountId), new Claim(Trading.Workflow.Web.Logging.CentreClaimsPrincipalFactory.ClaimType, county.CentreId!.Value.ToString()));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", false));

        var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-missing]")));
        Assert.Empty(page.FindAll("[data-testid=grant-stage]"));
        Assert.DoesNotContain(offering.Title, page.Markup, StringComparison.Ordinal);
        Assert.Equal($"/portal/grants/{offering.Id}", page.Find("[data-testid=grant-public-link]").GetAttribute("href"));

        var city = (await directory.FindByUserNameAsync("staff"))!;
        user.SetAuthorized("staff");
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, city.AccountId), new Claim(Trading.Workflow.Web.Logging.CentreClaimsPrincipalFactory.ClaimType, offering.CentreId.ToString()));
        var own = Render<GrantOfferingPage>(p => p.Add(c => c.Id, offering.Id));
        own.WaitForAssertion(() => Assert.NotEmpty(own.FindAll("[data-testid=grant-stage]")));
        Assert.Empty(own.FindAll("[data-testid=grant-missing]"));
    }
}

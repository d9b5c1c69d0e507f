using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Web.Components.Pages.EngineeringConstruction;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.EngineeringConstruction;

/// <summary>
/// The tender page: staff of the demo county below the city see nothing of a city tender (as on the project page).
/// </summary>
public sealed class TenderPageTests : TenderPageTest
{
    [Fact]
    public async Task CityTender_IsRefusedToStaffOfTheCountyBelow_AndShownToTheCitysStaff()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tender = await TenderAsync(services, 952, opened: false);

        await SignInAsync(services, "staff2");
        var county = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        county.WaitForAssertion(() => Assert.NotEmpty(county.FindAll("[data-testid=tender-missing]")));
        Assert.Empty(county.FindAll("[data-testid=tender-summary]"));
        Assert.DoesNotContain(tender.ProjectName, county.Markup, StringComparison.Ordinal);

        await SignInAsync(services, "staff");
        var city = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        city.WaitForAssertion(() => Assert.NotEmpty(city.FindAll("[data-testid=tender-summary]")));
    }
}

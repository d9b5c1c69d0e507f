using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Web.Components.Pages.EngineeringConstruction.Award;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.EngineeringConstruction;

/// <summary>
/// The public award page of a project whose candidates are not published yet, as an anonymous visitor finds it from
/// the portal: the title alone and the notice that nothing is published, in zh and en (it read "中标候选人公示与中标结果："
/// followed by nothing).
/// </summary>
public sealed class PortalAwardPageTests : PlatformComponentTest
{
    [Theory]
    [InlineData("zh-CN", "中标候选人公示与中标结果")]
    [InlineData("en", "Candidates and result")]
    public async Task NothingPublished_ShowsTheTitleWithoutADanglingColon(string culture, string title)
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<AwardService>());
        Culture(culture);

        var page = Render<PortalAwardPage>(p => p.Add(c => c.ProjectId, Guid.NewGuid()));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=portal-award-missing]")));
        Assert.Equal(title, page.Find("[data-testid=portal-award-title]").TextContent.Trim());
    }
}

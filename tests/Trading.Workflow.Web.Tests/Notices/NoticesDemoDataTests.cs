using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Web.Notices;
using Trading.Workflow.Web.Projects;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Notices;

public sealed class NoticesDemoDataTests
{
    [Fact]
    public async Task Start_WithDemoData_PublishesLabelledNoticesThePortalFindsWithoutSignIn()
    {
        await using var factory = new PlatformFactory();
        var client = factory.CreateClient();

        using var scope = factory.Services.CreateScope();
        var portal = scope.ServiceProvider.GetRequiredService<NoticePortal>();
        var listed = await portal.SearchAsync(new PortalQuery(null, new NoticeFilter()));
        Assert.Equal(NoticesDemoData.Notices.Select(n => n.Title).Order(), listed.Items.Select(n => n.Title).Order());
        Assert.All(listed.Items, n =>
        {
            Assert.EndsWith("（演示数据）", n.Title, StringComparison.Ordinal);
            Assert.Equal(ProjectsDemoData.DemoProjectName, n.ProjectName);
        });

        // A Chinese word of a title finds it; the anonymous portal page lists it.
        var found = await portal.SearchAsync(new PortalQuery("澄清", new NoticeFilter()));
        Assert.Equal(NoticeKind.Clarification, Assert.Single(found.Items).Kind);
        var html = await client.GetStringAsync(new Uri("/portal", UriKind.Relative));
        Assert.Contains(NoticesDemoData.Notices[0].Title, html, StringComparison.Ordinal);
    }
}

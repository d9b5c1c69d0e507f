using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.EngineeringConstruction;
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
        var found = await portal.SearchAsync(new PortalQuery("教学楼", new NoticeFilter()));
        Assert.Equal(NoticeKind.Tender, Assert.Single(found.Items).Kind);
        var html = await client.GetStringAsync(new Uri("/portal", UriKind.Relative));
        Assert.Contains(NoticesDemoData.Notices[0].Title, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoData_ClarificationNoticesOnThePortal_AreTheTendersClarifications()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();

        // The portal and the tender page read two records: the demo must not publish one without the other.
        using var scope = factory.Services.CreateScope();
        var portal = scope.ServiceProvider.GetRequiredService<NoticePortal>();
        var tenders = scope.ServiceProvider.GetRequiredService<TenderService>();
        var announced = Assert.Single((await portal.SearchAsync(new PortalQuery(null, new NoticeFilter(Kind: NoticeKind.Tender)))).Items);
        var tender = await tenders.FindByProjectCodeAsync(announced.ProjectCode);
        Assert.NotNull(tender);
        var onPortal = (await portal.SearchAsync(new PortalQuery(null, new NoticeFilter(Kind: NoticeKind.Clarification)))).Items;
        Assert.Equal((await tenders.ClarificationsAsync(tender.ProjectId)).Count, onPortal.Count(n => n.ProjectCode == tender.ProjectCode));
        Assert.All(onPortal, n => Assert.Equal(tender.ProjectCode, n.ProjectCode));
    }
}

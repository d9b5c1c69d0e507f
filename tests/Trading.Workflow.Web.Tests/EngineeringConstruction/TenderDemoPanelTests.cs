using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Web.Components.Pages.EngineeringConstruction;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.EngineeringConstruction;

/// <summary>
/// The demo "compress the dates" panel (staff of a demo centre): minutes out of range are refused with a message in the
/// user's language and nothing is applied (MudNumericField's Min/Max used to clamp them silently); minutes in range are.
/// </summary>
public sealed class TenderDemoPanelTests : TenderPageTest
{
    [Theory]
    [InlineData("zh-CN", "0", "投标截止须填写 2 至 1440 之间的整数分钟")]
    [InlineData("zh-CN", "", "投标截止须填写 2 至 1440 之间的整数分钟")]
    [InlineData("en", "5000", "The bid deadline must be a whole number of minutes from 2 to 1440")]
    public async Task DemoPanel_DeadlineMinutesOutOfRange_SaysSo_AndChangesNothing(string culture, string minutes, string message)
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tender = await TenderAsync(services, 953, opened: false);
        await SignInAsync(services, "staff");
        Culture(culture);
        RenderProviders();

        var panel = Render<TenderDemoPanel>(p => p.Add(c => c.Tender, tender));
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=tender-demo]")));
        panel.Find("input[data-testid=demo-deadline-minutes], [data-testid=demo-deadline-minutes] input").Input(minutes);
        await panel.Find("[data-testid=demo-compress]").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.Contains(message, panel.Find("[data-testid=demo-error]").TextContent, StringComparison.Ordinal));
        var saved = (await services.GetRequiredService<TenderService>().FindAsync(tender.ProjectId))!;
        Assert.Equal((tender.SaleEndsAt, tender.BidDeadline, tender.Version), (saved.SaleEndsAt, saved.BidDeadline, saved.Version));
        await using var db = services.GetRequiredService<ITradingDatabase>().Create();
        Assert.False(await db.Set<AuditEntry>().AsNoTracking().AnyAsync(e => e.Action == "engineering-construction.tender.demo-compressed"));
    }

    [Fact]
    public async Task DemoPanel_DeadlineMinutesInRange_AreApplied()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tender = await TenderAsync(services, 954, opened: false);
        await SignInAsync(services, "staff");
        RenderProviders();

        var panel = Render<TenderDemoPanel>(p => p.Add(c => c.Tender, tender));
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=tender-demo]")));
        panel.Find("input[data-testid=demo-deadline-minutes], [data-testid=demo-deadline-minutes] input").Input("30");
        var before = DateTimeOffset.UtcNow;
        await panel.Find("[data-testid=demo-compress]").ClickAsync(new());

        Assert.Empty(panel.FindAll("[data-testid=demo-error]"));
        var saved = (await services.GetRequiredService<TenderService>().FindAsync(tender.ProjectId))!;
        Assert.InRange(saved.BidDeadline, before.AddMinutes(30), DateTimeOffset.UtcNow.AddMinutes(30));
        Assert.Equal(tender.SaleStartsAt, saved.SaleStartsAt);
    }
}

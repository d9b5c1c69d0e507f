using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Inbox;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Grants;

/// <summary>
/// The QA walk on 6 Dec 2026: the grantor submits its land listing for March 2027 without the demo schedule. The app's
/// calendar counts 2027 provisionally (the shipped data ends with 2026), so it is submitted; when the calendar cannot
/// count the year (here an administrator entered 2028 before 2027), the page says so and what to do, not the error page.
/// </summary>
public sealed class GrantCalendarPageTests : PlatformComponentTest
{
    private static readonly DateTimeOffset Today = new(2026, 12, 6, 10, 0, 0, TimeSpan.FromHours(8));

    private static DateTimeOffset At(int month, int day, int hour) => new(2027, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    private async Task<(IRenderedComponent<GrantOfferingPage> Page, GrantService Grants, Guid OfferingId)> SubmitMarchListingAsync(IServiceScope scope)
    {
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());
        Services.AddSingleton(services.GetRequiredService<TimeProvider>());
        var grants = services.GetRequiredService<GrantService>();
        var account = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("grantor"))!;
        var grantor = new GrantActor("grantor", account.AccountId, [PlatformRoles.Tenderee], account.CentreId);
        var draft = (await grants.ListAsync(grantor, Trading.Workflow.Domain.Trades.TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);
        draft = await grants.ReviseAsync(grantor, draft.Id, draft.Version,
            draft.Input with { ApplicationDeadline = At(3, 11, 17), BiddingOpens = At(3, 1, 9), BiddingEnds = At(3, 12, 10) });

        var user = SignIn("grantor", PlatformRoles.Tenderee);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.AccountId));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", false));
        var page = Render<GrantOfferingPage>(p => p.Add(c => c.Id, draft.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-submit-panel]")));
        page.Find("input[data-testid=grant-reserve], [data-testid=grant-reserve] input").Input((draft.StartPrice + draft.Increment).ToString(System.Globalization.CultureInfo.InvariantCulture));
        page.Find("button[data-testid=grant-submit], [data-testid=grant-submit] button").Click();
        return (page, grants, draft.Id);
    }

    private static PlatformFactory App() =>
        new(configureServices: services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(new MovableTimeProvider(Today))));

    [Fact]
    public async Task Submit_ListingIn2027_WithoutTheDemoSchedule_IsCountedOnTheProvisionalCalendar()
    {
        await using var factory = App();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();

        var (page, grants, id) = await SubmitMarchListingAsync(scope);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-info]")));
        Assert.Empty(page.FindAll("[data-testid=grant-error]"));
        Assert.Equal(GrantStage.Submitted, (await grants.GetAsync(id))!.Stage);
    }

    [Fact]
    public async Task Submit_InAYearTheCalendarCannotCount_SaysWhichAndWhereToEnterIt()
    {
        await using var factory = App();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        // 2028 entered before 2027: 2027 is no longer after the last year entered, so nothing counts it.
        await factory.Services.GetRequiredService<ReloadableBusinessCalendar>().SaveYearAsync(ProvisionalHolidays.For(2028), "admin");

        var (page, grants, id) = await SubmitMarchListingAsync(scope);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=grant-error]")));
        var error = page.Find("[data-testid=grant-error]").TextContent;
        Assert.Contains("工作日历缺少 2027 年的节假日安排", error, StringComparison.Ordinal);
        Assert.Contains("/administration/calendar", error, StringComparison.Ordinal);
        Assert.Equal(GrantStage.Draft, (await grants.GetAsync(id))!.Stage);
    }
}

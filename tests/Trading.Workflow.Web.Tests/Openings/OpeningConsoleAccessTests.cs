using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Web.Components.Pages.Openings;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Openings;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Inbox;

namespace Trading.Workflow.Web.Tests.Openings;

/// <summary>
/// The host console (bUnit over the real app's services): the host (staff of the project's centre) acts; a supervisor
/// of the project (its centre or the province) watches it read-only, names and all; a supervisor of another centre
/// and staff of another centre are not let in.
/// </summary>
public sealed class OpeningConsoleAccessTests(WorkflowFactory factory) : PlatformComponentTest, IClassFixture<WorkflowFactory>
{
    private const string Bidder = "演示路桥工程有限公司";

    [Fact]
    public async Task Console_SupervisorOfTheProjectsCentre_WatchesReadOnly_WithTheBiddersNames()
    {
        var world = await WorldAsync();

        var page = await RenderAsAsync(world.Session, world.CitySupervisor, PlatformRoles.Supervisor, world.City);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=console-read-only]")));
        Assert.Contains(Bidder, page.Find("[data-testid=opening-bids]").TextContent, StringComparison.Ordinal);
        Assert.Contains("异议内容", page.Find("[data-testid=opening-objections]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=close-session]"));
        Assert.Empty(page.FindAll("[data-testid=answer-send]"));
        Assert.Empty(page.FindAll("[data-testid=not-allowed]"));
    }

    [Fact]
    public async Task Console_ProvinceWideSupervisor_WatchesReadOnly()
    {
        var world = await WorldAsync();

        var page = await RenderAsAsync(world.Session, "supervisor", PlatformRoles.Supervisor, centre: null);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=console-read-only]")));
        Assert.Empty(page.FindAll("[data-testid=close-session]"));
    }

    [Theory]
    [InlineData(PlatformRoles.Supervisor)]
    [InlineData(PlatformRoles.Staff)]
    public async Task Console_OfAnotherCentre_IsNotLetIn(string role)
    {
        var world = await WorldAsync();
        var user = role == PlatformRoles.Supervisor ? world.OtherSupervisor : world.OtherStaff;

        var page = await RenderAsAsync(world.Session, user, role, world.Other);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=not-allowed]")));
        Assert.DoesNotContain(Bidder, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_StaffOfTheProjectsCentre_HostsIt()
    {
        var world = await WorldAsync();

        var page = await RenderAsAsync(world.Session, "staff", PlatformRoles.Staff, world.City);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=close-session]")));
        Assert.NotEmpty(page.FindAll("[data-testid=answer-send]"));
        Assert.Empty(page.FindAll("[data-testid=console-read-only]"));
    }

    [Fact]
    public async Task List_SupervisorSeesTheOpeningsOfItsCentre_NotOfAnother()
    {
        var world = await WorldAsync();

        var city = await RenderListAsAsync(world.CitySupervisor, world.City);
        city.WaitForAssertion(() => Assert.Contains(city.FindAll("[data-testid=console-link]"), a => a.GetAttribute("href") == $"/openings/{world.Session}/console"));
        var other = await RenderListAsAsync(world.OtherSupervisor, world.Other);
        other.WaitForAssertion(() => Assert.Empty(other.FindAll("[data-testid=console-link]")));
    }

    private Task<IRenderedComponent<OpeningList>> RenderListAsAsync(string userName, Guid centre) =>
        RenderAsAsync<OpeningList>(userName, PlatformRoles.Supervisor, centre, _ => { });

    private Task<IRenderedComponent<OpeningConsole>> RenderAsAsync(Guid sessionId, string userName, string role, Guid? centre) =>
        RenderAsAsync<OpeningConsole>(userName, role, centre, p => p.Add(c => c.SessionId, sessionId));

    private BunitAuthorizationContext? _user;

    private Task<IRenderedComponent<TPage>> RenderAsAsync<TPage>(string userName, string role, Guid? centre, Action<ComponentParameterCollectionBuilder<TPage>> parameters)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        if (_user is null)
        {
            var app = factory.App.Services;
            Services.AddSingleton(app.GetRequiredService<OpeningService>());
            Services.AddSingleton(app.GetRequiredService<IPlatformDirectory>());
            // Transient: each render reads the user signed in then (the access keeps the viewer it read).
            Services.AddTransient(sp => new OpeningAccess(
                sp.GetRequiredService<AuthenticationStateProvider>(), app.GetRequiredService<IBasicAccountLookup>(),
                app.GetRequiredService<IProjectAuthorization>(), app.GetRequiredService<ITradingDatabase>()));
            _user = SignIn(userName, role);
            RenderProviders();
        }

        _user.SetAuthorized(userName);
        _user.SetRoles(role);
        _user.SetClaims(centre is { } id ? [new Claim(CentreClaimsPrincipalFactory.ClaimType, id.ToString())] : []);
        return Task.FromResult(Render(parameters));
    }

    private sealed record World(Guid Session, Guid City, Guid Other, string CitySupervisor, string OtherSupervisor, string OtherStaff);

    /// <summary>A decrypting session of a project of the demo city, with one bid and one objection; supervisors and staff of the city and of another city.</summary>
    private async Task<World> WorldAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var scope = factory.App.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var city = await accounts.TradingCentres.SingleAsync(c => c.Code == DemoDataSeeder.DemoCityCode);
        var province = await accounts.TradingCentres.SingleAsync(c => c.Code == DemoDataSeeder.DemoProvinceCode);
        var other = TradingCentre.Create("OPEN-" + suffix, "其他市公共资源交易中心", "Other city centre", CentreLevel.Prefecture, province);
        accounts.TradingCentres.Add(other);
        await accounts.SaveChangesAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var citySupervisor = await UserAsync(users, "sup-city-" + suffix, PlatformRoles.Supervisor, city.Id);
        var otherSupervisor = await UserAsync(users, "sup-other-" + suffix, PlatformRoles.Supervisor, other.Id);
        var otherStaff = await UserAsync(users, "staff-other-" + suffix, PlatformRoles.Staff, other.Id);

        var now = DateTimeOffset.UtcNow;
        var code = ProjectCode.Format("530100", TradeTypes.EngineeringConstruction, 2026, Random.Shared.Next(1000, 99999));
        var project = Project.Register(code, city.Id, TradeTypes.EngineeringConstruction,
            new ProjectDetails(TradeMethods.OpenTender, "开标监督测试项目", new PartyRef(Guid.NewGuid(), "演示市第一中学"), null, null, true, "530102", "房屋建筑"),
            [new SectionDraft("施工", 8_600_000m)], "tenderee", now.AddDays(-30));
        var section = project.Sections[0];
        var session = OpeningSession.Start(new OpeningSection(section.Id, project.Id, city.Id, code, project.Name, section.Code, section.Subject, project.TradeType, project.RegionCode),
            3, 3, TimeSpan.FromMinutes(30), now, now, null);
        var bid = OpeningBid.For(session.Id, new SealedBidView(Guid.NewGuid(), Guid.NewGuid(), project.Id, section.Id, Guid.NewGuid(), Bidder, 1, now.AddHours(-2), []));
        await using (var db = scope.ServiceProvider.GetRequiredService<ITradingDatabase>().Create())
        {
            db.Add(project);
            db.Add(session);
            db.Add(bid);
            db.Add(OpeningObjection.Raise(session.Id, bid.EntityId, Bidder, "bidder", "异议内容：解密时间过短", now));
            await db.SaveChangesAsync();
        }

        return new World(session.Id, city.Id, other.Id, citySupervisor, otherSupervisor, otherStaff);
    }

    private static async Task<string> UserAsync(UserManager<AppUser> users, string userName, string role, Guid centre)
    {
        var user = new AppUser { UserName = userName, Email = userName + "@test.invalid", EmailConfirmed = true, DisplayName = userName, CentreId = centre };
        Assert.True((await users.CreateAsync(user, "Demo@2026-Test")).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return userName;
    }
}

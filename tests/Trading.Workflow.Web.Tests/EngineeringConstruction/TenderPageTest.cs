using System.Security.Claims;
using Bunit.TestDoubles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.EngineeringConstruction;
using Trading.Workflow.Web.Experts;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.EngineeringConstruction;

/// <summary>
/// Component tests of the tender page and its panels on the platform's demo data, with tenders of the demo city (a demo
/// centre) written as the tender part writes them, and demo users signed in as the sign-in cookie has them.
/// </summary>
public abstract class TenderPageTest : PlatformComponentTest
{
    protected static readonly IBusinessCalendar Calendar = BusinessCalendar.Official;

    private BunitAuthorizationContext? _user;

    protected static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    /// <summary>Starts the app and hands the page its services; dispose the scope with the test.</summary>
    protected IServiceScope Start(PlatformFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _ = factory.CreateClient();
        var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<TenderWeb>());
        Services.AddSingleton(services.GetRequiredService<ComplaintService>());
        Services.AddSingleton(services.GetRequiredService<TenderDemoWeb>());
        Services.AddSingleton(services.GetRequiredService<IEntityMembership>());
        Services.AddSingleton(services.GetRequiredService<DocumentService>());
        Services.AddSingleton(services.GetRequiredService<ExpertsWeb>());
        Services.AddSingleton(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TenderLimits>>());
        Services.AddSingleton(services.GetRequiredService<IBusinessCalendar>());
        return scope;
    }

    /// <summary>
    /// A project of the demo city with its tender: on sale since 14 Oct with bids due 3 Nov, or opened at that deadline;
    /// owned by a new entity unless <paramref name="ownerEntityId"/> names one (a demo tenderee's); not
    /// <paramref name="scheduled"/>, it is still being prepared, with no documents yet.
    /// </summary>
    protected static async Task<Tender> TenderAsync(IServiceProvider services, int sequence, bool opened, Guid? ownerEntityId = null, bool scheduled = true)
    {
        var city = await services.GetRequiredService<AppDbContext>().TradingCentres.AsNoTracking().SingleAsync(c => c.Code == DemoDataSeeder.DemoCityCode);
        var owner = new PartyRef(ownerEntityId ?? Guid.NewGuid(), "演示市城市建设投资有限公司");
        var project = Project.Register(
            ProjectCode.Format(city.Code, TradeTypes.EngineeringConstruction, 2026, sequence), city.Id, TradeTypes.EngineeringConstruction,
            new ProjectDetails(TradeMethods.OpenTender, "演示市政道路改造工程（演示数据）" + sequence, owner, null, null, true, "530102", "市政"),
            [new SectionDraft("一标段", 5_000_000m)], "tenderee", At(10, 12));
        var tender = Tender.Create(project.Id, project.Code, project.Name, city.Id, owner.EntityId, null, TenderKind.Open, At(10, 12));
        if (scheduled)
        {
            tender.Schedule(new TenderSchedule([Guid.NewGuid()], null, At(10, 14), At(10, 19, 17), At(11, 3, 9, 30)), TenderLimits.Statutory, Calendar, "tenderee", At(10, 12));
            tender.OpenSale(At(10, 14), TenderLimits.Statutory, Calendar);
        }

        if (opened)
        {
            tender.CloseSale(At(10, 19, 17));
            tender.ReachDeadline(3, TenderLimits.Statutory, At(11, 3, 9, 30));
            tender.MarkOpened(At(11, 3, 10));
        }

        await using var db = services.GetRequiredService<ITradingDatabase>().Create();
        db.AddRange(project, tender);
        await db.SaveChangesAsync();
        return tender;
    }

    /// <summary>Signs a demo user in as the sign-in cookie would: roles, account id and centre.</summary>
    protected async Task SignInAsync(IServiceProvider services, string userName)
    {
        var account = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync(userName))!;
        if (_user is null)
        {
            _user = SignIn(userName, [.. account.Roles]);
        }
        else
        {
            _user.SetAuthorized(userName);
            _user.SetRoles([.. account.Roles]);
        }

        // Bidders and supervisors of the province have no centre.
        _user.SetClaims([new Claim(ClaimTypes.NameIdentifier, account.AccountId),
            .. account.CentreId is { } centre ? [new Claim(CentreClaimsPrincipalFactory.ClaimType, centre.ToString())] : Array.Empty<Claim>()]);
    }
}

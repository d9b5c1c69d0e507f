using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Accounts;

/// <summary>The users table's paged query (centre join, sorting with empty values, counting) on PostgreSQL.</summary>
public sealed class UserAdministrationPostgreSqlTests : IAsyncLifetime
{
    private readonly PostgreSqlPlatform _postgres = new();

    private PlatformFactory App => _postgres.App;

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();

    [Fact]
    public async Task Page_SortedByCentre_PutsProvinceWideLastThenFirstWhenDescending()
    {
        using var scope = App.Services.CreateScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var city = (await scope.ServiceProvider.GetRequiredService<AppDbContext>().TradingCentres.SingleAsync(c => c.Code == DemoDataSeeder.DemoCityCode)).Id;
        await admin.CreateAsync(new NewUserInput { UserName = "pg.bidder", Password = "Paged@2026", Roles = [PlatformRoles.Bidder] });
        await admin.CreateAsync(new NewUserInput { UserName = "pg.staff", Password = "Paged@2026", Roles = [PlatformRoles.Staff], CentreId = city });

        var ascending = await admin.PageAsync(new UserQuery("pg.", Sort: UserSort.Centre, PageSize: 1), english: true);
        var descending = await admin.PageAsync(new UserQuery("pg.", Sort: UserSort.Centre, Descending: true, PageSize: 1), english: true);

        Assert.Equal(2, ascending.Total);
        Assert.Equal("pg.staff", Assert.Single(ascending.Rows).UserName);
        Assert.StartsWith("Demo City", ascending.Rows[0].CentreName, StringComparison.Ordinal);
        Assert.Equal("pg.bidder", Assert.Single(descending.Rows).UserName);
        Assert.Null(descending.Rows[0].CentreName);
    }
}

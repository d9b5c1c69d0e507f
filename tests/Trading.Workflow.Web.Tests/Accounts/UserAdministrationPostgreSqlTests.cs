using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Testing;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Accounts;

/// <summary>The users table's paged query (centre join, sorting with empty values, counting) on PostgreSQL.</summary>
public sealed class UserAdministrationPostgreSqlTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private PlatformFactory _app = default!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _app = new PlatformFactory(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = _database.ConnectionString,
        });
        _ = _app.Server;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Page_SortedByCentre_PutsProvinceWideLastThenFirstWhenDescending()
    {
        using var scope = _app.Services.CreateScope();
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

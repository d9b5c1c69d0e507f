using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Accounts;

public sealed class DemoDataTests
{
    [Fact]
    public async Task Start_WithDemoDataDisabled_CreatesRolesButNoAccountsOrCentres()
    {
        await using var factory = new PlatformFactory(new Dictionary<string, string?> { ["DemoData:Enabled"] = "false" });
        factory.CreateClient();

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(0, await db.Users.CountAsync());
        Assert.Equal(0, await db.TradingCentres.CountAsync());
        Assert.Equal(PlatformRoles.All.Order(), (await db.Roles.Select(r => r.Name!).ToListAsync()).Order());
    }

    [Fact]
    public async Task Start_WithDemoData_PutsCentreRolesAtDemoCityAndProvinceWideRolesNowhere()
    {
        await using var factory = new PlatformFactory();
        factory.CreateClient();

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var city = await db.TradingCentres.SingleAsync(c => c.Code == DemoDataSeeder.DemoCityCode);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True(city.IsDemo);
        Assert.Equal("演示市公共资源交易中心（演示数据）", city.NameZh);
        Assert.Equal(city.Id, (await users.FindByNameAsync("staff"))!.CentreId);
        Assert.Null((await users.FindByNameAsync("bidder"))!.CentreId);
        Assert.Null((await users.FindByNameAsync("expert"))!.CentreId);
    }

    [Fact]
    public async Task Restart_OnSameDatabase_DoesNotDuplicateDemoData()
    {
        var folder = Directory.CreateTempSubdirectory("tw-restart-").FullName;
        try
        {
            int users, centres;
            await using (var first = new PlatformFactory(dataFolder: folder))
            {
                first.CreateClient();
                using var firstScope = first.Services.CreateScope();
                var firstDb = firstScope.ServiceProvider.GetRequiredService<AppDbContext>();
                (users, centres) = (await firstDb.Users.CountAsync(), await firstDb.TradingCentres.CountAsync());
            }

            await using var second = new PlatformFactory(dataFolder: folder);
            second.CreateClient();

            using var scope = second.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            // The demo steps of the trading parts add accounts and centres of their own; a restart adds none.
            Assert.True(users >= DemoDataSeeder.DemoAccounts.Count && centres >= 2);
            Assert.Equal((users, centres), (await db.Users.CountAsync(), await db.TradingCentres.CountAsync()));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}

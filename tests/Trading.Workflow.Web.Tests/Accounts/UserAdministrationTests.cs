using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Accounts;

/// <summary>The administration service against the real app database, with Chinese as the UI culture.</summary>
public sealed class UserAdministrationTests(UserAdministrationTests.Fixture fixture) : IClassFixture<UserAdministrationTests.Fixture>, IDisposable
{
    private readonly IServiceScope _scope = fixture.Factory.Services.CreateScope();
    private readonly CultureInfo _previousCulture = SetUiCulture("zh-CN");

    private UserAdministration Admin => _scope.ServiceProvider.GetRequiredService<UserAdministration>();

    private UserManager<AppUser> Users => _scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();

    private async Task<Guid> DemoCityIdAsync() =>
        (await _scope.ServiceProvider.GetRequiredService<AppDbContext>().TradingCentres.SingleAsync(c => c.Code == DemoDataSeeder.DemoCityCode)).Id;

    [Fact]
    public async Task Create_StaffAtCentre_CreatesAccountWithRoleAndCentre()
    {
        var centreId = await DemoCityIdAsync();

        var result = await Admin.CreateAsync(new NewUserInput
        {
            UserName = "new.staff", Password = "Staff@2026", Roles = [PlatformRoles.Staff], CentreId = centreId,
        });

        Assert.True(result.Succeeded, string.Join(";", result.Errors));
        var user = await Users.FindByNameAsync("new.staff");
        Assert.Equal(centreId, user!.CentreId);
        Assert.True(await Users.IsInRoleAsync(user, PlatformRoles.Staff));
    }

    [Fact]
    public async Task Create_BidderAtCentre_FailsWithChineseRuleMessage()
    {
        var result = await Admin.CreateAsync(new NewUserInput
        {
            UserName = "centre.bidder", Password = "Bidder@2026", Roles = [PlatformRoles.Bidder], CentreId = await DemoCityIdAsync(),
        });

        Assert.False(result.Succeeded);
        Assert.Contains("投标人和评标专家账户全省通用", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Null(await Users.FindByNameAsync("centre.bidder"));
    }

    [Fact]
    public async Task Create_WithWeakPassword_ReportsPolicyInChinese()
    {
        var result = await Admin.CreateAsync(new NewUserInput { UserName = "weak.expert", Password = "abc", Roles = [PlatformRoles.Expert] });

        Assert.False(result.Succeeded);
        Assert.Contains("密码至少需要 8 个字符。", result.Errors);
        Assert.Null(await Users.FindByNameAsync("weak.expert"));
    }

    [Fact]
    public async Task Create_WithTakenUserName_ReportsDuplicateInChinese()
    {
        var result = await Admin.CreateAsync(new NewUserInput { UserName = "bidder", Password = "Taken@2026x", Roles = [PlatformRoles.Bidder] });

        Assert.Contains("用户名“bidder”已被使用。", result.Errors);
    }

    [Fact]
    public async Task Create_WithWeakPasswordInEnglishUi_ReportsPolicyInEnglish()
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");

        var result = await Admin.CreateAsync(new NewUserInput { UserName = "weak.en", Password = "abc", Roles = [PlatformRoles.Expert] });

        Assert.Contains("Passwords need at least 8 characters.", result.Errors);
    }

    [Fact]
    public async Task Lock_ThenUnlock_TogglesLockedStateInList()
    {
        await Admin.CreateAsync(new NewUserInput { UserName = "lock.me", Password = "Lock@2026", Roles = [PlatformRoles.Expert] });
        var id = (await Users.FindByNameAsync("lock.me"))!.Id;

        await Admin.LockAsync(id, actingUserId: "someone-else");
        var lockedRow = (await Admin.PageAsync(new UserQuery("lock.me"), english: false)).Rows.Single();
        await Admin.UnlockAsync(id);
        var unlockedRow = (await Admin.PageAsync(new UserQuery("lock.me"), english: false)).Rows.Single();

        Assert.True(lockedRow.IsLockedOut);
        Assert.False(unlockedRow.IsLockedOut);
    }

    [Fact]
    public async Task Lock_OwnAccount_IsRefused()
    {
        var admin = await Users.FindByNameAsync("admin");

        var result = await Admin.LockAsync(admin!.Id, admin.Id);

        Assert.Equal(["不能锁定自己的账户。"], result.Errors);
        Assert.False(await Users.IsLockedOutAsync(admin));
    }

    [Fact]
    public async Task ResetPassword_LetsUserSignInWithNewPassword()
    {
        await Admin.CreateAsync(new NewUserInput { UserName = "reset.me", Password = "First@2026", Roles = [PlatformRoles.Bidder] });
        var id = (await Users.FindByNameAsync("reset.me"))!.Id;

        var result = await Admin.ResetPasswordAsync(id, "Second@2026");

        Assert.True(result.Succeeded);
        Assert.True(await Users.CheckPasswordAsync((await Users.FindByIdAsync(id))!, "Second@2026"));
    }

    [Fact]
    public async Task UpdateRolesAndCentre_FromBidderToTenderee_MovesAccountToCentre()
    {
        await Admin.CreateAsync(new NewUserInput { UserName = "switch.role", Password = "Switch@2026", Roles = [PlatformRoles.Bidder] });
        var id = (await Users.FindByNameAsync("switch.role"))!.Id;
        var centreId = await DemoCityIdAsync();

        var result = await Admin.UpdateRolesAndCentreAsync(id, [PlatformRoles.Tenderee], centreId);

        Assert.True(result.Succeeded, string.Join(";", result.Errors));
        var row = (await Admin.PageAsync(new UserQuery("switch.role"), english: false)).Rows.Single();
        Assert.Equal([PlatformRoles.Tenderee], row.Roles);
        Assert.Equal("演示市公共资源交易中心（演示数据）", row.CentreName);
    }

    [Fact]
    public async Task Page_WithSearchTerm_FindsMatchingUserNamesOnly()
    {
        var page = await Admin.PageAsync(new UserQuery("EXPERT1"), english: false);

        // The demo pool: expert1 and expert10..expert15, not expert or expert2..9.
        Assert.Equal(["expert1", "expert10", "expert11", "expert12", "expert13", "expert14", "expert15"], page.Rows.Select(r => r.UserName));
        Assert.Equal(7, page.Total);
    }

    [Fact]
    public async Task Page_SecondPageSortedByNameDescending_ReturnsThatSliceAndTheFullCount()
    {
        foreach (var (userName, name) in new[] { ("pg.one", "Carol"), ("pg.two", "Alice"), ("pg.three", "Bob") })
        {
            await Admin.CreateAsync(new NewUserInput { UserName = userName, DisplayName = name, Password = "Paged@2026", Roles = [PlatformRoles.Bidder] });
        }

        var byName = await Admin.PageAsync(new UserQuery("pg.", Sort: UserSort.DisplayName, Descending: true, Page: 1, PageSize: 2), english: false);
        var byUserName = await Admin.PageAsync(new UserQuery("pg.", Page: 0, PageSize: 2), english: false);

        Assert.Equal(3, byName.Total);
        Assert.Equal(["pg.two"], byName.Rows.Select(r => r.UserName));
        Assert.Equal(["pg.one", "pg.three"], byUserName.Rows.Select(r => r.UserName));
    }

    [Fact]
    public async Task Page_SortedByCentre_PutsProvinceWideLastThenFirstWhenDescending()
    {
        await Admin.CreateAsync(new NewUserInput { UserName = "sq.bidder", Password = "Paged@2026", Roles = [PlatformRoles.Bidder] });
        await Admin.CreateAsync(new NewUserInput { UserName = "sq.staff", Password = "Paged@2026", Roles = [PlatformRoles.Staff], CentreId = await DemoCityIdAsync() });

        var ascending = await Admin.PageAsync(new UserQuery("sq.", Sort: UserSort.Centre), english: false);
        var descending = await Admin.PageAsync(new UserQuery("sq.", Sort: UserSort.Centre, Descending: true), english: false);

        Assert.Equal(["sq.staff", "sq.bidder"], ascending.Rows.Select(r => r.UserName));
        Assert.Equal(["sq.bidder", "sq.staff"], descending.Rows.Select(r => r.UserName));
    }

    [Fact]
    public async Task Page_ForOneCentreInEnglish_ListsOnlyItsAccountsWithTheEnglishName()
    {
        var centreId = await DemoCityIdAsync();

        var page = await Admin.PageAsync(new UserQuery(CentreId: centreId, PageSize: 200), english: true);

        Assert.Contains("staff", page.Rows.Select(r => r.UserName));
        Assert.DoesNotContain("bidder", page.Rows.Select(r => r.UserName));
        Assert.All(page.Rows, r => Assert.Equal(centreId, r.CentreId));
        Assert.All(page.Rows, r => Assert.DoesNotContain("演示", r.CentreName, StringComparison.Ordinal));
    }

    private static CultureInfo SetUiCulture(string name)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
        return previous;
    }

    public void Dispose()
    {
        CultureInfo.CurrentUICulture = _previousCulture;
        _scope.Dispose();
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public PlatformFactory Factory { get; } = new();

        public Task InitializeAsync()
        {
            Factory.CreateClient();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Web.Configuration;

namespace Trading.Workflow.Web.Data;

/// <summary>
/// Creates the six roles on every start, and on a database without accounts (when DemoData:Enabled)
/// a demo province, a demo city centre and one demo account per role.
/// </summary>
public sealed partial class DemoDataSeeder(
    AppDbContext db,
    UserManager<AppUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<DemoDataOptions> options,
    IHostEnvironment environment,
    ILogger<DemoDataSeeder> logger)
{
    public const string DemoProvinceCode = "DEMO-PROVINCE";
    public const string DemoCityCode = "DEMO-CITY";

    /// <summary>User name and role of every demo account; they share <see cref="DemoDataOptions.Password"/>.</summary>
    public static IReadOnlyList<(string UserName, string Role, bool AtCentre)> DemoAccounts { get; } =
    [
        ("admin", PlatformRoles.Administrator, true),
        ("staff", PlatformRoles.Staff, true),
        ("supervisor", PlatformRoles.Supervisor, false),
        ("tenderee", PlatformRoles.Tenderee, true),
        ("bidder", PlatformRoles.Bidder, false),
        ("expert", PlatformRoles.Expert, false),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var role in PlatformRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), role);
            }
        }

        if (!options.Value.Enabled)
        {
            return;
        }

        if (environment.IsProduction())
        {
            LogDemoInProduction(DemoDataOptions.SectionName);
        }

        if (!await db.Users.AnyAsync(cancellationToken))
        {
            await CreateDemoDataAsync(cancellationToken);
        }

        if (await users.FindByNameAsync(DemoAccounts[0].UserName) is not null)
        {
            foreach (var (userName, role, _) in DemoAccounts)
            {
                LogDemoAccount(userName, role, options.Value.Password);
            }
        }
    }

    private async Task CreateDemoDataAsync(CancellationToken cancellationToken)
    {
        var province = TradingCentre.CreateProvince(
            DemoProvinceCode, "演示省公共资源交易中心（演示数据）", "Demo Province Public Resource Trading Centre (demo data)", isDemo: true);
        var city = TradingCentre.Create(
            DemoCityCode, "演示市公共资源交易中心（演示数据）", "Demo City Public Resource Trading Centre (demo data)",
            CentreLevel.Prefecture, province, isDemo: true);
        db.TradingCentres.AddRange(province, city);
        await db.SaveChangesAsync(cancellationToken);

        foreach (var (userName, role, atCentre) in DemoAccounts)
        {
            var user = new AppUser
            {
                UserName = userName,
                Email = $"{userName}@demo.invalid",
                EmailConfirmed = true,
                DisplayName = $"演示{RoleDisplayZh(role)}",
                CentreId = atCentre ? city.Id : null,
            };
            Check(await users.CreateAsync(user, options.Value.Password), userName);
            Check(await users.AddToRoleAsync(user, role), userName);
        }

        LogDemoCreated(DemoAccounts.Count, city.NameZh);
    }

    private static string RoleDisplayZh(string role) => role switch
    {
        PlatformRoles.Administrator => "流程管理员",
        PlatformRoles.Staff => "交易中心工作人员",
        PlatformRoles.Supervisor => "监管人员",
        PlatformRoles.Tenderee => "招标人",
        PlatformRoles.Bidder => "投标人",
        _ => "评标专家",
    };

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Creating demo data '{what}' failed: {string.Join("; ", result.Errors.Select(e => e.Description))}. "
                + "Check DemoData:Password against the Accounts:Password policy.");
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "!!! DEMO ACCOUNTS ARE ENABLED IN PRODUCTION: anyone who knows the published demo password can sign in. Set {Section}:Enabled to false !!!")]
    private partial void LogDemoInProduction(string section);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Count} demo accounts at demo centre {Centre}")]
    private partial void LogDemoCreated(int count, string centre);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo account {UserName} (role {Role}) password {Password}")]
    private partial void LogDemoAccount(string userName, string role, string password);
}

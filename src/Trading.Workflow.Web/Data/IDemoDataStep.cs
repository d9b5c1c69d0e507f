using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Centres;

namespace Trading.Workflow.Web.Data;

/// <summary>
/// A part's demo data (companies, projects, deposits...), run once per database after the demo centres and accounts
/// exist and every schema is current, in <see cref="Order"/>. Everything it creates is labelled demo data.
/// </summary>
public interface IDemoDataStep
{
    /// <summary>Steps run by ascending order: market entities (100) before projects (200) before what uses them.</summary>
    int Order { get; }

    Task SeedAsync(DemoDataContext demo, CancellationToken cancellationToken);
}

/// <summary>What a demo step may use: the demo centres and the demo accounts (found or created).</summary>
public sealed class DemoDataContext(AppDbContext db, UserManager<AppUser> users, string password, IServiceProvider services)
{
    public IServiceProvider Services { get; } = services;

    /// <summary>The demo province centre and its centres below, by code (<see cref="DemoDataSeeder.DemoCityCode"/>...).</summary>
    public async Task<TradingCentre> CentreAsync(string code, CancellationToken cancellationToken = default) =>
        await db.TradingCentres.SingleAsync(c => c.Code == code, cancellationToken);

    /// <summary>A demo centre below <paramref name="parentCode"/>, created when missing.</summary>
    public async Task<TradingCentre> EnsureCentreAsync(
        string code, string nameZh, string nameEn, CentreLevel level, string parentCode, CancellationToken cancellationToken = default)
    {
        var existing = await db.TradingCentres.SingleOrDefaultAsync(c => c.Code == code, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var centre = TradingCentre.Create(code, nameZh, nameEn, level, await CentreAsync(parentCode, cancellationToken), isDemo: true);
        db.TradingCentres.Add(centre);
        await db.SaveChangesAsync(cancellationToken);
        return centre;
    }

    /// <summary>The demo account <paramref name="userName"/>, created with the demo password and <paramref name="role"/> when missing.</summary>
    public async Task<AppUser> EnsureUserAsync(string userName, string displayName, string role, Guid? centreId, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is not null)
        {
            return user;
        }

        user = new AppUser
        {
            UserName = userName,
            Email = $"{userName}@demo.invalid",
            EmailConfirmed = true,
            DisplayName = displayName,
            CentreId = centreId,
        };
        Check(await users.CreateAsync(user, password), userName);
        Check(await users.AddToRoleAsync(user, role), userName);
        return user;
    }

    /// <summary>An existing demo account (e.g. "bidder"); throws when it is missing.</summary>
    public async Task<AppUser> UserAsync(string userName) =>
        await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"Demo account '{userName}' does not exist.");

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Creating demo account '{what}' failed: {string.Join("; ", result.Errors.Select(e => e.Description))}.");
        }
    }
}

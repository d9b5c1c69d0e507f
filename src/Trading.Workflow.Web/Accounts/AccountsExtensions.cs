using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Trading.Workflow.Web.Configuration;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Accounts;

public static class AccountsExtensions
{
    public const string LoginPath = "/Account/Login";
    public const string LogoutPath = "/Account/Logout";
    public const string AccessDeniedPath = "/Account/AccessDenied";

    /// <summary>ASP.NET Core Identity on the application database, with the policy from the Accounts section.</summary>
    public static IServiceCollection AddPlatformIdentity(this IServiceCollection services)
    {
        services.AddValidatedOptions<AccountOptions, AccountOptions.Validator>(AccountOptions.SectionName);
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthorization();
        services.AddIdentityCore<AppUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>();

        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountOptions>>((identity, accounts) =>
        {
            var policy = accounts.Value;
            identity.Password.RequiredLength = policy.Password.RequiredLength;
            identity.Password.RequireDigit = policy.Password.RequireDigit;
            identity.Password.RequireLowercase = policy.Password.RequireLowercase;
            identity.Password.RequireUppercase = policy.Password.RequireUppercase;
            identity.Password.RequireNonAlphanumeric = policy.Password.RequireNonAlphanumeric;
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = policy.Lockout.MaxFailedAccessAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(policy.Lockout.LockoutMinutes);
            identity.User.RequireUniqueEmail = false;
            identity.SignIn.RequireConfirmedAccount = false;
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IOptions<AccountOptions>>((cookie, accounts) =>
        {
            cookie.LoginPath = LoginPath;
            cookie.LogoutPath = LogoutPath;
            cookie.AccessDeniedPath = AccessDeniedPath;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(accounts.Value.CookieExpireHours);
            cookie.SlidingExpiration = true;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
        });
        services.AddScoped<UserAdministration>();
        return services;
    }

    /// <summary>POST /Account/Logout: antiforgery-checked because it binds a form value.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(LogoutPath, LogOut).ExcludeFromDescription(); // a browser form post, not part of the REST API
        return endpoints;
    }

    public static async Task<RedirectHttpResult> LogOut(SignInManager<AppUser> signIn, [FromForm] string? returnUrl)
    {
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(LocalPath.OrHome(returnUrl));
    }
}

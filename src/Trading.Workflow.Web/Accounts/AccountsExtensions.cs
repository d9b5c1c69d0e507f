using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Accounts;
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
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddPasswordValidator<CommonPasswordValidator>();
        services.AddScoped<SignInThrottle>();
        services.AddScoped<PasswordSignIn>();

        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountOptions>>((identity, accounts) =>
        {
            var policy = accounts.Value;
            identity.Password.RequiredLength = policy.Password.RequiredLength;
            identity.Password.RequireDigit = policy.Password.RequireDigit;
            identity.Password.RequireLowercase = policy.Password.RequireLowercase;
            identity.Password.RequireUppercase = policy.Password.RequireUppercase;
            identity.Password.RequireNonAlphanumeric = policy.Password.RequireNonAlphanumeric;
            // Failed sign-ins are counted per account and address by SignInThrottle, never by Identity's lockout (which
            // anyone could trigger for any account); the lockout is only an administrator's lock.
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
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, cookie =>
        {
            AccountSessions.ValidateEveryRequest(cookie);
            AnswerApiCallersWithStatus(cookie);
        });
        services.AddSingleton<AccountSessions>();
        services.AddSingleton<SessionHubFilter>();
        services.Configure<HubOptions>(hub => hub.AddFilter<SessionHubFilter>());
        services.AddScoped<UserAdministration>();
        services.TryAddSingleton<IUserDirectory, UserDirectory>();
        return services;
    }

    /// <summary>
    /// A script calling the API without a (valid) sign-in gets 401, and one without the right 403, instead of a
    /// redirect to the sign-in page it cannot follow. The API reference page (/api/docs) is a page and still redirects.
    /// </summary>
    private static void AnswerApiCallersWithStatus(CookieAuthenticationOptions cookie)
    {
        var redirectToLogin = cookie.Events.OnRedirectToLogin;
        var redirectToAccessDenied = cookie.Events.OnRedirectToAccessDenied;
        cookie.Events.OnRedirectToLogin = context =>
        {
            if (IsApiCall(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            }

            return redirectToLogin(context);
        };
        cookie.Events.OnRedirectToAccessDenied = context =>
        {
            if (IsApiCall(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            return redirectToAccessDenied(context);
        };
    }

    /// <summary>A request to the REST API (not its reference page, which a browser opens).</summary>
    public static bool IsApiCall(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments(Api.ApiExtensions.ReferencePath);

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

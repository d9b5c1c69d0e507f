using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Accounts;

/// <summary>Account dialogs rendered against the real administration service and database of the shared app.</summary>
public abstract class UserAdministrationComponentTest : PlatformComponentTest
{
    protected UserAdministrationComponentTest(UserAdministrationTests.Fixture fixture)
    {
        Scope = fixture.Factory.Services.CreateScope();
        Services.AddSingleton(Scope.ServiceProvider.GetRequiredService<UserAdministration>());
    }

    protected IServiceScope Scope { get; }

    protected UserManager<AppUser> Users => Scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();

    protected override void Dispose(bool disposing)
    {
        Scope.Dispose();
        base.Dispose(disposing);
    }
}

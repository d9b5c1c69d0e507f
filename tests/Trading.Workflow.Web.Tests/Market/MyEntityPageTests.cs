using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Web.Components.Pages.Market;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Market;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Market;

/// <summary>
/// /market/my for a company verified before the legal representative's ID number was asked: the page says so before
/// the user meets the refusal of a change (adding a qualification too), in zh and en; a company with the number and a
/// natural person see no such notice; a returned registration submitted again is told it waits, and staff still see the
/// return and its reason among its verification steps. On the platform's demo data.
/// </summary>
public sealed class MyEntityPageTests : PlatformComponentTest
{
    [Fact]
    public async Task ACompanyWithoutTheRepresentativesIdNumber_IsAskedToAddIt_OthersAreNot()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<MarketEntityService>());
        Services.AddSingleton(services.GetRequiredService<IEntityMembership>());
        Services.AddSingleton(services.GetRequiredService<MarketAccounts>());
        Services.AddSingleton(services.GetRequiredService<UserManager<AppUser>>());
        Services.AddSingleton(services.GetRequiredService<Trading.Workflow.Domain.Credit.CreditService>());
        Services.AddScoped<Trading.Workflow.Web.Credit.CreditAccess>();
        var user = SignIn("bidder", PlatformRoles.Bidder);
        RenderProviders();

        var company = await SignInAsAsync(user, services, "bidder");
        var page = Render<MyEntity>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=my-entity-name]")));
        Assert.Empty(page.FindAll("[data-testid=my-representative-id-missing]"));

        // The profile as an earlier version stored it: no number.
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(
                "UPDATE tr_market_entities SET verified_profile = json_remove(verified_profile, '$.legalRepresentativeIdNumber') WHERE id = {0}",
                company.ToString().ToUpperInvariant()));
        }

        var old = Render<MyEntity>();
        old.WaitForAssertion(() => Assert.NotEmpty(old.FindAll("[data-testid=my-representative-id-missing]")));
        Assert.Contains("尚未登记法定代表人身份证号", old.Find("[data-testid=my-representative-id-missing]").TextContent, StringComparison.Ordinal);
        Culture("en");
        var english = Render<MyEntity>();
        english.WaitForAssertion(() => Assert.Contains("do not yet record the legal representative's resident ID number",
            english.Find("[data-testid=my-representative-id-missing]").TextContent, StringComparison.Ordinal));

        await SignInAsAsync(user, services, "buyer");
        var person = Render<MyEntity>();
        person.WaitForAssertion(() => Assert.NotEmpty(person.FindAll("[data-testid=my-entity-name]")));
        Assert.Empty(person.FindAll("[data-testid=my-representative-id-missing]"));
    }

    [Fact]
    public async Task AReturnedRegistrationSubmittedAgain_IsToldItWaitsForVerification_NotThatVerifiedDetailsStayInForce()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        var market = services.GetRequiredService<MarketEntityService>();
        Services.AddSingleton(market);
        Services.AddSingleton(services.GetRequiredService<IEntityMembership>());
        Services.AddSingleton(services.GetRequiredService<MarketAccounts>());
        Services.AddSingleton(services.GetRequiredService<UserManager<AppUser>>());
        Services.AddSingleton(services.GetRequiredService<Trading.Workflow.Domain.Credit.CreditService>());
        Services.AddScoped<Trading.Workflow.Web.Credit.CreditAccess>();
        var user = SignIn("qanewco", PlatformRoles.Bidder);
        RenderProviders();

        // A new company registers (the demo bidder's details under another name and credit code); staff return it.
        var demo = await market.GetAsync(await SignInAsAsync(user, services, "bidder"));
        var profile = demo.Verified! with { Name = "新注册测试有限公司", Identifier = "91530100MA6K0000XR" };
        var registered = await services.GetRequiredService<MarketAccounts>().RegisterAsync("qanewco", "新用户", "Qa@Walk2026x", EntityKind.Organisation, profile);
        Assert.True(registered.Succeeded, string.Join(" ", registered.Errors));
        var staff = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("staff"))!;
        var entity = await market.GetAsync(registered.EntityId!.Value);
        await market.ReturnAsync(entity.Id, "营业执照扫描件缺失。", entity.Version, new MarketActor(staff.AccountId));

        await SignInAsAsync(user, services, "qanewco");
        var page = Render<MyEntity>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=my-return-reason]")));
        page.Find("[data-testid=my-submit-change]").Click();

        var snackbar = Services.GetRequiredService<ISnackbar>();
        page.WaitForAssertion(() => Assert.Equal(VerificationStatus.PendingVerification, market.GetAsync(entity.Id).GetAwaiter().GetResult().Status));
        page.WaitForAssertion(() => Assert.Contains(snackbar.ShownSnackbars, s => s.Message?.Contains("已重新提交，等待交易中心核验", StringComparison.Ordinal) == true));
        Assert.DoesNotContain(snackbar.ShownSnackbars, s => s.Message?.Contains("仍以已核验信息", StringComparison.Ordinal) == true);

        // Staff opening the resubmitted registration still see why it was returned, and by whom.
        user.SetAuthorized("staff");
        user.SetRoles(PlatformRoles.Staff);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, staff.AccountId));
        var detail = Render<EntityDetail>(p => p.Add(x => x.EntityId, entity.Id));
        detail.WaitForAssertion(() => Assert.Equal(["registered", "returned", "submitted"],
            detail.FindAll("[data-testid=verification-step]").Select(r => r.GetAttribute("data-action"))));
        var returnedRow = detail.Find("[data-testid=verification-step][data-action=returned]").TextContent;
        Assert.Contains("退回修改", returnedRow, StringComparison.Ordinal);
        Assert.Contains("营业执照扫描件缺失。", returnedRow, StringComparison.Ordinal);
        Assert.Contains("staff", returnedRow, StringComparison.Ordinal);

        // The staff's queue lists it waiting, under a column named for the state it shows (not the detail page's title).
        var queue = Render<VerificationQueue>();
        queue.WaitForAssertion(() => Assert.Contains(queue.FindAll("[data-testid=queue-entity]"), a => a.TextContent.Contains("新注册测试有限公司", StringComparison.Ordinal)));
        var headers = queue.FindAll("[data-testid=queue-grid] th").Select(h => h.TextContent.Trim()).ToList();
        Assert.Contains("核验状态", headers);
        Assert.DoesNotContain("市场主体详情", headers);
        Culture("en");
        var english = Render<VerificationQueue>();
        english.WaitForAssertion(() => Assert.Contains("Verification state", english.FindAll("[data-testid=queue-grid] th").Select(h => h.TextContent.Trim())));
    }

    /// <summary>Signs the demo account in and returns the entity it acts for.</summary>
    private static async Task<Guid> SignInAsAsync(BunitAuthorizationContext user, IServiceProvider services, string userName)
    {
        var account = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync(userName))!;
        user.SetAuthorized(userName);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.AccountId));
        return (await services.GetRequiredService<IEntityMembership>().EntitiesOfAsync(account.AccountId))[0].EntityId;
    }
}

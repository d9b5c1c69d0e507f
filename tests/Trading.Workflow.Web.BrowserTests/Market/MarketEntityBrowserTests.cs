using Microsoft.Playwright;
using Trading.Workflow.Domain.Market;
using static Microsoft.Playwright.Assertions;

namespace Trading.Workflow.Web.BrowserTests.Market;

/// <summary>
/// The market-entity flow in real Chromium: a company registers with a qualification and its scan (and its bidding key,
/// made in the browser), staff verify it,
/// its administrator invites a second user who accepts by setting a password and signs in acting for the company.
/// </summary>
public sealed class MarketEntityBrowserTests : IClassFixture<BrowserApp>, IDisposable
{
    private readonly BrowserApp _app;
    private readonly string _scan = Path.Combine(Path.GetTempPath(), $"tw-scan-{Guid.NewGuid():N}.png");

    public MarketEntityBrowserTests(BrowserApp app)
    {
        _app = app;
        SetDefaultExpectTimeout(15_000);
        // A PNG by its content: the store checks the bytes, not the name.
        File.WriteAllBytes(_scan, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);
    }

    public void Dispose() => File.Delete(_scan);

    private static ILocator Field(IPage page, string testId, string element = "input") =>
        page.Locator($"{element}[data-testid={testId}], [data-testid={testId}] {element}").First;

    private async Task<IPage> AnonymousPageAsync()
    {
        var context = await _app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _app.BaseUrl,
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    private static string NewCreditCode()
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        var random = Random.Shared;
        var body = "91530102" + string.Concat(Enumerable.Range(0, 9).Select(_ => alphabet[random.Next(alphabet.Length)]));
        return body + UnifiedSocialCreditCode.CheckCharacter(body);
    }

    [Fact]
    public async Task A_company_registers_with_a_scanned_qualification_staff_verify_it_and_its_invited_user_signs_in()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var adminUser = $"firm{suffix}";
        var clerkUser = $"clerk{suffix}";
        var company = $"浏览器测试建设有限公司{suffix}";

        // 1. Self-registration, with a mistyped credit code corrected as the form says.
        var page = await AnonymousPageAsync();
        await page.GotoAsync("/market/register");
        await page.WaitForCircuitAsync();
        await Field(page, "register-user-name").FillAsync(adminUser);
        await Field(page, "register-display-name").FillAsync("测试管理员");
        await Field(page, "register-password").FillAsync(BrowserApp.DemoPassword);
        await Field(page, "register-confirm").FillAsync(BrowserApp.DemoPassword);
        await Field(page, "entity-name").FillAsync(company);
        var code = NewCreditCode();
        var wrong = code[..^1] + (code[^1] == '0' ? '1' : '0');
        await Field(page, "entity-identifier").FillAsync(wrong);
        await Field(page, "entity-identifier").PressAsync("Tab");
        await Expect(page.GetByText("统一社会信用代码校验位不正确")).ToBeVisibleAsync();
        await Field(page, "entity-identifier").FillAsync(code);
        await Field(page, "entity-identifier").PressAsync("Tab");
        await Expect(page.GetByText("统一社会信用代码校验位不正确")).ToHaveCountAsync(0);
        await Field(page, "entity-representative").FillAsync("张测试");
        await Field(page, "entity-representative-id").FillAsync("530102198001010007");
        await Field(page, "entity-address").FillAsync("演示市测试路 8 号");
        await Field(page, "entity-region").FillAsync("530102");
        await Field(page, "entity-bank").FillAsync("演示银行测试支行");
        await Field(page, "entity-account-name").FillAsync(company);
        await Field(page, "entity-account-number").FillAsync("6222 0200 0000 1234");
        await page.ClickAsync("[data-testid=qualification-kind]");
        await page.Locator(".mud-popover-open .mud-list-item").GetByText("施工总承包资质", new() { Exact = true }).ClickAsync();
        await Field(page, "qualification-grade").FillAsync("建筑工程施工总承包二级");
        await Field(page, "qualification-number").FillAsync($"D2{suffix}");
        await Field(page, "qualification-issuer").FillAsync("演示省住房和城乡建设厅");
        await page.SetInputFilesAsync("input[type=file]", _scan);
        await Expect(page.Locator("[data-testid=qualification-scan]")).ToContainTextAsync(Path.GetFileName(_scan));
        // The bidding key offered at registration: made in this browser, the protected key file downloaded, the public key
        // registered for the new company.
        await Field(page, "registration-key-wanted").CheckAsync();
        await Field(page, "registration-key-passphrase").FillAsync("Key@2026-pass");
        await Field(page, "registration-key-again").FillAsync("Key@2026-pass");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=register-submit]"), new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-testid=register-done]")).ToContainTextAsync(adminUser);
        Assert.Equal($"bidder-key-{code}.json", download.SuggestedFilename);
        Assert.Contains("tw-bidder-key", await File.ReadAllTextAsync(await download.PathAsync()), StringComparison.Ordinal);
        await Expect(page.Locator("[data-testid=register-key-result]")).ToContainTextAsync("指纹");

        // 2. Staff find it in the queue and approve it.
        var staff = await _app.SignInAsync("staff");
        await staff.GotoAsync("/market/verification");
        await staff.WaitForCircuitAsync();
        await staff.Locator("[data-testid=queue-entity]").GetByText(company).ClickAsync();
        await Expect(staff.Locator("[data-testid=entity-status]")).ToHaveTextAsync("待核验");
        await Expect(staff.Locator("[data-testid=submitted-profile-qualifications] [data-testid=scan-link]")).ToHaveTextAsync(Path.GetFileName(_scan));
        // Staff verifying the profile see the legal representative's ID number in full.
        await Expect(staff.Locator("[data-testid=submitted-profile] [data-testid=profile-representative-id]")).ToContainTextAsync("530102198001010007");
        await staff.ClickAsync("[data-testid=approve]");
        await Expect(staff.Locator("[data-testid=entity-status]")).ToHaveTextAsync("已核验");

        // 3. Its administrator invites a second user.
        var admin = await _app.SignInAsync(adminUser);
        await admin.GotoAsync("/market/my");
        await admin.WaitForCircuitAsync();
        await Expect(admin.Locator("[data-testid=my-entity-status]")).ToHaveTextAsync("已核验");
        await admin.GetByRole(AriaRole.Tab, new() { Name = "用户" }).ClickAsync();
        await Field(admin, "invite-user-name").FillAsync(clerkUser);
        await Field(admin, "invite-display-name").FillAsync("王会计");
        await admin.ClickAsync("[data-testid=invite-submit]");
        var link = await admin.Locator("[data-testid=invite-link]").TextContentAsync();
        Assert.Contains("/market/invitations/", link, StringComparison.Ordinal);

        // 4. The invited user accepts by setting a password, then signs in acting for the company.
        var invited = await AnonymousPageAsync();
        await invited.GotoAsync(link!);
        await invited.WaitForCircuitAsync();
        await Expect(invited.Locator("[data-testid=accept-intro]")).ToContainTextAsync(company);
        await Field(invited, "accept-password").FillAsync("Clerk@2026");
        await Field(invited, "accept-confirm").FillAsync("Clerk@2026");
        await invited.ClickAsync("[data-testid=accept-submit]");
        await Expect(invited.Locator("[data-testid=accept-done]")).ToContainTextAsync(company);

        await invited.SignInAndWaitAsync(clerkUser, "Clerk@2026");
        await invited.GotoAsync("/market/my");
        await Expect(invited.Locator("[data-testid=my-entity-name]")).ToHaveTextAsync(company);
        await Expect(invited.Locator("[data-testid=my-entity-status]")).ToHaveTextAsync("已核验");
    }
}

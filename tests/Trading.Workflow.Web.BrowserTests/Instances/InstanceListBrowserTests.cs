using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Runtime;
using static Microsoft.Playwright.Assertions;

namespace Trading.Workflow.Web.BrowserTests.Instances;

/// <summary>The instance list and the start page in real Chromium against the real app and database.</summary>
public sealed class InstanceListBrowserTests : IClassFixture<BrowserApp>
{
    private readonly BrowserApp _app;

    public InstanceListBrowserTests(BrowserApp app)
    {
        _app = app;
        SetDefaultExpectTimeout(15_000);
    }

    private async Task<string> StartAsync()
    {
        var code = "BT-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await _app.Services.GetRequiredService<IWorkflowEngine>().StartAsync("engineering-construction.open-tender", code, new Dictionary<string, object?>
        {
            ["projectCode"] = code,
            ["projectName"] = "演示学校教学楼新建工程",
            ["initiator"] = "tenderee",
        }, "tenderee");
        return code;
    }

    [Fact]
    public async Task InstanceList_ShowsTheInstancesOnFirstLoad_WithoutRefreshOrFilter()
    {
        var code = await StartAsync();
        var page = await _app.SignInAsync("staff");

        await page.GotoAsync("/instances");

        await Expect(page.Locator("[data-testid=instance-link]", new() { HasTextString = code })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task StartPage_SecondProjectWithARunningCode_ShowsWhyInChinese()
    {
        var code = await StartAsync();
        var page = await _app.SignInAsync("staff");
        await page.GotoAsync("/instances/start");
        await page.WaitForCircuitAsync();

        await page.FillAsync("input[data-testid=start-project-code]", code);
        await page.FillAsync("input[data-testid=start-project-name]", "重复的工程");
        await page.ClickAsync("[data-testid=start-submit]");

        await Expect(page.Locator("[data-testid=start-error]")).ToContainTextAsync(code);
        await Expect(page.Locator("[data-testid=start-error]")).ToContainTextAsync("项目编号");
    }
}

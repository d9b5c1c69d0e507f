namespace Trading.Workflow.Web.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class LanguageTests(BrowserApp app)
{
    [Fact]
    public async Task Home_IsChineseByDefault_EvenForEnglishBrowser()
    {
        var page = await app.NewPageAsync();

        await page.GotoAsync("/");

        Assert.Equal("公共资源交易平台", await page.Locator("h1").InnerTextAsync());
    }

    [Fact]
    public async Task LanguageSwitch_ToEnglish_ShowsEnglishAndStays()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/centres");
        await page.WaitForCircuitAsync();

        await page.ClickAsync("a.tw-lang-link[lang=en]");
        await page.Locator("h1", new() { HasTextString = "Trading centres" }).WaitForAsync();
        await page.GotoAsync("/");

        Assert.Equal("Public Resource Trading Platform", await page.Locator("h1").InnerTextAsync());
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
    }
}

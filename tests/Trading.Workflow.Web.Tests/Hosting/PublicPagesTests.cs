using System.Net;
using System.Net.Http.Headers;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Hosting;

public sealed class PublicPagesTests(PublicPagesTests.Fixture fixture) : IClassFixture<PublicPagesTests.Fixture>
{
    [Fact]
    public async Task Home_Anonymous_DescribesPlatformInChineseWithSignInLink()
    {
        var page = await fixture.Factory.CreateClient().GetDocumentAsync("/");

        Assert.Equal("zh-CN", page.DocumentElement.GetAttribute("lang"));
        Assert.Contains("公共资源交易平台", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("a[data-testid=home-sign-in][href='/Account/Login']"));
    }

    [Fact]
    public async Task Centres_Anonymous_ListsDemoCentreLabelledAsDemo()
    {
        var page = await fixture.Factory.CreateClient().GetDocumentAsync("/centres");

        var table = page.QuerySelector("[data-testid=centres-table]")!.TextContent;
        Assert.Contains("演示市公共资源交易中心（演示数据）", table, StringComparison.Ordinal);
        Assert.Contains("演示数据", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_WithEnglishCultureCookie_RendersEnglish()
    {
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Den%7Cuic%3Den");

        var page = await client.GetDocumentAsync("/");

        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.Contains("Public Resource Trading Platform", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_WithEnglishBrowserLanguageOnly_StaysChinese()
    {
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en-US"));

        var page = await client.GetDocumentAsync("/");

        Assert.Equal("zh-CN", page.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task CultureSwitch_StoresCookieAndRedirectsBack()
    {
        var response = await fixture.Factory.CreateNoRedirectClient().GetAsync("/culture/set?culture=en&redirectUri=%2Fcentres");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/centres", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Den%7Cuic%3Den", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("https%3A%2F%2Fevil.example")]
    [InlineData("%2F%5Cevil.example")]
    public async Task CultureSwitch_WithForeignRedirect_GoesHome(string redirect)
    {
        var response = await fixture.Factory.CreateNoRedirectClient().GetAsync($"/culture/set?culture=en&redirectUri={redirect}");

        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task UnknownPage_ShowsLocalizedNotFound()
    {
        var response = await fixture.Factory.CreateClient().GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("页面不存在", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public PlatformFactory Factory { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}

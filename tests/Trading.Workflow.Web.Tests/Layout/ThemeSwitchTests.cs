using System.Net;
using Trading.Workflow.Web.Components.Layout;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Layout;

/// <summary>Light and dark: the choice is a cookie the server reads, so static and interactive pages agree.</summary>
public sealed class ThemeSwitchTests(ThemeSwitchTests.Fixture fixture) : IClassFixture<ThemeSwitchTests.Fixture>
{
    private static readonly string LightBackground = PlatformTheme.Theme.PaletteLight.Background.ToString(MudBlazor.Utilities.MudColorOutputFormats.RGBA);
    private static readonly string DarkBackground = PlatformTheme.Theme.PaletteDark.Background.ToString(MudBlazor.Utilities.MudColorOutputFormats.RGBA);

    private async Task<string> HomeAsync(string? cookie)
    {
        var client = fixture.Factory.CreateClient();
        if (cookie is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", cookie);
        }

        return await client.GetStringAsync("/");
    }

    [Fact]
    public async Task Home_WithoutAChoice_IsLightAndOffersDark()
    {
        var html = await HomeAsync(null);

        Assert.Contains($"--mud-palette-background: {LightBackground}", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("/theme/set?mode=dark", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_WithTheDarkCookie_IsDarkAndOffersLight()
    {
        var html = await HomeAsync("tw-theme=dark");

        Assert.Contains($"--mud-palette-background: {DarkBackground}", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("/theme/set?mode=light", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switch_StoresTheChoiceAndGoesBack()
    {
        var response = await fixture.Factory.CreateNoRedirectClient().GetAsync("/theme/set?mode=dark&redirectUri=%2Fcentres");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/centres", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("tw-theme=dark", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Switch_WithAForeignRedirect_GoesHome()
    {
        var response = await fixture.Factory.CreateNoRedirectClient().GetAsync("/theme/set?mode=dark&redirectUri=%2F%2Fevil.example");

        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Favicon_TheIcoBrowsersAskFor_LeadsToTheIcon()
    {
        var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync("/favicon.ico");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public PlatformFactory Factory { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}

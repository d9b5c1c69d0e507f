using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Web.Components.Layout;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Layout;

/// <summary>The language switch links to the other language and comes back to the page the user is on.</summary>
public sealed class LanguageSwitchTests : PlatformComponentTest
{
    private IRenderedComponent<LanguageSwitch> RenderOn(string path)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(path);
        return Render<LanguageSwitch>();
    }

    [Fact]
    public void InChinese_MarksChineseAndLinksToEnglishWithTheCurrentPage()
    {
        var language = RenderOn("/admin/users?page=2");

        var current = language.Find("[aria-current=true]");
        Assert.Equal("中文", current.TextContent);
        Assert.Equal("zh", current.GetAttribute("lang"));
        var link = Assert.Single(language.FindAll("a"));
        Assert.Equal("English", link.TextContent);
        Assert.Equal("/culture/set?culture=en&redirectUri=%2Fadmin%2Fusers%3Fpage%3D2", link.GetAttribute("href"));
        Assert.Equal("false", link.GetAttribute("data-enhance-nav"));
    }

    [Fact]
    public void InEnglish_MarksEnglishAndLinksBackToChinese()
    {
        Culture("en");

        var language = RenderOn("/centres");

        Assert.Equal("English", language.Find("[aria-current=true]").TextContent);
        var link = Assert.Single(language.FindAll("a"));
        Assert.Equal("中文", link.TextContent);
        Assert.Equal("/culture/set?culture=zh-CN&redirectUri=%2Fcentres", link.GetAttribute("href"));
        Assert.Equal("Language", language.Find("nav").GetAttribute("aria-label"));
    }

    [Fact]
    public void InChinese_NamesTheSwitchInChinese()
    {
        var language = RenderOn("/");

        Assert.Equal("界面语言", language.Find("nav").GetAttribute("aria-label"));
        Assert.Equal("/culture/set?culture=en&redirectUri=%2F", language.Find("a").GetAttribute("href"));
    }
}

using Bunit;
using MudBlazor;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Localization;

/// <summary>MudBlazor's own texts follow the user's language, so a Chinese page carries no English.</summary>
public sealed class MudLocalizerTests : PlatformComponentTest
{
    [Theory]
    [InlineData("zh-CN", "关闭")]
    [InlineData("en", "Close")]
    public void AlertCloseButton_IsLabelledInTheUsersLanguage(string culture, string label)
    {
        Culture(culture);

        var alert = Render<MudAlert>(p => p.Add(a => a.ShowCloseIcon, true).AddChildContent("x"));

        Assert.Equal(label, alert.Find("button").GetAttribute("aria-label"));
    }

    [Theory]
    [InlineData("zh-CN", "下一页")]
    [InlineData("en", "Next page")]
    public void Pagination_IsLabelledInTheUsersLanguage(string culture, string label)
    {
        Culture(culture);

        var pagination = Render<MudPagination>(p => p.Add(x => x.Count, 5).Add(x => x.ShowNextButton, true));

        Assert.Contains(pagination.FindAll("button"), b => b.GetAttribute("aria-label") == label);
    }
}

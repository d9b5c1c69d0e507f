using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Web.Components.Pages.Projects;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Projects;

/// <summary>The project page shows the agency's letter as a link to the verified download, with its name and size.</summary>
public sealed class AgencyLetterLinkTests : PlatformComponentTest
{
    private static readonly Document Letter = new(
        Guid.NewGuid(), new StoredFile(new string('b', 64), new string('c', 64), 2560, FileKind.Pdf, "application/pdf", "招标代理授权委托书.pdf"),
        "agency", DateTimeOffset.UnixEpoch, Guid.NewGuid(), Guid.NewGuid(), null);

    [Theory]
    [InlineData("zh-CN", "（2.5 KB）", "下载授权书")]
    [InlineData("en", " (2.5 KB)", "Download the letter")]
    public void Letter_IsADownloadLink_WithItsNameAndSize(string culture, string size, string title)
    {
        Culture(culture);

        var link = Render<AgencyLetterLink>(p => p.Add(c => c.Letter, Letter).Add(c => c.Sha256, Letter.Sha256));

        var anchor = link.Find("[data-testid=project-agency-letter-link]");
        Assert.Equal($"/documents/{Letter.Id}/content", anchor.GetAttribute("href"));
        Assert.Equal("招标代理授权委托书.pdf", anchor.TextContent.Trim());
        Assert.StartsWith(title, anchor.GetAttribute("title"), StringComparison.Ordinal);
        Assert.Equal(size, link.Find("[data-testid=project-agency-letter-size]").TextContent);
    }

    [Theory]
    [InlineData("zh-CN", "授权书不是已存储的文件")]
    [InlineData("en", "The authorisation letter is not a stored file")]
    public void LetterTheStoreLost_ShowsItsHashAndWhy_NoLink(string culture, string problem)
    {
        Culture(culture);
        var text = Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<ProjectsResource>>();

        var link = Render<AgencyLetterLink>(p => p.Add(c => c.Sha256, Letter.Sha256).Add(c => c.Problem, text["Project.AgencyLetterInvalid"].Value));

        Assert.Empty(link.FindAll("a"));
        Assert.Contains(Letter.Sha256, link.Markup, StringComparison.Ordinal);
        Assert.StartsWith(problem, link.Find("[data-testid=project-agency-letter-problem]").TextContent, StringComparison.Ordinal);
    }
}

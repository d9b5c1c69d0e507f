using Bunit;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Web.Components.Pages.Designer;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Designer;

/// <summary>The versions tab: publish, retire and re-publish act only after the user confirmed; times in Beijing time.</summary>
public sealed class DesignerVersionsTests : PlatformComponentTest, IAsyncLifetime
{
    private readonly List<string> _calls = [];

    [Fact]
    public void Retire_Confirmed_RetiresThatVersion()
    {
        var (versions, dialogs) = RenderVersions(Version(1), Version(2));

        versions.Find(".tw-version-row[data-version='1'] .tw-retire").Click();
        dialogs.WaitForElement("#tw-confirm").Click();

        versions.WaitForAssertion(() => Assert.Equal(["retire 1"], _calls));
    }

    [Fact]
    public void Retire_Cancelled_ChangesNothing()
    {
        var (versions, dialogs) = RenderVersions(Version(1));

        versions.Find(".tw-version-row[data-version='1'] .tw-retire").Click();
        Assert.Contains("停用版本 1？", dialogs.WaitForElement("[data-testid='designer-confirm']").TextContent, StringComparison.Ordinal);
        dialogs.Find("#tw-confirm-cancel").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("#tw-confirm")));
        Assert.Empty(_calls);
    }

    [Fact]
    public void Republish_Confirmed_SendsTheNoteTypedInTheDialog()
    {
        var (versions, dialogs) = RenderVersions(Version(1), Version(2));

        versions.Find(".tw-version-row[data-version='1'] .tw-republish").Click();
        dialogs.WaitForElement("#tw-confirm-note").Input("回退到第一版");
        dialogs.Find("#tw-confirm").Click();

        versions.WaitForAssertion(() => Assert.Equal(["republish 1 回退到第一版"], _calls));
    }

    [Fact]
    public void Publish_ButtonEnablesAsTheUserTypes_AndPublishesOnlyAfterConfirming()
    {
        var (versions, dialogs) = RenderVersions(Version(1), Draft());
        Assert.True(versions.Find("#tw-publish").HasAttribute("disabled"));

        versions.Find("#tw-change-note").Input("增加监管复核");
        versions.WaitForAssertion(() => Assert.False(versions.Find("#tw-publish").HasAttribute("disabled")));
        versions.Find("#tw-publish").Click();
        var dialog = dialogs.WaitForElement("[data-testid='designer-confirm']");
        Assert.Empty(_calls);
        Assert.Contains("版本 2", dialog.TextContent, StringComparison.Ordinal);
        dialogs.Find("#tw-confirm").Click();

        versions.WaitForAssertion(() => Assert.Equal(["publish 增加监管复核"], _calls));
    }

    [Fact]
    public void PublishedAt_IsShownInBeijingTime_AndTheHeaderSaysSo()
    {
        var (versions, _) = RenderVersions(Version(1, new DateTimeOffset(2026, 12, 2, 1, 30, 0, TimeSpan.Zero)));

        Assert.Equal("2026-12-02 09:30", versions.Find(".tw-version-row[data-version='1'] .tw-published-at").TextContent.Trim());
        Assert.Contains("北京时间 (UTC+8)", versions.Find("#tw-versions thead").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN", "从版本 1 重新发布")]
    [InlineData("en", "Re-published from version 1")]
    public void ChangeNote_WrittenInEnglishByTheStore_IsShownInTheUsersLanguage(string culture, string expected)
    {
        Culture(culture);

        var (versions, _) = RenderVersions(Version(2, note: "re-published from version 1"));

        Assert.Equal(expected, versions.Find(".tw-version-row[data-version='2'] .tw-change-note").TextContent.Trim());
    }

    private (IRenderedComponent<DesignerVersions> Versions, IRenderedComponent<MudBlazor.MudDialogProvider> Dialogs) RenderVersions(params ProcessVersionInfo[] all)
    {
        var dialogs = RenderProviders();
        var versions = Render<DesignerVersions>(p => p
            .Add(v => v.ProcessId, "p")
            .Add(v => v.Versions, all)
            .Add(v => v.OnPublish, (string? note) => _calls.Add($"publish {note}"))
            .Add(v => v.OnRetire, (int version) => _calls.Add($"retire {version}"))
            .Add(v => v.OnRepublish, ((int Version, string? Note) request) => _calls.Add($"republish {request.Version} {request.Note}")));
        return (versions, dialogs);
    }

    private static ProcessVersionInfo Version(int number, DateTimeOffset? at = null, string note = "第一版") =>
        new(Guid.NewGuid(), "p", number, DefinitionState.Published, "P", DateTimeOffset.UnixEpoch, "admin", at ?? DateTimeOffset.UnixEpoch, "admin", note, null, null, []);

    private static ProcessVersionInfo Draft() =>
        new(Guid.NewGuid(), "p", null, DefinitionState.Draft, "P", DateTimeOffset.UnixEpoch, "admin", null, null, null, null, null, []);

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudSelect's services dispose only asynchronously; xUnit's synchronous Dispose then finds them gone.</summary>
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

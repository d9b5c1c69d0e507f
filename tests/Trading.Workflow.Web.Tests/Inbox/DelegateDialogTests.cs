using Bunit;
using MudBlazor;
using Trading.Workflow.Web.Components.Pages.Inbox;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>The delegate dialog through the real dialog service: it asks for a user name and returns what was entered.</summary>
public sealed class DelegateDialogTests : PlatformComponentTest, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's popover service only disposes asynchronously.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    [Theory]
    [InlineData("zh-CN", "请填写被委托人的用户名。")]
    [InlineData("en", "Enter the user name of the delegate.")]
    public async Task Confirm_WithoutAUserName_SaysSoAndStaysOpen(string culture, string message)
    {
        Culture(culture);
        var (dialog, provider) = await ShowDialogAsync<DelegateDialog>();

        provider.Find("[data-testid=delegate-confirm]").Click();

        provider.WaitForAssertion(() => Assert.Contains(message, provider.Find("[data-testid=delegate-dialog]").TextContent, StringComparison.Ordinal));
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task Confirm_WithAUserName_ClosesWithTheTrimmedNameAndTheNote()
    {
        var (dialog, provider) = await ShowDialogAsync<DelegateDialog>();

        provider.Find("[data-testid=delegate-to] input, input[data-testid=delegate-to]").Input("  expert  ");
        provider.Find("[data-testid=delegate-note] textarea, textarea[data-testid=delegate-note]").Change("请代为审核");
        provider.Find("[data-testid=delegate-confirm]").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(result!.Canceled);
        Assert.Equal(new DelegateDialog.Result("expert", "请代为审核"), result.Data);
    }

    [Fact]
    public async Task Cancel_ClosesWithoutAResult()
    {
        var (dialog, provider) = await ShowDialogAsync<DelegateDialog>();

        provider.Find("[data-testid=delegate-cancel]").Click();

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(result!.Canceled);
    }
}

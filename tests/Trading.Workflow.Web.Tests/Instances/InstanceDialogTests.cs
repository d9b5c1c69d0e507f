using AngleSharp.Dom;
using Bunit;
using MudBlazor;
using Trading.Workflow.Web.Components.Pages.Instances;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Instances;

/// <summary>The administrator's dialogs on instances and incidents, shown through the real dialog service.</summary>
public sealed class InstanceDialogTests : PlatformComponentTest, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's popover services are only asynchronously disposable.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private static IElement Input(IRenderedComponent<MudDialogProvider> provider, string testId, int index = 0) =>
        provider.FindAll($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea")[index];

    private static void Type(IRenderedComponent<MudDialogProvider> provider, string testId, string text, int index = 0) =>
        Input(provider, testId, index).Input(text);

    private static void Click(IRenderedComponent<MudDialogProvider> provider, string testId) =>
        provider.Find($"button[data-testid={testId}], [data-testid={testId}] button").Click();

    // Click() may return before MudBlazor's button has run its handler: the tests wait for the render it causes.
    private static void WaitForRows(IRenderedComponent<MudDialogProvider> provider, int count) =>
        provider.WaitForAssertion(() => Assert.Equal(count, provider.FindAll("[data-testid=retry-variable]").Count));

    private static async Task ChooseTypeAsync(IRenderedComponent<MudDialogProvider> provider, int row, VariableInputType type)
    {
        var select = provider.FindComponents<MudSelect<VariableInputType>>()[row];
        await provider.InvokeAsync(() => select.Instance.SelectOption(type));
    }

    [Theory]
    [InlineData("zh-CN", "修改流程数据（可选）", "添加数据项")]
    [InlineData("en", "Changed variables (optional)", "Add variable")]
    public async Task RetryDialog_OffersTheReasonAndTypedVariableRowsInTheUsersLanguage(string culture, string variablesLabel, string addButton)
    {
        Culture(culture);
        var (_, provider) = await ShowDialogAsync<RetryDialog>();

        Click(provider, "retry-add-variable");
        Click(provider, "retry-add-variable");

        Assert.Single(provider.FindAll("[data-testid=retry-dialog]"));
        Assert.Contains(variablesLabel, provider.Markup, StringComparison.Ordinal);
        Assert.Contains(addButton, provider.Find("[data-testid=retry-add-variable]").TextContent, StringComparison.Ordinal);
        WaitForRows(provider, 2);
        Assert.Equal(2, provider.FindComponents<MudSelect<VariableInputType>>().Count);
        Assert.NotNull(Input(provider, "reason-text"));
    }

    [Theory]
    [InlineData("zh-CN", "第 1 项：amount 的值“12,5x”不是数字")]
    [InlineData("en", "Item 1: '12,5x' is not a number for amount")]
    public async Task RetryDialog_MalformedNumber_IsExplainedInTheUsersLanguageAndTheDialogStaysOpen(string culture, string expected)
    {
        Culture(culture);
        var (dialog, provider) = await ShowDialogAsync<RetryDialog>();
        Type(provider, "reason-text", "接口地址已修正");
        Click(provider, "retry-add-variable");
        WaitForRows(provider, 1);
        Type(provider, "retry-variable-name", "amount");
        await ChooseTypeAsync(provider, 0, VariableInputType.Number);
        Type(provider, "retry-variable-value", "12,5x");

        Click(provider, "reason-confirm");

        provider.WaitForAssertion(() => Assert.Contains(expected, provider.Find("[data-testid=retry-error]").TextContent, StringComparison.Ordinal));
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task RetryDialog_WithoutReason_AsksForOne()
    {
        var (dialog, provider) = await ShowDialogAsync<RetryDialog>();

        Click(provider, "reason-confirm");

        provider.WaitForAssertion(() => Assert.Contains("请填写原因", provider.Find("[data-testid=retry-error]").TextContent, StringComparison.Ordinal));
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task RetryDialog_Confirmed_ReturnsTheReasonAndTheTypedVariables()
    {
        var (dialog, provider) = await ShowDialogAsync<RetryDialog>();
        Type(provider, "reason-text", "  切换到备用接口  ");
        Click(provider, "retry-add-variable");
        Click(provider, "retry-add-variable");
        WaitForRows(provider, 2);
        Type(provider, "retry-variable-name", "endpoint", 0);
        Type(provider, "retry-variable-value", "backup", 0);
        Type(provider, "retry-variable-name", "attempts", 1);
        await ChooseTypeAsync(provider, 1, VariableInputType.Number);
        Type(provider, "retry-variable-value", "3", 1);

        Click(provider, "reason-confirm");

        var result = Assert.IsType<RetryDialog.Result>((await dialog.Result)!.Data);
        Assert.Equal("切换到备用接口", result.Reason);
        Assert.Equal("backup", result.Variables["endpoint"]);
        Assert.Equal(3m, result.Variables["attempts"]);
    }

    [Fact]
    public async Task RetryDialog_RemovedRow_IsNotSent()
    {
        var (dialog, provider) = await ShowDialogAsync<RetryDialog>();
        Type(provider, "reason-text", "重试");
        Click(provider, "retry-add-variable");
        WaitForRows(provider, 1);
        Type(provider, "retry-variable-name", "stale");

        provider.Find("[data-testid=retry-remove-variable]").Click();
        Click(provider, "reason-confirm");

        Assert.Empty(Assert.IsType<RetryDialog.Result>((await dialog.Result)!.Data).Variables);
    }

    [Theory]
    [InlineData("zh-CN", "请填写原因。")]
    [InlineData("en", "Give a reason.")]
    public async Task ReasonDialog_WithoutReason_SaysSoAndStaysOpen(string culture, string expected)
    {
        Culture(culture);
        var (dialog, provider) = await ShowDialogAsync<ReasonDialog>();

        Type(provider, "reason-text", "   ");
        Click(provider, "reason-confirm");

        provider.WaitForAssertion(() => Assert.Contains(expected, provider.Markup, StringComparison.Ordinal));
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task ReasonDialog_Confirmed_ReturnsTheTrimmedReason()
    {
        var (dialog, provider) = await ShowDialogAsync<ReasonDialog>();
        Assert.Single(provider.FindAll("[data-testid=reason-dialog]"));

        Type(provider, "reason-text", "  收到投诉，暂停招标 ");
        Click(provider, "reason-confirm");

        Assert.Equal("收到投诉，暂停招标", (await dialog.Result)!.Data);
        // The result can be seen before the provider has rendered the dialog away.
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-testid=reason-dialog]")));
    }

    [Fact]
    public async Task ReasonDialog_Cancelled_ReturnsNothing()
    {
        var (dialog, provider) = await ShowDialogAsync<ReasonDialog>();

        Type(provider, "reason-text", "不用了");
        Click(provider, "dialog-cancel");

        Assert.True((await dialog.Result)!.Canceled);
    }

    [Fact]
    public async Task MigrateDialog_OffersTheNewerVersions_AndReturnsTheNewestWithTheReason()
    {
        var (dialog, provider) = await ShowDialogAsync(new DialogParameters<MigrateDialog> { { d => d.Versions, [2, 3] } });

        Assert.Single(provider.FindAll("[data-testid=migrate-dialog]"));
        Type(provider, "reason-text", "按新规定调整公示期");
        Click(provider, "migrate-confirm");

        var result = Assert.IsType<MigrateDialog.Result>((await dialog.Result)!.Data);
        Assert.Equal(new MigrateDialog.Result(3, "按新规定调整公示期"), result);
    }

    [Fact]
    public async Task MigrateDialog_ChosenVersion_IsReturned()
    {
        var (dialog, provider) = await ShowDialogAsync(new DialogParameters<MigrateDialog> { { d => d.Versions, [2, 3] } });
        var select = provider.FindComponent<MudSelect<int>>();
        // SelectOption(int) would pick by index here; the select reports a pick through ValueChanged.
        await provider.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(2));

        Type(provider, "reason-text", "先迁到第 2 版");
        Click(provider, "migrate-confirm");

        Assert.Equal(2, Assert.IsType<MigrateDialog.Result>((await dialog.Result)!.Data).Version);
    }

    [Theory]
    [InlineData("zh-CN", "请填写原因。")]
    [InlineData("en", "Give a reason.")]
    public async Task MigrateDialog_WithoutReason_SaysSoAndStaysOpen(string culture, string expected)
    {
        Culture(culture);
        var (dialog, provider) = await ShowDialogAsync(new DialogParameters<MigrateDialog> { { d => d.Versions, [2] } });

        Click(provider, "migrate-confirm");

        provider.WaitForAssertion(() => Assert.Contains(expected, provider.Markup, StringComparison.Ordinal));
        Assert.False(dialog.Result.IsCompleted);
    }
}

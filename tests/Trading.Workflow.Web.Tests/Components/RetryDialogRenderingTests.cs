using System.Globalization;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using Radzen;
using Trading.Workflow.Web.Components.Pages.Instances;

namespace Trading.Workflow.Web.Tests.Components;

/// <summary>Static rendering of the incident retry dialog with Blazor's HtmlRenderer, in both languages.</summary>
public sealed class RetryDialogRenderingTests
{
    private static async Task<string> RenderAsync(string culture)
    {
        var services = new ServiceCollection();
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddSingleton<IJSRuntime, NoJsRuntime>();
        services.AddSingleton<NavigationManager, StaticNavigationManager>();
        services.AddRadzenComponents();
        services.AddLogging();
        await using var provider = services.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(provider, provider.GetRequiredService<ILoggerFactory>());
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return await renderer.Dispatcher.InvokeAsync(async () =>
                (await renderer.RenderComponentAsync<RetryDialog>(ParameterView.Empty)).ToHtmlString());
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Theory]
    [InlineData("zh-CN", "修改流程数据（可选）", "添加数据项")]
    [InlineData("en", "Changed variables (optional)", "Add variable")]
    public async Task RetryDialog_OffersTheReasonAndTypedVariablesInTheUsersLanguage(string culture, string variablesLabel, string addButton)
    {
        var html = await RenderAsync(culture);

        var page = await new HtmlParser().ParseDocumentAsync(html);
        Assert.NotNull(page.QuerySelector("[data-testid=retry-dialog] textarea[name=reason]"));
        Assert.Contains(variablesLabel, page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains(addButton, page.QuerySelector("[data-testid=retry-add-variable]")!.TextContent, StringComparison.Ordinal);
    }

    private sealed class StaticNavigationManager : NavigationManager
    {
        public StaticNavigationManager() => Initialize("http://localhost/", "http://localhost/administration/incidents");
    }
}

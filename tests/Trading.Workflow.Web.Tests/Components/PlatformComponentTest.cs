using System.Globalization;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Trading.Workflow.Web.Designer;
using Trading.Workflow.Web.Localization;

namespace Trading.Workflow.Web.Tests.Components;

/// <summary>
/// The bUnit context every component test starts from: MudBlazor's services and providers, the app's resource
/// strings, loose JS interop (MudBlazor calls into its script), a signed-in user on demand and a chosen UI culture.
/// </summary>
public abstract class PlatformComponentTest : BunitContext, IAsyncLifetime
{
    private readonly CultureInfo _previousCulture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _previousUiCulture = CultureInfo.CurrentUICulture;

    protected PlatformComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddTransient<MudLocalizer, PlatformMudLocalizer>();
        Services.AddLocalization(options => options.ResourcesPath = "Resources");
        Services.AddSingleton<DesignerText>();
        Services.AddSingleton(TimeProvider.System);
        Culture("zh-CN");
    }

    /// <summary>Sets the UI culture the components read their strings in (zh-CN by default).</summary>
    protected void Culture(string name)
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
    }

    /// <summary>Signs a user in with the given roles; without a call the user is anonymous.</summary>
    protected BunitAuthorizationContext SignIn(string userName, params string[] roles)
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized(userName);
        authorization.SetRoles(roles);
        return authorization;
    }

    /// <summary>Renders MudBlazor's popover, dialog and snackbar providers, which dialogs and menus render into.</summary>
    protected IRenderedComponent<MudDialogProvider> RenderProviders()
    {
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        return Render<MudDialogProvider>();
    }

    /// <summary>Shows a dialog through the real <see cref="IDialogService"/> and returns its reference and the provider.</summary>
    protected async Task<(IDialogReference Dialog, IRenderedComponent<MudDialogProvider> Provider)> ShowDialogAsync<TDialog>(
        DialogParameters<TDialog>? parameters = null)
        where TDialog : IComponent
    {
        var provider = RenderProviders();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<TDialog>(string.Empty, parameters ?? []));
        return (reference!, provider);
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's popover and dialog services only dispose asynchronously; xUnit calls this before Dispose.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        CultureInfo.CurrentCulture = _previousCulture;
        CultureInfo.CurrentUICulture = _previousUiCulture;
        base.Dispose(disposing);
    }
}

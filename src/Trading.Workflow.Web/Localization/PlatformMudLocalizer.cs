using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Trading.Workflow.Web.Localization;

/// <summary>
/// Gives MudBlazor's built-in texts (pager, close buttons, pickers, validation) in the user's language from
/// Resources/MudBlazorResource, so a Chinese page has no English left in it. A key the file lacks falls back to
/// MudBlazor's English.
/// </summary>
internal sealed class PlatformMudLocalizer(IStringLocalizer<MudBlazorResource> strings) : MudLocalizer
{
    public override LocalizedString this[string key] => strings[key];

    public override LocalizedString this[string key, params object[] arguments] => strings[key, arguments];
}

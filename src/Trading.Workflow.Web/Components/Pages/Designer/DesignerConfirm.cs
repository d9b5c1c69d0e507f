using MudBlazor;

namespace Trading.Workflow.Web.Components.Pages.Designer;

/// <summary>Shows <see cref="DesignerConfirmDialog"/> and says whether the user confirmed, with the note typed.</summary>
public static class DesignerConfirm
{
    public static async Task<(bool Confirmed, string? Note)> AskAsync(
        this IDialogService dialogs, string title, string message, string confirmText, Color color = Color.Primary, string? noteLabel = null)
    {
        var parameters = new DialogParameters<DesignerConfirmDialog>
        {
            { d => d.Message, message },
            { d => d.ConfirmText, confirmText },
            { d => d.ConfirmColor, color },
            { d => d.NoteLabel, noteLabel },
        };
        var reference = await dialogs.ShowAsync<DesignerConfirmDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await reference.Result;
        return result is { Canceled: false } ? (true, result.Data as string) : (false, null);
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;
using MudBlazor;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Validation;
using Trading.Workflow.Web.Designer;
using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.Components.Pages.Designer;

public sealed partial class DesignerPage
{
    private const string DraftKey = "draft";
    private const long MaxXmlBytes = 4 * BpmnParserOptions.DefaultMaxBytes;
    private const int MaxImportFiles = 20;

    // The draft this page started from (its XML, or none): a save must still find it stored.
    private DraftBase? _draftBase;

    private ElementReference _canvas;
    private ElementReference _panel;
    private IJSObjectReference? _module;
    private IJSObjectReference? _designer;
    private DotNetObjectReference<DesignerPage>? _self;
    private DesignerCheckCache? _checks;
    private string? _xml;
    private int _xmlRevision = -1;

    private IReadOnlyList<ProcessVersionInfo> _versions = [];
    private IReadOnlyList<VersionChoice> _versionChoices = [];
    private string? _selectedKey;
    private string? _openedKey;
    private bool _dirty;
    private bool _busy;
    private bool _checked;
    private int _tab;
    private List<DesignerProblem> _problems = [];
    private IReadOnlyList<ElementChange>? _changes;
    private DryRunResult? _dryRun;
    private IReadOnlyList<DryRunVariable> _variables = [];
    private IReadOnlyList<StoredForm> _forms = [];
    private string? _message;
    private Severity _messageSeverity = Severity.Info;

    [Parameter]
    public string ProcessId { get; set; } = string.Empty;

    [SupplyParameterFromQuery(Name = "version")]
    public int? RequestedVersion { get; set; }

    [SupplyParameterFromQuery(Name = "name")]
    public string? NewName { get; set; }

    [Inject]
    private IJSRuntime Js { get; set; } = default!;

    [Inject]
    private IProcedureCatalog Catalog { get; set; } = default!;

    [Inject]
    private DesignerValidation Validation { get; set; } = default!;

    [Inject]
    private DesignerLookups Lookups { get; set; } = default!;

    [Inject]
    private DesignerImport Import { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private DryRunService DryRun { get; set; } = default!;

    [Inject]
    private DesignerText T { get; set; } = default!;

    [Inject]
    private FormStore FormStore { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private ILogger<DesignerPage> Logger { get; set; } = default!;

    private static bool Chinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    private string OpenedLabel => _openedKey switch
    {
        null => T["Designer.NewProcedure"],
        DraftKey => T["Designer.DraftOpened"],
        _ => T["Designer.VersionOpened", _openedKey[1..]],
    };

    private int? OpenedVersion => _openedKey is { } key && key != DraftKey ? int.Parse(key[1..], CultureInfo.InvariantCulture) : null;

    private string ProblemsTitle => _problems.Count == 0 ? T["Designer.Problems"] : $"{T["Designer.Problems"]} ({_problems.Count})";

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        if (!ProcessIds.IsValid(ProcessId))
        {
            Show(T["Designer.InvalidProcessId"], Severity.Error);
            StateHasChanged();
            return;
        }

        _module = await Js.InvokeAsync<IJSObjectReference>("import", "./dist/designer.js");
        _self = DotNetObjectReference.Create(this);
        var lookups = await Lookups.LoadAsync();
        _designer = await _module.InvokeAsync<IJSObjectReference>(
            "createDesigner", _canvas, _panel, new { language = CultureInfo.CurrentUICulture.Name, lookups }, _self);
        await LoadVersionsAsync();
        await RememberDraftAsync();
        var key = RequestedVersion is { } version ? $"v{version}"
            : _versions.Any(v => v.State == DefinitionState.Draft) ? DraftKey
            : _versions.LastOrDefault(v => v.Version is not null) is { Version: { } latest } ? $"v{latest}"
            : null;
        if (key is null)
        {
            await OpenXmlAsync(ProcedureTemplate.Create(ProcessId, NewName), null);
        }
        else
        {
            _selectedKey = key;
            await OpenSelectedAsync();
        }

        StateHasChanged();
    }

    [JSInvokable]
    public void OnDirtyChanged(bool dirty)
    {
        _dirty = dirty;
        _ = InvokeAsync(StateHasChanged);
    }

    [JSInvokable]
    public void OnSelectionChanged(string? elementId)
    {
        // The properties panel follows the selection by itself; nothing to do on the server.
    }

    private async Task OpenSelectedAsync()
    {
        if (_selectedKey is null || _designer is null)
        {
            return;
        }

        if (_dirty)
        {
            var (discard, _) = await Dialogs.AskAsync(T["Designer.ConfirmDiscardTitle"], T["Designer.ConfirmDiscard"], T["Designer.Discard"], Color.Warning);
            if (!discard)
            {
                return;
            }
        }

        int? version = _selectedKey == DraftKey ? null : int.Parse(_selectedKey[1..], CultureInfo.InvariantCulture);
        var xml = await Catalog.GetXmlAsync(ProcessId, version);
        if (xml is null)
        {
            Show(T["Designer.VersionMissing"], Severity.Warning);
            return;
        }

        if (await OpenXmlAsync(xml, _selectedKey))
        {
            await ValidateXmlAsync(xml);
        }
    }

    /// <summary>
    /// Shows the XML in the editor. A model without diagram layout gets one generated (and says so); one the editor
    /// cannot show is said in the message line and leaves the page working. Returns whether it is shown.
    /// </summary>
    private async Task<bool> OpenXmlAsync(string xml, string? key)
    {
        OpenResult opened;
        try
        {
            opened = await _designer!.InvokeAsync<OpenResult>("open", xml);
        }
        catch (JSException e)
        {
            Logger.LogInformation("Designer could not show {ProcessId}: {Reason}", ProcessId, e.Message);
            Show(T["Designer.CannotShow", FirstLine(e.Message)], Severity.Error);
            return false;
        }

        _openedKey = key;
        _dryRun = null;
        await ReloadFormsAsync(xml);
        if (opened.Warnings.Length > 0)
        {
            Logger.LogInformation("Designer opened {ProcessId} with {WarningCount} import warnings", ProcessId, opened.Warnings.Length);
        }

        if (opened.LaidOut)
        {
            Show(T["Designer.LayoutGenerated"], Severity.Info);
        }

        return true;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    /// <summary>
    /// The diagram in the editor, streamed: it is often larger than one SignalR message may be. The editor counts its
    /// changes; while the count is the one of the last fetch, the text fetched then is still the diagram.
    /// </summary>
    private async Task<string> CurrentXmlAsync()
    {
        var revision = await _designer!.InvokeAsync<int>("revision");
        if (_xml is not null && revision == _xmlRevision)
        {
            return _xml;
        }

        var reference = await _designer!.InvokeAsync<IJSStreamReference>("getXmlStream");
        await using (reference)
        {
            await using var stream = await reference.OpenReadStreamAsync(MaxXmlBytes);
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
            (_xml, _xmlRevision) = (await reader.ReadToEndAsync(), revision);
            return _xml;
        }
    }

    private async Task ValidateAsync()
    {
        var check = await ValidateXmlAsync(await CurrentXmlAsync());
        Show(check.HasErrors ? T["Designer.HasErrors"] : T["Designer.Valid"], check.HasErrors ? Severity.Warning : Severity.Success);
    }

    /// <summary>Checks the diagram; the same text as last time is answered from the last check, not parsed again.</summary>
    private async Task<DesignerCheck> ValidateXmlAsync(string xml)
    {
        var result = Check(xml);
        await ShowProblemsAsync(result.Check.Problems);
        _variables = result.Variables;
        return result.Check;
    }

    private DesignerCheckResult Check(string xml) => (_checks ??= new DesignerCheckCache(Validation)).Check(xml, ProcessId);

    private async Task ShowProblemsAsync(IReadOnlyList<DesignerProblem> problems)
    {
        _problems = problems.ToList();
        _checked = true;
        if (_designer is not null)
        {
            // One argument: an array passed alone would be spread into the params array.
            object marks = problems.Select(p => new { elementId = p.ElementId, severity = p.Severity.ToString(), message = $"{p.Code}: {p.Message(Chinese)}" }).ToArray();
            await _designer.InvokeVoidAsync("showProblems", marks);
        }

        if (problems.Count > 0)
        {
            _tab = 0;
        }
    }

    private async Task SaveDraftAsync()
    {
        await RunAsync(async () =>
        {
            var xml = await CurrentXmlAsync();
            var check = await ValidateXmlAsync(xml);
            if (!check.Readable)
            {
                Show(T["Designer.Unreadable"], Severity.Error);
                return;
            }

            if (!check.ProcessIds.Contains(ProcessId, StringComparer.Ordinal))
            {
                Show(T["Designer.ProcessIdChanged", ProcessId], Severity.Error);
                return;
            }

            // Refused when someone saved the draft since this page read it: their changes stay, this diagram stays open.
            var saved = _draftBase is { } basedOn
                ? await Catalog.SaveDraftAsync(xml, await UserIdAsync(), basedOn)
                : await Catalog.SaveDraftAsync(xml, await UserIdAsync());
            _draftBase = new DraftBase(ProcessId, saved);
            if (saved != xml)
            {
                // The catalog wrote back forms the diagram had lost: show what was saved.
                await OpenXmlAsync(saved, DraftKey);
            }

            await _designer!.InvokeVoidAsync("markSaved");
            await LoadVersionsAsync();
            _openedKey = DraftKey;
            _selectedKey = DraftKey;
            Show(check.HasErrors ? T["Designer.SavedWithErrors"] : T["Designer.Saved"], check.HasErrors ? Severity.Warning : Severity.Success);
        });
    }

    private async Task PublishAsync(string? changeNote)
    {
        if (_dirty)
        {
            Show(T["Designer.SaveBeforePublish"], Severity.Warning);
            return;
        }

        await RunAsync(async () =>
        {
            var version = await Catalog.PublishAsync(ProcessId, await UserIdAsync(), changeNote);
            await LoadVersionsAsync();
            await RememberDraftAsync();
            _selectedKey = $"v{version}";
            _openedKey = _selectedKey;
            Show(T["Designer.Published", version], Severity.Success);
        });
    }

    private async Task RetireAsync(int version)
    {
        await RunAsync(async () =>
        {
            await Catalog.RetireAsync(ProcessId, version, await UserIdAsync());
            await LoadVersionsAsync();
            Show(T["Designer.Retired", version], Severity.Success);
        });
    }

    private async Task RepublishAsync((int Version, string? Note) request)
    {
        await RunAsync(async () =>
        {
            var version = await Catalog.RepublishAsync(ProcessId, request.Version, await UserIdAsync(), request.Note);
            await LoadVersionsAsync();
            Show(T["Designer.Republished", request.Version, version], Severity.Success);
        });
    }

    private async Task CompareAsync((string From, string To) request)
    {
        await RunAsync(async () =>
        {
            var older = await XmlForKeyAsync(request.From);
            var newer = await XmlForKeyAsync(request.To);
            if (older is null || newer is null)
            {
                Show(T["Designer.VersionMissing"], Severity.Warning);
                return;
            }

            _changes = VersionComparer.Compare(older, newer, ProcessId);
        });
    }

    /// <summary>"current" is what the editor shows now, unsaved changes included.</summary>
    private async Task<string?> XmlForKeyAsync(string key) => key switch
    {
        DesignerVersions.CurrentKey => await CurrentXmlAsync(),
        DraftKey => await Catalog.GetXmlAsync(ProcessId, null),
        _ => await Catalog.GetXmlAsync(ProcessId, int.Parse(key[1..], CultureInfo.InvariantCulture)),
    };

    private async Task DryRunAsync(DryRunInput request)
    {
        await RunAsync(async () =>
        {
            var xml = await CurrentXmlAsync();
            var check = await ValidateXmlAsync(xml);
            if (check.HasErrors)
            {
                Show(T["Designer.DryRunNeedsValid"], Severity.Warning);
                return;
            }

            _dryRun = await DryRun.RunAsync(new DryRunRequest(xml, ProcessId, request.StartVariablesJson, request.TaskVariablesJson, request.Variables));
            await _designer!.InvokeVoidAsync("showPath", _dryRun.TakenElementIds, _dryRun.ActiveElementIds);
        });
    }

    private async Task ClearDryRunAsync()
    {
        _dryRun = null;
        if (_designer is not null)
        {
            await _designer.InvokeVoidAsync("clearPath");
        }
    }

    /// <summary>
    /// The forms of the procedure in the editor (its tw:form elements), with those it takes over from what was opened
    /// (forms kept as rows, or inherited from an earlier version) where the diagram has none of that key.
    /// </summary>
    private async Task ReloadFormsAsync(string? xml = null)
    {
        xml ??= await CurrentXmlAsync();
        Dictionary<string, string> embedded;
        try
        {
            embedded = BpmnForms.Read(xml, ProcessId).ToDictionary(StringComparer.Ordinal);
        }
        catch (BpmnParseException)
        {
            embedded = [];
        }

        var forms = embedded.Select(f => new StoredForm(ProcessId, f.Key, OpenedVersion, FormSchemaReader.Parse(f.Value), f.Value, default, null)).ToList();
        var stored = _openedKey is null ? [] : await FormStore.ListAsync(ProcessId, OpenedVersion);
        forms.AddRange(stored.Where(s => !embedded.ContainsKey(s.FormKey)));
        _forms = forms.OrderBy(f => f.FormKey, StringComparer.Ordinal).ToList();
        if (_designer is not null)
        {
            object offered = _forms.Select(f => new { key = f.FormKey, label = string.IsNullOrWhiteSpace(f.Schema.Title) ? f.FormKey : $"{f.Schema.Title} ({f.FormKey})" }).ToArray();
            await _designer.InvokeVoidAsync("setLookups", new { forms = offered });
        }
    }

    /// <summary>Writes the form into the procedure in the editor (an undoable change, saved with the draft).</summary>
    private async Task<IReadOnlyList<string>> SaveFormAsync(string formKey, string json)
    {
        FormSchema schema;
        try
        {
            schema = FormSchemaReader.Parse(json);
        }
        catch (FormSchemaException e)
        {
            return e.Problems.Select(p => Chinese ? p.MessageZh : p.MessageEn).ToList();
        }

        if (_designer is null || !await _designer.InvokeAsync<bool>("setForm", ProcessId, formKey, schema.Title ?? formKey, json))
        {
            return [T["Designer.ProcessIdChanged", ProcessId]];
        }

        var xml = await CurrentXmlAsync();
        await ReloadFormsAsync(xml);
        _variables = Check(xml).Variables;
        Show(T["Forms.Saved", formKey], Severity.Success);
        StateHasChanged();
        return [];
    }

    private async Task ImportAsync(InputFileChangeEventArgs e)
    {
        await RunAsync(async () =>
        {
            if (e.FileCount > MaxImportFiles)
            {
                Show(T["Designer.ImportTooMany", MaxImportFiles], Severity.Error);
                return;
            }

            // Read as the command line reads files: the parser's size limit and message, the declared encoding, no
            // silent replacement of invalid bytes.
            var uploads = e.GetMultipleFiles(MaxImportFiles).Select(f => new ImportUpload(f.Name, f.Size, max => f.OpenReadStream(max))).ToList();
            var deployed = (await Catalog.ListAsync()).Select(p => p.ProcessId).ToHashSet(StringComparer.Ordinal);
            var imported = await Import.ReadUploadsAsync(uploads, deployed);
            if (!imported.Readable)
            {
                await ShowProblemsAsync(imported.AllProblems.ToList());
                Show(T["Designer.ImportUnreadable", string.Join(", ", imported.Unreadable.Select(p => p.File))], Severity.Error);
                return;
            }

            if (imported.Files.Count == 1)
            {
                await ImportOneAsync(imported.Files[0], deployed);
            }
            else
            {
                await ImportSetAsync(imported);
            }
        });
    }

    /// <summary>
    /// One file: opened in the editor when it defines this procedure; when it defines one other process, the user
    /// chooses to take it over as this procedure's next draft or to keep its id as a new procedure.
    /// </summary>
    private async Task ImportOneAsync(ImportedFile file, IReadOnlySet<string> deployed)
    {
        var xml = file.Xml;
        if (!file.ProcessIds.Contains(ProcessId, StringComparer.Ordinal) && file.ProcessIds.Count == 1)
        {
            var other = file.ProcessIds[0];
            var choice = await Dialogs.ShowMessageBoxAsync(
                T["Designer.AdoptTitle"], T["Designer.AdoptMessage", other, ProcessId],
                yesText: T["Designer.AdoptAsDraft", ProcessId], noText: T["Designer.AdoptAsNew", other], cancelText: T["Designer.Cancel"]);
            if (choice is null)
            {
                return;
            }

            if (choice == false)
            {
                await SaveAsNewProcedureAsync(file, other, deployed);
                return;
            }

            var adopted = ProcessAdoption.Rename(xml, other, ProcessId);
            if (!adopted.Adopted)
            {
                Show(T["Designer.AdoptIdTaken", ProcessId], Severity.Error);
                return;
            }

            xml = adopted.Xml!;
        }
        else if (!file.ProcessIds.Contains(ProcessId, StringComparer.Ordinal) && file.ProcessIds.Count > 0)
        {
            Show(T["Designer.ImportOtherProcess", string.Join(", ", file.ProcessIds), ProcessId], Severity.Warning);
        }

        var (check, variables) = Check(xml);
        if (!await OpenXmlAsync(xml, _openedKey))
        {
            return;
        }

        await _designer!.InvokeVoidAsync("markDirty");
        await ShowProblemsAsync(check.Problems);
        _variables = variables;
        var imported = check.HasErrors ? T["Designer.ImportedWithProblems", file.Name] : T["Designer.Imported", file.Name, file.ConvertedAttributes];
        Show(_message == T["Designer.LayoutGenerated"] ? $"{imported} {_message}" : imported, check.HasErrors ? Severity.Warning : Severity.Success);
    }

    private async Task SaveAsNewProcedureAsync(ImportedFile file, string processId, IReadOnlySet<string> deployed)
    {
        if (!ProcessIds.IsValid(processId))
        {
            Show(T["Designer.AdoptInvalidId", processId], Severity.Error);
            return;
        }

        if (deployed.Contains(processId))
        {
            Show(T["Designer.AdoptExists", processId], Severity.Error);
            return;
        }

        await Catalog.SaveDraftAsync(file.Xml, await UserIdAsync());
        Snackbar.Add(T["Designer.AdoptedAsNew", processId], Severity.Success);
        if (!_dirty)
        {
            Navigation.NavigateTo($"designer/{Uri.EscapeDataString(processId)}");
        }
        else
        {
            Show(T["Designer.AdoptedAsNew", processId], Severity.Success);
        }
    }

    /// <summary>
    /// Several files: validated as one set; with no error, the other processes are saved as drafts of their
    /// procedures and the file defining this one (if any) opens in the editor.
    /// </summary>
    private async Task ImportSetAsync(ImportedSet imported)
    {
        await ShowProblemsAsync(imported.AllProblems.ToList());
        if (imported.AllProblems.Any(p => p.Severity == ValidationSeverity.Error))
        {
            Show(T["Designer.ImportSetHasErrors"], Severity.Warning);
            return;
        }

        var own = imported.Defining(ProcessId);
        var others = imported.Files.Where(f => !ReferenceEquals(f, own)).ToList();
        var names = string.Join(", ", others.SelectMany(f => f.ProcessIds));
        if (await Dialogs.ShowMessageBoxAsync(T["Designer.ImportSetTitle"], T["Designer.ImportSetMessage", names], yesText: T["Designer.ImportSetSave"], cancelText: T["Designer.Cancel"]) != true)
        {
            return;
        }

        var user = await UserIdAsync();
        foreach (var file in others)
        {
            await Catalog.SaveDraftAsync(file.Xml, user);
        }

        if (own is not null)
        {
            await OpenXmlAsync(own.Xml, _openedKey);
            await _designer!.InvokeVoidAsync("markDirty");
            _variables = Check(own.Xml).Variables;
            object marks = own.Problems.Select(p => new { elementId = p.ElementId, severity = p.Severity.ToString(), message = $"{p.Code}: {p.Message(Chinese)}" }).ToArray();
            await _designer!.InvokeVoidAsync("showProblems", marks);
        }

        await LoadVersionsAsync();
        Show(T["Designer.ImportSetSaved", imported.Files.Count, names], Severity.Success);
    }

    private async Task ExportAsync()
    {
        var xml = await CurrentXmlAsync();
        await _module!.InvokeVoidAsync("download", $"{ProcessId}.bpmn", xml, "application/xml");
    }

    private async Task SelectElementAsync(string elementId)
    {
        if (_designer is not null)
        {
            await _designer.InvokeAsync<bool>("select", elementId);
        }
    }

    private async Task OnBeforeInternalNavigationAsync(LocationChangingContext context)
    {
        if (_dirty && !await ConfirmDiscardAsync())
        {
            context.PreventNavigation();
        }
    }

    /// <summary>Leaving the page asks with the browser's own prompt, as closing the tab does (beforeunload).</summary>
    private async Task<bool> ConfirmDiscardAsync() => await Js.InvokeAsync<bool>("confirm", T["Designer.ConfirmDiscard"]);

    private async Task LoadVersionsAsync()
    {
        _versions = await Catalog.GetVersionsAsync(ProcessId);
        _versionChoices = _versions
            .Select(v => v.Version is { } n
                ? new VersionChoice($"v{n}", T[v.State == DefinitionState.Retired ? "Designer.VersionRetired" : "Designer.VersionPublished", n])
                : new VersionChoice(DraftKey, T["Designer.Draft"]))
            .Reverse()
            .ToList();
    }

    /// <summary>The draft as stored now: the one this page's next save must still find there.</summary>
    private async Task RememberDraftAsync() => _draftBase = new DraftBase(ProcessId, await Catalog.GetXmlAsync(ProcessId, null));

    private async Task<string?> UserIdAsync() => (await Authentication.GetAuthenticationStateAsync()).User.Identity?.Name;

    /// <summary>
    /// Runs a server action with the toolbar disabled. Engine errors are shown in the UI language; anything else is
    /// logged with a reference shown to the user, and the page (with the unsaved diagram) stays as it is.
    /// </summary>
    private async Task RunAsync(Func<Task> action)
    {
        _busy = true;
        try
        {
            await action();
        }
        catch (WorkflowException e)
        {
            Show(e.GetLocalizedMessage(CultureInfo.CurrentUICulture), Severity.Error);
        }
        catch (Exception e) when (e is not (JSDisconnectedException or OperationCanceledException))
        {
            var reference = Guid.NewGuid().ToString("N")[..12];
            Logger.LogError(e, "Designer action on {ProcessId} failed, reference {Reference}", ProcessId, reference);
            Show(T["Designer.Failed", reference], Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>The message line above the diagram (kept until closed); successes pop up as a snackbar too.</summary>
    private void Show(string message, Severity severity)
    {
        _message = message;
        _messageSeverity = severity;
        if (severity == Severity.Success)
        {
            Snackbar.Add(message, severity);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_designer is not null)
            {
                await _designer.InvokeVoidAsync("destroy");
                await _designer.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone with the browser tab; nothing left to clean up there.
        }

        _self?.Dispose();
    }

    private sealed record VersionChoice(string Key, string Text);

    /// <summary>What the editor's open() answers.</summary>
    private sealed record OpenResult(string[] Warnings, bool LaidOut);
}

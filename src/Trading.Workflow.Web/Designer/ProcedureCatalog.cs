using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Queries;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Web.Configuration;
using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.Designer;

/// <summary>
/// <see cref="IProcedureCatalog"/> over the durable store's <see cref="ProcessVersionService"/>. A version carries its
/// task forms as <c>tw:form</c> elements (<see cref="BpmnForms"/>): a draft saved without a form the procedure had
/// (an imported file, an editor that dropped it) gets that form written back, so publishing never loses one. Forms
/// kept as rows (<see cref="FormStore"/>) follow the versions too: publishing makes the draft's rows the new
/// version's, re-publishing copies the earlier version's forms to the new one.
/// </summary>
public sealed class ProcedureCatalog(
    ProcessVersionService versions, WorkflowQueries queries, FormStore forms, DesignerText text, IOptions<CultureOptions> cultures) : IProcedureCatalog
{
    public async Task<IReadOnlyList<ProcedureSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rows = await queries.DefinitionHeadsAsync(cancellationToken);
        return rows
            .GroupBy(r => r.ProcessId, StringComparer.Ordinal)
            .Select(g =>
            {
                var draft = g.FirstOrDefault(r => r.State == DefinitionState.Draft);
                var latest = g.Where(r => r.Version is not null).OrderByDescending(r => r.Version).FirstOrDefault();
                return new ProcedureSummary(
                    g.Key,
                    draft?.Name ?? latest?.Name,
                    latest?.Version,
                    draft is not null,
                    g.Count(r => r.State == DefinitionState.Published));
            })
            .OrderBy(s => s.ProcessId, StringComparer.Ordinal)
            .ToList();
    }

    public Task<IReadOnlyList<ProcessVersionInfo>> GetVersionsAsync(string processId, CancellationToken cancellationToken = default) =>
        versions.GetVersionsAsync(processId, cancellationToken);

    public Task<string?> GetXmlAsync(string processId, int? version, CancellationToken cancellationToken = default) =>
        versions.GetXmlAsync(processId, version, cancellationToken);

    public Task<string> SaveDraftAsync(string xml, string? userId, CancellationToken cancellationToken = default) =>
        SaveDraftCoreAsync(xml, userId, null, cancellationToken);

    public Task<string> SaveDraftAsync(string xml, string? userId, DraftBase basedOn, CancellationToken cancellationToken = default) =>
        SaveDraftCoreAsync(xml, userId, basedOn, cancellationToken);

    private async Task<string> SaveDraftCoreAsync(string xml, string? userId, DraftBase? basedOn, CancellationToken cancellationToken)
    {
        foreach (var process in BpmnParser.Parse(xml).Processes)
        {
            xml = await WithCarriedFormsAsync(xml, process.Id, cancellationToken);
        }

        await versions.SaveDraftAsync(xml, userId, basedOn, cancellationToken);
        return xml;
    }

    public async Task<int> PublishAsync(string processId, string? userId, string? changeNote, CancellationToken cancellationToken = default)
    {
        // A draft saved before forms were carried (or by another client) gets them now, before it becomes a version.
        if (await versions.GetXmlAsync(processId, null, cancellationToken) is { } draft
            && await WithCarriedFormsAsync(draft, processId, cancellationToken) is var carried
            && !ReferenceEquals(carried, draft))
        {
            await versions.SaveDraftAsync(carried, userId, cancellationToken);
        }

        var version = (await versions.PublishAsync(processId, userId, changeNote, cancellationToken)).Version ?? 0;
        await forms.PublishDraftFormsAsync(processId, version, userId, cancellationToken);
        return version;
    }

    public Task RetireAsync(string processId, int version, string? userId, CancellationToken cancellationToken = default) =>
        versions.RetireAsync(processId, version, userId, cancellationToken);

    public async Task<int> RepublishAsync(string processId, int version, string? userId, string? changeNote, CancellationToken cancellationToken = default)
    {
        // Without a note of the user's, the note is written in the centre's language (every reader sees one text).
        changeNote = string.IsNullOrWhiteSpace(changeNote)
            ? text.In(CultureInfo.GetCultureInfo(cultures.Value.DefaultCulture), "Designer.RepublishedNote", version)
            : changeNote.Trim();
        var republished = (await versions.RepublishAsync(processId, version, userId, changeNote, cancellationToken)).Version ?? 0;
        foreach (var form in await forms.ListAsync(processId, version, cancellationToken))
        {
            await forms.SaveAsync(processId, form.FormKey, form.Json, republished, userId, cancellationToken);
        }

        return republished;
    }

    /// <summary>
    /// The XML with every form the process had (its draft's, else its latest version's, inherited ones included) that
    /// the XML lacks written into it; the same instance when nothing was missing.
    /// </summary>
    private async Task<string> WithCarriedFormsAsync(string xml, string processId, CancellationToken cancellationToken)
    {
        var present = BpmnForms.Read(xml, processId);
        var had = (await forms.ListAsync(processId, null, cancellationToken)).ToList();
        var all = await versions.GetVersionsAsync(processId, cancellationToken);
        if (all.LastOrDefault(v => v.Version is not null) is { Version: { } latest })
        {
            had.AddRange((await forms.ListAsync(processId, latest, cancellationToken)).Where(f => had.All(h => h.FormKey != f.FormKey)));
        }

        var missing = had.Where(f => !present.ContainsKey(f.FormKey)).Select(f => (f.FormKey, f.Schema.Title ?? f.FormKey, f.Json)).ToList();
        return missing.Count == 0 ? xml : BpmnForms.Write(xml, processId, missing);
    }
}

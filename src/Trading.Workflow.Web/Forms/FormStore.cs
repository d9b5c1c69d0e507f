using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Queries;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Forms;

/// <summary>A stored form with where it applies.</summary>
public sealed record StoredForm(string ProcessId, string FormKey, int? FromVersion, FormSchema Schema, string Json, DateTimeOffset SavedAt, string? SavedBy);

/// <summary>
/// Task forms stored with the procedure. The procedure's own <c>tw:form</c> elements come first (see
/// <see cref="BpmnForms"/>: the designer and the shipped procedures keep forms there). Beside them, rows of
/// wf_forms: each row is one form key of one process, valid from a published version
/// on (a later version's row replaces it from there), or the draft's (no version) while the designer edits it.
/// A version's forms are those it embeds, else the newest earlier version's (embedded or row) for the same key: a
/// version published without a form (an editor that dropped it, an imported file) keeps the one its tasks used
/// before, and running instances keep the forms they started with.
/// </summary>
public sealed class FormStore(WorkflowDatabase database, WorkflowQueries queries, ProcessVersionService versions, TimeProvider time)
{
    /// <summary>The form a task of <paramref name="processId"/> version <paramref name="version"/> shows for its form key; null when none.</summary>
    public async Task<StoredForm?> GetForVersionAsync(string processId, int version, string formKey, CancellationToken cancellationToken = default) =>
        (await ListAsync(processId, version, cancellationToken)).FirstOrDefault(f => f.FormKey == formKey);

    /// <summary>Every form a version of the process uses (or the draft's when <paramref name="version"/> is null), by form key.</summary>
    public async Task<IReadOnlyList<StoredForm>> ListAsync(string processId, int? version, CancellationToken cancellationToken = default)
    {
        if (version is not { } v)
        {
            var embedded = await versions.GetXmlAsync(processId, null, cancellationToken) is { } xml ? Embedded(processId, null, xml) : [];
            var drafts = await ListStoredAsync(processId, null, cancellationToken);
            return embedded.Concat(drafts.Where(s => embedded.All(e => e.FormKey != s.FormKey))).OrderBy(f => f.FormKey, StringComparer.Ordinal).ToList();
        }

        var published = await queries.VersionXmlUpToAsync(processId, v, cancellationToken);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        List<FormEntity> rows;
        await using (var db = Create(connection))
        {
            rows = await db.Forms.AsNoTracking().Where(f => f.ProcessId == processId && f.FromVersion != null && f.FromVersion <= v).ToListAsync(cancellationToken);
        }

        // Newest version first; within one version its own tw:form before a row of the same key.
        var candidates = published.SelectMany(p => Embedded(processId, p.Version, p.Xml))
            .Select(f => (Version: f.FromVersion!.Value, Embedded: 0, Form: f))
            .Concat(rows.Select(r => (Version: r.FromVersion!.Value, Embedded: 1, Form: ToStored(r))));
        return candidates
            .OrderByDescending(c => c.Version).ThenBy(c => c.Embedded)
            .GroupBy(c => c.Form.FormKey, StringComparer.Ordinal)
            .Select(g => g.First().Form)
            .OrderBy(f => f.FormKey, StringComparer.Ordinal)
            .ToList();
    }

    private static List<StoredForm> Embedded(string processId, int? version, string xml) =>
        BpmnForms.Read(xml, processId).Select(f => new StoredForm(processId, f.Key, version, FormSchemaReader.Parse(f.Value), f.Value, default, null)).ToList();

    private async Task<IReadOnlyList<StoredForm>> ListStoredAsync(string processId, int? version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = Create(connection);
        var rows = await db.Forms.AsNoTracking().Where(f => f.ProcessId == processId).ToListAsync(cancellationToken);
        var chosen = version is { } v
            ? rows.Where(r => r.FromVersion is { } from && from <= v).GroupBy(r => r.FormKey).Select(g => g.MaxBy(r => r.FromVersion)!)
            : rows.Where(r => r.FromVersion is null);
        return chosen.OrderBy(r => r.FormKey, StringComparer.Ordinal).Select(ToStored).ToList();
    }

    /// <summary>
    /// Stores a form (checked first) for a published version, or with a null <paramref name="fromVersion"/> as the
    /// draft's; replaces the row of the same key and version.
    /// </summary>
    /// <exception cref="FormSchemaException">The form definition has problems.</exception>
    public async Task<StoredForm> SaveAsync(string processId, string formKey, string json, int? fromVersion, string? userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(processId);
        ArgumentException.ThrowIfNullOrWhiteSpace(formKey);
        var schema = FormSchemaReader.Parse(json);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var db = Create(connection);
        db.Database.UseTransaction(transaction);
        var existing = await db.Forms.Where(f => f.ProcessId == processId && f.FormKey == formKey && f.FromVersion == fromVersion).ToListAsync(cancellationToken);
        db.Forms.RemoveRange(existing);
        var row = new FormEntity
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            ProcessId = processId,
            FormKey = formKey,
            FromVersion = fromVersion,
            SchemaJson = json,
            SavedAt = time.GetUtcNow(),
            SavedBy = userId,
        };
        db.Forms.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StoredForm(processId, formKey, fromVersion, schema, json, row.SavedAt, userId);
    }

    /// <summary>Makes the draft's forms those of the newly published <paramref name="version"/> (the designer calls this after publishing).</summary>
    public async Task<int> PublishDraftFormsAsync(string processId, int version, string? userId, CancellationToken cancellationToken = default)
    {
        var drafts = await ListStoredAsync(processId, null, cancellationToken);
        foreach (var draft in drafts)
        {
            await SaveAsync(processId, draft.FormKey, draft.Json, version, userId, cancellationToken);
        }

        return drafts.Count;
    }

    private PlatformWorkflowDbContext Create(System.Data.Common.DbConnection connection) =>
        new(database.CreateOptions<PlatformWorkflowDbContext>(connection));

    private static StoredForm ToStored(FormEntity row) =>
        new(row.ProcessId, row.FormKey, row.FromVersion, FormSchemaReader.Parse(row.SchemaJson), row.SchemaJson, row.SavedAt, row.SavedBy);
}

using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Data;
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
/// A task of version v uses the row of its form key with the highest version not above v, so running instances keep
/// the forms they started with.
/// </summary>
public sealed class FormStore(WorkflowDatabase database, ProcessVersionService versions, TimeProvider time)
{
    /// <summary>
    /// The form a task of <paramref name="processId"/> version <paramref name="version"/> shows for its form key: the
    /// version's own <c>tw:form</c> (written by the designer), else the stored row; null when neither exists.
    /// </summary>
    public async Task<StoredForm?> GetForVersionAsync(string processId, int version, string formKey, CancellationToken cancellationToken = default)
    {
        if (await versions.GetXmlAsync(processId, version, cancellationToken) is { } xml
            && BpmnForms.Read(xml, processId).TryGetValue(formKey, out var embedded))
        {
            return new StoredForm(processId, formKey, version, FormSchemaReader.Parse(embedded), embedded, default, null);
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = Create(connection);
        var row = await db.Forms.AsNoTracking()
            .Where(f => f.ProcessId == processId && f.FormKey == formKey && f.FromVersion != null && f.FromVersion <= version)
            .OrderByDescending(f => f.FromVersion)
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToStored(row);
    }

    /// <summary>Every form a version of the process uses (or the draft's when <paramref name="version"/> is null), by form key.</summary>
    public async Task<IReadOnlyList<StoredForm>> ListAsync(string processId, int? version, CancellationToken cancellationToken = default)
    {
        var embedded = await versions.GetXmlAsync(processId, version, cancellationToken) is { } xml
            ? BpmnForms.Read(xml, processId).Select(f => new StoredForm(processId, f.Key, version, FormSchemaReader.Parse(f.Value), f.Value, default, null)).ToList()
            : [];
        var stored = await ListStoredAsync(processId, version, cancellationToken);
        return embedded.Concat(stored.Where(s => embedded.All(e => e.FormKey != s.FormKey))).OrderBy(f => f.FormKey, StringComparer.Ordinal).ToList();
    }

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

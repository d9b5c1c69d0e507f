using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Workflow;

public sealed record DocumentInfo(Guid Id, Guid InstanceId, Guid? TaskId, string? FieldKey, string FileName, string ContentType, long Size, string UploadedBy, DateTimeOffset UploadedAt)
{
    /// <summary>The business key (project code) of the document's instance.</summary>
    public string? BusinessKey { get; init; }
}

/// <summary>Files uploaded through task forms: the bytes in the data folder (documents/&lt;instance&gt;/&lt;id&gt;), the facts in wf_documents.</summary>
public sealed class DocumentStore(WorkflowDatabase database, DatabaseTarget target, TimeProvider time)
{
    public async Task<DocumentInfo> SaveAsync(
        Guid instanceId, string? businessKey, Guid? taskId, string? fieldKey, string fileName, string contentType, Stream content, string uploadedBy,
        CancellationToken cancellationToken = default)
    {
        var id = Guid.CreateVersion7(time.GetUtcNow());
        var folder = Path.Combine(target.DataFolder, "documents", instanceId.ToString("N"));
        Directory.CreateDirectory(folder);
        var relative = Path.Combine("documents", instanceId.ToString("N"), id.ToString("N"));
        var path = Path.Combine(target.DataFolder, relative);
        long size;
        await using (var file = File.Create(path))
        {
            await content.CopyToAsync(file, cancellationToken);
            size = file.Length;
        }

        var row = new DocumentEntity
        {
            Id = id,
            InstanceId = instanceId,
            BusinessKey = businessKey,
            TaskId = taskId,
            FieldKey = fieldKey,
            FileName = Path.GetFileName(fileName),
            ContentType = string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType,
            Size = size,
            StoragePath = relative,
            UploadedBy = uploadedBy,
            UploadedAt = time.GetUtcNow(),
        };
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = new PlatformWorkflowDbContext(database.CreateOptions<PlatformWorkflowDbContext>(connection));
        db.Documents.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return ToInfo(row);
    }

    public async Task<IReadOnlyList<DocumentInfo>> ListAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = new PlatformWorkflowDbContext(database.CreateOptions<PlatformWorkflowDbContext>(connection));
        var rows = await db.Documents.AsNoTracking().Where(d => d.InstanceId == instanceId).ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.UploadedAt).Select(ToInfo).ToList();
    }

    /// <summary>The document and an open stream of its bytes, or null.</summary>
    public async Task<(DocumentInfo Info, Stream Content)?> OpenAsync(Guid documentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = new PlatformWorkflowDbContext(database.CreateOptions<PlatformWorkflowDbContext>(connection));
        var row = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var path = Path.Combine(target.DataFolder, row.StoragePath);
        return File.Exists(path) ? (ToInfo(row), File.OpenRead(path)) : null;
    }

    private static DocumentInfo ToInfo(DocumentEntity d) =>
        new(d.Id, d.InstanceId, d.TaskId, d.FieldKey, d.FileName, d.ContentType, d.Size, d.UploadedBy, d.UploadedAt) { BusinessKey = d.BusinessKey };
}

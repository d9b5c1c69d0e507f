using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Web.Designer;

namespace Trading.Workflow.Web.Workflow;

/// <summary>A shipped procedure file newer than what the database took in, waiting for an administrator.</summary>
public sealed record PendingShippedUpdate(
    string ProcessId,
    string? Name,
    string SourceFile,
    DateTimeOffset Since,
    bool SavedAsDraft,
    bool OtherDraftInTheWay,
    int? LatestVersion,
    IReadOnlyList<ElementChange> Changes);

/// <summary>
/// Shipped procedure files and the database: which file content each process last took in, and the updates a new
/// release brings. A changed file becomes the process's draft (created by <see cref="ShippedUser"/>) an
/// administrator reviews, compares and publishes in the designer; when an administrator's own draft is there, the
/// update waits beside it until they load it. Nothing is ever published by itself, and running projects keep the
/// version they run on. An update is settled when a version is published from its draft, or when it is dismissed.
/// </summary>
public sealed partial class ShippedProcedureUpdates(
    WorkflowDatabase database,
    ProcessVersionService versions,
    TimeProvider time,
    ILogger<ShippedProcedureUpdates> logger)
{
    /// <summary>The author of drafts made from shipped files.</summary>
    public const string ShippedUser = "system:shipped-procedure";

    public static string Hash(string xml) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(xml)));

    /// <summary>Records that the database took in this file content (the first publish of a shipped process).</summary>
    public async Task RecordTakenAsync(string processId, string sourceFile, string xml, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = Create(connection);
        var row = await db.ShippedProcedures.SingleOrDefaultAsync(r => r.ProcessId == processId, cancellationToken);
        if (row is null)
        {
            row = new ShippedProcedureEntity { ProcessId = processId, SourceFile = sourceFile, TakenHash = Hash(xml) };
            db.ShippedProcedures.Add(row);
        }

        row.SourceFile = sourceFile;
        row.TakenHash = Hash(xml);
        ClearPending(row);
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Compares the shipped file of a process that already has versions with what the database took in. Unchanged:
    /// nothing. Changed: a pending update, saved as the draft unless an administrator's draft is there. A database
    /// from before this was tracked takes the file as known when one of its versions carries exactly this content.
    /// Returns true when a new pending update was recorded.
    /// </summary>
    public async Task<bool> TakeAsync(
        string processId, string sourceFile, string xml, IReadOnlyList<ProcessVersionInfo> existing, CancellationToken cancellationToken = default)
    {
        var hash = Hash(xml);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = Create(connection);
        var row = await db.ShippedProcedures.SingleOrDefaultAsync(r => r.ProcessId == processId, cancellationToken);
        var now = time.GetUtcNow();
        if (row is not null && (row.TakenHash == hash || row.PendingHash == hash))
        {
            return false;
        }

        if (row is null)
        {
            row = new ShippedProcedureEntity { ProcessId = processId, SourceFile = sourceFile, TakenHash = string.Empty, UpdatedAt = now };
            db.ShippedProcedures.Add(row);
            foreach (var version in existing.Where(v => v.Version is not null))
            {
                if (await versions.GetXmlAsync(processId, version.Version, cancellationToken) is { } known && Hash(known) == hash)
                {
                    row.TakenHash = hash;
                    await db.SaveChangesAsync(cancellationToken);
                    return false;
                }
            }
        }

        var draft = existing.FirstOrDefault(v => v.State == DefinitionState.Draft);
        var asDraft = draft is null || draft.CreatedBy == ShippedUser;
        if (asDraft)
        {
            await versions.SaveDraftAsync(xml, ShippedUser, cancellationToken);
        }

        row.SourceFile = sourceFile;
        row.PendingHash = hash;
        row.PendingXml = xml;
        row.PendingSince = now;
        row.PendingAsDraft = asDraft;
        row.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        LogPending(processId, sourceFile, asDraft);
        return true;
    }

    /// <summary>The updates waiting for review, each with what changed against the newest version; settled ones are cleared first.</summary>
    public async Task<IReadOnlyList<PendingShippedUpdate>> ListPendingAsync(CancellationToken cancellationToken = default)
    {
        List<ShippedProcedureEntity> rows;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var db = Create(connection))
        {
            rows = await db.ShippedProcedures.Where(r => r.PendingHash != null).OrderBy(r => r.ProcessId).ToListAsync(cancellationToken);
        }

        var result = new List<PendingShippedUpdate>();
        foreach (var row in rows)
        {
            var all = await versions.GetVersionsAsync(row.ProcessId, cancellationToken);
            if (await SettleAsync(row, all, cancellationToken))
            {
                continue;
            }

            var latest = all.Where(v => v.Version is not null).MaxBy(v => v.Version);
            var draft = all.FirstOrDefault(v => v.State == DefinitionState.Draft);
            IReadOnlyList<ElementChange> changes = [];
            if (latest is not null && await versions.GetXmlAsync(row.ProcessId, latest.Version, cancellationToken) is { } latestXml)
            {
                try
                {
                    changes = VersionComparer.Compare(latestXml, row.PendingXml!, row.ProcessId);
                }
                catch (Engine.Parsing.BpmnParseException ex)
                {
                    LogCompareFailed(ex, row.ProcessId);
                }
            }

            result.Add(new PendingShippedUpdate(
                row.ProcessId, draft?.Name ?? latest?.Name, row.SourceFile, row.PendingSince!.Value, row.PendingAsDraft,
                draft is not null && draft.CreatedBy != ShippedUser, latest?.Version, changes));
        }

        return result;
    }

    /// <summary>Makes the waiting update the process's draft, replacing the draft there (the administrator chose to).</summary>
    public async Task LoadAsDraftAsync(string processId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = Create(connection);
        var row = await db.ShippedProcedures.SingleOrDefaultAsync(r => r.ProcessId == processId && r.PendingHash != null, cancellationToken)
            ?? throw new Engine.Runtime.WorkflowNotFoundException("shipped procedure update", processId);
        await versions.SaveDraftAsync(row.PendingXml!, ShippedUser, cancellationToken);
        row.PendingAsDraft = true;
        row.PendingSince = time.GetUtcNow();
        row.UpdatedAt = row.PendingSince.Value;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Takes note of the update without adopting it: the notice goes, the versions stay as they are.</summary>
    public async Task DismissAsync(string processId, string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = Create(connection);
        var row = await db.ShippedProcedures.SingleOrDefaultAsync(r => r.ProcessId == processId && r.PendingHash != null, cancellationToken)
            ?? throw new Engine.Runtime.WorkflowNotFoundException("shipped procedure update", processId);
        row.TakenHash = row.PendingHash!;
        ClearPending(row);
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        LogDismissed(processId, userId);
    }

    /// <summary>
    /// Settled: a version carries exactly the update, or (when it was the draft) a version was published from it since.
    /// </summary>
    private async Task<bool> SettleAsync(ShippedProcedureEntity row, IReadOnlyList<ProcessVersionInfo> all, CancellationToken cancellationToken)
    {
        var settled = row.PendingAsDraft && all.Any(v => v.Version is not null && v.PublishedAt >= row.PendingSince);
        if (!settled)
        {
            foreach (var version in all.Where(v => v.Version is not null && v.PublishedAt >= row.PendingSince))
            {
                if (await versions.GetXmlAsync(row.ProcessId, version.Version, cancellationToken) is { } xml && Hash(xml) == row.PendingHash)
                {
                    settled = true;
                    break;
                }
            }
        }

        if (!settled)
        {
            return false;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = Create(connection);
        var tracked = await db.ShippedProcedures.SingleAsync(r => r.ProcessId == row.ProcessId, cancellationToken);
        tracked.TakenHash = tracked.PendingHash ?? tracked.TakenHash;
        ClearPending(tracked);
        tracked.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static void ClearPending(ShippedProcedureEntity row)
    {
        row.PendingHash = null;
        row.PendingXml = null;
        row.PendingSince = null;
        row.PendingAsDraft = false;
    }

    private PlatformWorkflowDbContext Create(System.Data.Common.DbConnection connection) =>
        new(database.CreateOptions<PlatformWorkflowDbContext>(connection));

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shipped procedure {ProcessId} ({File}) changed in this release: it waits for an administrator's review (saved as the draft: {AsDraft}); running projects keep their version")]
    private partial void LogPending(string processId, string file, bool asDraft);

    [LoggerMessage(Level = LogLevel.Information, Message = "The shipped update of {ProcessId} was dismissed by {UserId}")]
    private partial void LogDismissed(string processId, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not compare the shipped update of {ProcessId} with its newest version")]
    private partial void LogCompareFailed(Exception exception, string processId);
}

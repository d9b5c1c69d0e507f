namespace Trading.Workflow.Domain.Trail;

/// <summary>
/// One trade action to record (全程留痕). <see cref="Action"/> is <c>&lt;area&gt;.&lt;subject&gt;.&lt;verb&gt;</c>, e.g.
/// <c>market.entity.approved</c>; <see cref="Data"/> is serialised to JSON and should carry the ids a reader (or a
/// notification rule) finds the parties from: entity, project, section. A record about a project names it as its
/// subject or by a top-level <c>projectId</c> in its data: that is how it is kept under the project's key
/// (<see cref="AuditProject"/>) and found by the project's filter and archive.
/// </summary>
public sealed record AuditRecord(string Actor, Guid? CentreId, string SubjectType, string SubjectId, string Action, object? Data = null);

/// <summary>The append-only, hash-chained trail of trade actions.</summary>
public interface IAuditTrail
{
    /// <summary>
    /// Adds the record, chained to the last one, to <paramref name="db"/>; it is written by the caller's SaveChanges in
    /// the caller's transaction, so the action and its record commit together or not at all.
    /// </summary>
    Task<AuditEntry> AppendAsync(Persistence.TradingDbContext db, AuditRecord record, CancellationToken cancellationToken = default);
}

using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Trail;

/// <summary>What supervisors filter the trail by; every part optional. <see cref="Action"/> matches a prefix (e.g. <c>documents.</c>).</summary>
public sealed record AuditLogFilter(string? Action = null, string? Actor = null, string? SubjectId = null, Guid? CentreId = null);

public sealed record AuditLogPage(IReadOnlyList<AuditEntry> Items, int Total);

/// <summary>Reading the trail, newest first, a page at a time (the count is capped so a long trail stays fast).</summary>
public sealed class AuditLog(ITradingDatabase database)
{
    public const int CountCap = 10_000;

    public async Task<AuditLogPage> QueryAsync(AuditLogFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = database.Create();
        var rows = db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var prefix = filter.Action.Trim();
            rows = rows.Where(e => e.Action.StartsWith(prefix));
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim();
            rows = rows.Where(e => e.Actor == actor);
        }

        if (!string.IsNullOrWhiteSpace(filter.SubjectId))
        {
            var subject = filter.SubjectId.Trim();
            rows = rows.Where(e => e.SubjectId == subject);
        }

        if (filter.CentreId is { } centre)
        {
            rows = rows.Where(e => e.CentreId == centre);
        }

        var total = await rows.Take(CountCap + 1).CountAsync(cancellationToken);
        var items = await rows.OrderByDescending(e => e.Sequence).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);
        return new AuditLogPage(items, total);
    }
}

using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Domain.Trail;

/// <summary>
/// What supervisors filter the trail by; every part optional. <see cref="Action"/> matches a prefix (e.g. <c>documents.</c>);
/// <see cref="Project"/> is a project's code or id and keeps the records about it (its notices, sections, deposits,
/// documents, bids, opening, evaluation, award, complaints, archive), found by the project's key.
/// </summary>
public sealed record AuditLogFilter(string? Action = null, string? Actor = null, string? SubjectId = null, Guid? CentreId = null, string? Project = null);

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
        if (!string.IsNullOrWhiteSpace(filter.Project))
        {
            if (await ProjectIdAsync(db, filter.Project.Trim(), cancellationToken) is not { } projectId)
            {
                return new AuditLogPage([], 0);
            }

            rows = db.Set<AuditProject>().Where(p => p.ProjectId == projectId).Join(rows, p => p.Sequence, e => e.Sequence, (_, e) => e);
        }

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

    // A project's id, or its code (codes are unique); an id is taken as given, so the records of a project whose row is
    // gone are still found.
    private static async Task<Guid?> ProjectIdAsync(TradingDbContext db, string project, CancellationToken cancellationToken) =>
        Guid.TryParse(project, out var id)
            ? id
            : await db.Set<Project>().AsNoTracking().Where(p => p.Code == project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
}

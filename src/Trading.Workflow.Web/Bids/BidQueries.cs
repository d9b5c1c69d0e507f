using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids;

namespace Trading.Workflow.Web.Bids;

/// <summary>One section an entity takes part in, as the bid pages list it.</summary>
public sealed record BidRow(
    Guid SectionId, Guid ProjectId, string SectionCode, string SectionSubject, string ProjectName, Guid EntityId, string EntityName,
    ParticipationState ParticipationState, DateTimeOffset? Deadline, SealedBidState? State, int? Version,
    ParticipationOrigin Origin = ParticipationOrigin.DocumentsDownloaded);

/// <summary>What the bid pages read: the entities' participations with their section, deadline and the latest bid version (virtual for component tests).</summary>
public class BidQueries(ITradingDatabase database)
{
    public virtual async Task<IReadOnlyList<BidRow>> RowsAsync(IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken = default)
    {
        if (entityIds.Count == 0)
        {
            return [];
        }

        await using var db = database.Create();
        var participations = await db.Set<Participation>().AsNoTracking().Where(p => entityIds.Contains(p.EntityId)).ToListAsync(cancellationToken);
        var sectionIds = participations.Select(p => p.SectionId).Distinct().ToList();
        var sections = await db.Set<Section>().AsNoTracking().Where(s => sectionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var projectIds = sections.Values.Select(s => s.ProjectId).Distinct().ToList();
        var projects = await db.Set<Project>().AsNoTracking().Where(p => projectIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var windows = await db.Set<SealedBidWindow>().AsNoTracking().Where(w => sectionIds.Contains(w.SectionId)).ToDictionaryAsync(w => w.SectionId, w => w.Deadline, cancellationToken);
        var participationIds = participations.Select(p => p.Id).ToList();
        var bids = await db.Set<SealedBid>().AsNoTracking().Where(b => participationIds.Contains(b.ParticipationId))
            .Select(b => new { b.ParticipationId, b.Version, b.State }).ToListAsync(cancellationToken);
        return [.. participations
            .Where(p => sections.ContainsKey(p.SectionId))
            .Select(p =>
            {
                var section = sections[p.SectionId];
                var latest = bids.Where(b => b.ParticipationId == p.Id).OrderByDescending(b => b.Version).FirstOrDefault();
                return new BidRow(p.SectionId, p.ProjectId, section.Code, section.Subject, projects.GetValueOrDefault(section.ProjectId, string.Empty), p.EntityId, p.EntityName,
                    p.State, windows.TryGetValue(p.SectionId, out var d) ? d : null, latest?.State, latest?.Version, p.Origin);
            })
            .OrderBy(r => r.Deadline ?? DateTimeOffset.MaxValue).ThenBy(r => r.SectionCode)];
    }
}

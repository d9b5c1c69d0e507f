using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Participations;

/// <summary>
/// Who takes part in which section. Every method works in the caller's context and transaction (a page's own
/// transaction or the engine command's, via <see cref="ITradingDatabase.For"/>), appends its trail record there
/// (the caller's transaction is required: the trail is appended in it)
/// (<c>participations.participation.started|withdrawn|disqualified</c>, data <c>{ participationId, projectId,
/// sectionId, entityId }</c>) and saves.
/// </summary>
public sealed class ParticipationService(ITradingDatabase database, IParticipationEligibility eligibility, IAuditTrail trail, TimeProvider time)
{
    /// <summary><see cref="EnsureAsync(TradingDbContext, Guid, Guid, ParticipationOrigin, string, CancellationToken)"/> in a transaction of its own.</summary>
    public async Task<Participation> EnsureAsync(Guid sectionId, Guid entityId, ParticipationOrigin origin, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var participation = await EnsureAsync(db, sectionId, entityId, origin, actor, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return participation;
    }

    /// <summary>
    /// The entity's participation in the section, started now when it has none (idempotent: an existing one, in any
    /// state, is returned unchanged). A new one needs an eligible entity (verified, see <see cref="IParticipationEligibility"/>);
    /// otherwise <see cref="ParticipationRules.NotEligible"/> names the entity's problems.
    /// </summary>
    public async Task<Participation> EnsureAsync(
        TradingDbContext db, Guid sectionId, Guid entityId, ParticipationOrigin origin, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var existing = await FindAsync(db, sectionId, entityId, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var section = await db.Set<Section>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == sectionId, cancellationToken)
            ?? throw new DomainRuleException(ParticipationRules.SectionUnknown, $"No section {sectionId}.");
        var centreId = await db.Set<Project>().Where(p => p.Id == section.ProjectId).Select(p => p.CentreId).FirstAsync(cancellationToken);
        var now = time.GetUtcNow();
        var check = await eligibility.CheckAsync(entityId, Array.Empty<string>(), now, cancellationToken);
        if (!check.IsEligible)
        {
            throw new DomainRuleException(ParticipationRules.NotEligible,
                $"The entity {entityId} may not take part: {string.Join("; ", check.Problems.Select(p => p.RuleCode + " " + p.Message))}");
        }

        var name = await db.Set<MarketEntity>().Where(e => e.Id == entityId).Select(e => e.Name).FirstAsync(cancellationToken);
        var participation = new Participation(Guid.NewGuid(), sectionId, section.ProjectId, entityId, name, origin, now, actor);
        db.Add(participation);
        await trail.AppendAsync(db, Record(actor, centreId, participation, "participations.participation.started", new
        {
            participationId = participation.Id,
            projectId = participation.ProjectId,
            sectionId,
            entityId,
            entityName = name,
            origin = origin.ToString(),
        }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return participation;
    }

    public Task<Participation?> FindAsync(TradingDbContext db, Guid sectionId, Guid entityId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<Participation>().FirstOrDefaultAsync(p => p.SectionId == sectionId && p.EntityId == entityId, cancellationToken);
    }

    public Task<Participation?> FindAsync(TradingDbContext db, Guid participationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<Participation>().FirstOrDefaultAsync(p => p.Id == participationId, cancellationToken);
    }

    /// <summary>Every participation in the section (any state), oldest first.</summary>
    public async Task<IReadOnlyList<Participation>> ListForSectionAsync(TradingDbContext db, Guid sectionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Set<Participation>().AsNoTracking().Where(p => p.SectionId == sectionId).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)];
    }

    /// <summary>Every participation of the entity (any state), newest first.</summary>
    public async Task<IReadOnlyList<Participation>> ListForEntityAsync(TradingDbContext db, Guid entityId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Set<Participation>().AsNoTracking().Where(p => p.EntityId == entityId).ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id)];
    }

    /// <summary>The entity stops taking part (its own decision).</summary>
    public Task<Participation> WithdrawAsync(TradingDbContext db, Guid participationId, string actor, string? reason, CancellationToken cancellationToken = default) =>
        EndAsync(db, participationId, ParticipationState.Withdrawn, actor, reason, "participations.participation.withdrawn", cancellationToken);

    /// <summary>The entity is excluded (by the procedure or staff), with the reason.</summary>
    public Task<Participation> DisqualifyAsync(TradingDbContext db, Guid participationId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return EndAsync(db, participationId, ParticipationState.Disqualified, actor, reason, "participations.participation.disqualified", cancellationToken);
    }

    private async Task<Participation> EndAsync(
        TradingDbContext db, Guid participationId, ParticipationState state, string actor, string? reason, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var participation = await FindAsync(db, participationId, cancellationToken)
            ?? throw new DomainRuleException(ParticipationRules.NotFound, $"No participation {participationId}.");
        participation.End(state, time.GetUtcNow(), actor, reason);
        var centreId = await db.Set<Project>().Where(p => p.Id == participation.ProjectId).Select(p => (Guid?)p.CentreId).FirstOrDefaultAsync(cancellationToken);
        await trail.AppendAsync(db, Record(actor, centreId, participation, action, new
        {
            participationId = participation.Id,
            projectId = participation.ProjectId,
            sectionId = participation.SectionId,
            entityId = participation.EntityId,
            reason,
        }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return participation;
    }

    private static AuditRecord Record(string actor, Guid? centreId, Participation participation, string action, object data) =>
        new(actor, centreId, "participation", participation.Id.ToString(), action, data);
}

using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Access;

/// <summary>
/// The API later slices call when a project gains a party: an entity registers for a section (participation), an
/// expert is drawn. Each addition is idempotent and recorded in the trail (<c>access.participant.added</c>,
/// <c>access.expert.drawn</c>) in the same transaction.
/// </summary>
public interface IProjectParticipants
{
    /// <summary>
    /// Adds the entity as a participant of the project (of <paramref name="sectionId"/>, or the whole project) in the
    /// caller's context and transaction (<see cref="ITradingDatabase.For"/> in a handler); the caller saves. False when
    /// it takes part already.
    /// </summary>
    Task<bool> AddParticipantAsync(TradingDbContext db, Guid projectId, Guid entityId, Guid? sectionId, string actor, CancellationToken cancellationToken = default);

    /// <summary>As the other overload, in a transaction of its own.</summary>
    Task<bool> AddParticipantAsync(Guid projectId, Guid entityId, Guid? sectionId, string actor, CancellationToken cancellationToken = default);

    /// <summary>Records an expert (user name) drawn for the project in the caller's context and transaction; the caller saves. False when drawn already.</summary>
    Task<bool> AddExpertAsync(TradingDbContext db, Guid projectId, string expertUserId, Guid? sectionId, string actor, CancellationToken cancellationToken = default);

    /// <summary>As the other overload, in a transaction of its own.</summary>
    Task<bool> AddExpertAsync(Guid projectId, string expertUserId, Guid? sectionId, string actor, CancellationToken cancellationToken = default);
}

/// <summary>The access module's party tables: <see cref="IProjectParticipants"/> writes them, <see cref="IProjectPartyRegister"/> reads them.</summary>
public sealed class ProjectPartyStore(ITradingDatabase database, IProjectDirectory projects, IAuditTrail trail, TimeProvider time)
    : IProjectParticipants, IProjectPartyRegister
{
    public const string ProjectUnknown = "Access.ProjectUnknown";

    public async Task<bool> AddParticipantAsync(
        TradingDbContext db, Guid projectId, Guid entityId, Guid? sectionId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var project = await RequireProjectAsync(projectId, cancellationToken);
        if (await db.Set<ProjectParticipant>().AnyAsync(p => p.ProjectId == projectId && p.EntityId == entityId && p.SectionId == sectionId, cancellationToken))
        {
            return false;
        }

        db.Add(ProjectParticipant.Create(projectId, entityId, sectionId, actor, time.GetUtcNow()));
        await trail.AppendAsync(
            db, new AuditRecord(actor, project.CentreId, "project", projectId.ToString(), "access.participant.added", new { projectId, project.Code, entityId, sectionId }),
            cancellationToken);
        return true;
    }

    public async Task<bool> AddParticipantAsync(Guid projectId, Guid entityId, Guid? sectionId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var added = await AddParticipantAsync(db, projectId, entityId, sectionId, actor, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<bool> AddExpertAsync(
        TradingDbContext db, Guid projectId, string expertUserId, Guid? sectionId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(expertUserId);
        var project = await RequireProjectAsync(projectId, cancellationToken);
        var user = expertUserId.Trim();
        if (await db.Set<ProjectExpert>().AnyAsync(p => p.ProjectId == projectId && p.UserId == user && p.SectionId == sectionId, cancellationToken))
        {
            return false;
        }

        db.Add(ProjectExpert.Create(projectId, user, sectionId, actor, time.GetUtcNow()));
        // The expert's name stays out of the record's data: draws are confidential until the result is final.
        await trail.AppendAsync(
            db, new AuditRecord(actor, project.CentreId, "project", projectId.ToString(), "access.expert.drawn", new { projectId, project.Code, sectionId }),
            cancellationToken);
        return true;
    }

    public async Task<bool> AddExpertAsync(Guid projectId, string expertUserId, Guid? sectionId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var added = await AddExpertAsync(db, projectId, expertUserId, sectionId, actor, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<IReadOnlyCollection<Guid>> ParticipantsOfAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<ProjectParticipant>().AsNoTracking().Where(p => p.ProjectId == projectId).Select(p => p.EntityId).Distinct().ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyCollection<string>> ExpertsOfAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<ProjectExpert>().AsNoTracking().Where(p => p.ProjectId == projectId).Select(p => p.UserId).Distinct().ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyCollection<Guid>> ProjectsOfParticipantsAsync(IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken = default)
    {
        if (entityIds.Count == 0)
        {
            return [];
        }

        var ids = entityIds.ToList();
        await using var db = database.Create();
        return await db.Set<ProjectParticipant>().AsNoTracking().Where(p => ids.Contains(p.EntityId)).Select(p => p.ProjectId).Distinct().ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyCollection<Guid>> ProjectsOfExpertAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<ProjectExpert>().AsNoTracking().Where(p => p.UserId == userId).Select(p => p.ProjectId).Distinct().ToListAsync(cancellationToken);
    }

    private async Task<ProjectRef> RequireProjectAsync(Guid projectId, CancellationToken cancellationToken) =>
        await projects.FindByIdAsync(projectId, cancellationToken)
        ?? throw new DomainRuleException(ProjectUnknown, $"Project {projectId} does not exist.");
}

namespace Trading.Workflow.Domain.Access;

/// <summary>A project as the access rules need it: where it is traded and who owns it.</summary>
public sealed record ProjectRef(Guid Id, string Code, Guid CentreId, Guid OwnerEntityId, Guid? AgencyEntityId);

/// <summary>Which projects to list: those of any of these centres, owned by or run through any of these entities, or with these ids.</summary>
public sealed record ProjectSelection(IReadOnlyCollection<Guid> CentreIds, IReadOnlyCollection<Guid> OwnerOrAgencyEntityIds, IReadOnlyCollection<Guid> ProjectIds)
{
    public bool IsEmpty => CentreIds.Count == 0 && OwnerOrAgencyEntityIds.Count == 0 && ProjectIds.Count == 0;
}

/// <summary>What the access rules read of projects (the projects module's tr_projects).</summary>
public interface IProjectDirectory
{
    /// <summary>The project with this code; null when the code names no project (an instance started without one).</summary>
    Task<ProjectRef?> FindByCodeAsync(string code, CancellationToken cancellationToken = default);

    Task<ProjectRef?> FindByIdAsync(Guid projectId, CancellationToken cancellationToken = default);

    /// <summary>The codes of the projects the selection names.</summary>
    Task<IReadOnlyList<string>> CodesAsync(ProjectSelection selection, CancellationToken cancellationToken = default);
}

/// <summary>What the access rules read of the centre hierarchy (the web's trading centres); accounts come from <see cref="Accounts.IUserDirectory"/>.</summary>
public interface IPlatformDirectory
{
    /// <summary>The centres above <paramref name="centreId"/>, nearest first; empty for a province or an unknown centre.</summary>
    Task<IReadOnlyList<Guid>> ParentsOfAsync(Guid centreId, CancellationToken cancellationToken = default);

    /// <summary><paramref name="centreId"/> and every centre below it.</summary>
    Task<IReadOnlyList<Guid>> WithDescendantsAsync(Guid centreId, CancellationToken cancellationToken = default);
}

/// <summary>Which market entities an account acts for (the market module's memberships).</summary>
public interface IActingEntities
{
    /// <summary>The ids of the entities the account (its Identity id) acts for; empty when none.</summary>
    Task<IReadOnlyCollection<Guid>> EntitiesOfAsync(string accountId, CancellationToken cancellationToken = default);
}

/// <summary>The parties a project gains as it runs (the access module's own tables): entities taking part, experts drawn.</summary>
public interface IProjectPartyRegister
{
    Task<IReadOnlyCollection<Guid>> ParticipantsOfAsync(Guid projectId, CancellationToken cancellationToken = default);

    Task<IReadOnlyCollection<string>> ExpertsOfAsync(Guid projectId, CancellationToken cancellationToken = default);

    /// <summary>The projects any of these entities takes part in.</summary>
    Task<IReadOnlyCollection<Guid>> ProjectsOfParticipantsAsync(IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken = default);

    /// <summary>The projects the expert (a user name) was drawn for.</summary>
    Task<IReadOnlyCollection<Guid>> ProjectsOfExpertAsync(string userId, CancellationToken cancellationToken = default);
}

using Trading.Workflow.Domain.Market;

namespace Trading.Workflow.Web.Tests.Components;

/// <summary>
/// Entity membership for page tests: one user (<paramref name="userId"/>) acts for one verified organisation, nobody
/// else for anything (the market part is not under test there).
/// </summary>
internal sealed class OneEntityMembership(Guid entity, string name, string userId = "user-1") : IEntityMembership
{
    public Task<IReadOnlyList<EntityMembershipInfo>> EntitiesOfAsync(string user, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<EntityMembershipInfo>>(user == userId
            ? [new EntityMembershipInfo(entity, name, "91350100M000100Y43", EntityKind.Organisation, true, true)]
            : []);

    public Task<bool> IsMemberAsync(Guid entityId, string user, CancellationToken cancellationToken = default) => Task.FromResult(entityId == entity && user == userId);

    public Task<bool> IsAdministratorAsync(Guid entityId, string user, CancellationToken cancellationToken = default) => IsMemberAsync(entityId, user, cancellationToken);

    public Task<IReadOnlyList<string>> MembersOfAsync(Guid entityId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(entityId == entity ? [userId] : []);
}

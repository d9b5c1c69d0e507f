namespace Trading.Workflow.Domain.Projects;

/// <summary>
/// The market entities a project can name, as the market part knows them: the verified entities a user acts for
/// (as their owner or agency), and any verified organisation (the owner an agency acts for). Names come from here,
/// never from what a page posts.
/// </summary>
public interface IProjectParties
{
    /// <summary>The verified entities the user acts for (is a member of); <paramref name="identityUserId"/> is the account's id.</summary>
    Task<IReadOnlyList<PartyRef>> ActingForAsync(string identityUserId, CancellationToken cancellationToken = default);

    /// <summary>A verified organisation by id, or null when it does not exist or is not verified.</summary>
    Task<PartyRef?> FindVerifiedAsync(Guid entityId, CancellationToken cancellationToken = default);

    /// <summary>Verified organisations whose name or credit code contains the text, at most <paramref name="take"/>.</summary>
    Task<IReadOnlyList<PartyRef>> SearchVerifiedAsync(string text, int take, CancellationToken cancellationToken = default);
}

namespace Trading.Workflow.Domain.Experts;

/// <summary>One member of a confirmed evaluation committee (评标委员会).</summary>
public sealed record CommitteeMember(Guid ExpertId, string UserName, string DisplayName, bool IsTendereeRepresentative);

/// <summary>A project's committee once every drawn expert has confirmed (names are sealed until then).</summary>
public sealed record EvaluationCommittee(Guid Id, Guid ProjectId, IReadOnlyList<CommitteeMember> Members);

/// <summary>
/// What the evaluation part needs of the expert pool: the confirmed committee of a project and the replacement of a
/// member (条例 48: a replaced member's work is redone). Implemented by the experts part.
/// </summary>
public interface IEvaluationCommittees
{
    Task<EvaluationCommittee?> GetConfirmedCommitteeAsync(Guid projectId, CancellationToken cancellationToken = default);

    /// <summary>Draws a replacement for <paramref name="expertId"/> with the same avoidance rules; the new member
    /// must still confirm. Returns the committee as it stands after the replacement was requested.</summary>
    Task<EvaluationCommittee> ReplaceMemberAsync(
        Guid committeeId, Guid expertId, string reason, string requestedBy, CancellationToken cancellationToken = default);
}

namespace Trading.Workflow.Domain.Experts;

/// <summary>How many experts of one specialty (any node of <see cref="Specialties"/>) a committee needs.</summary>
public sealed record SpecialtyCount(string Specialty, int Count);

/// <summary>A tenderee representative (招标人代表): one of the tenderee's own people, named by the tenderee, not drawn.</summary>
public sealed record TendereeRepresentative(Guid Id, string UserName, string DisplayName);

/// <summary>What the tenderee asks for: experts by specialty, its representatives, and when the evaluation starts.</summary>
public sealed record CommitteeRequest(
    Guid ProjectId, IReadOnlyList<SpecialtyCount> Specialties, IReadOnlyList<string> RepresentativeUserNames, DateTimeOffset EvaluationStartsAt);

public enum CommitteeState
{
    /// <summary>Invitations are out; not every seat is confirmed.</summary>
    Drawing,

    /// <summary>Every seat confirmed (the evaluation may start).</summary>
    Confirmed,

    /// <summary>A seat could not be filled: the pool has no eligible expert left for its specialty.</summary>
    Short,
}

public enum InvitationState
{
    Invited,
    Confirmed,
    Declined,
    TimedOut,

    /// <summary>The member was replaced (条例 48) after confirming; the member's work is void.</summary>
    Replaced,
}

/// <summary>Why the draw passed over an expert (回避 and availability).</summary>
public enum ExclusionReason
{
    Suspended,
    Removed,
    EmployerIsBidder,
    FormerEmployerIsBidder,
    RelationshipWithBidder,
    TendereeStaff,
    SupervisingDepartmentStaff,
    RecentlyEvaluatedForTenderee,
    AlreadyInvited,

    /// <summary>A sanction in force bars the expert (<c>Domain/Credit</c>); the detail is the bar's last day.</summary>
    CreditBarred,
}

/// <summary>One expert the draw passed over, with every reason that applied and what it matched.</summary>
public sealed record DrawExclusion(Guid ExpertId, string DisplayName, IReadOnlyList<ExclusionReason> Reasons, string Detail);

/// <summary>Why a draw round ran.</summary>
public enum DrawCause
{
    Initial,
    Declined,
    TimedOut,
    Replacement,
    Retry,
}

/// <summary>
/// One draw (抽取记录) for one specialty: the candidates (every expert of the specialty), those passed over with their
/// reasons, and the experts drawn in the order the generator drew them. Kept for ever; supervisors read it whole.
/// </summary>
public sealed record DrawRound(
    Guid Id, int Number, DateTimeOffset At, string By, DrawCause Cause, string Specialty, int Wanted,
    IReadOnlyList<Guid> Candidates, IReadOnlyList<DrawExclusion> Excluded, IReadOnlyList<Guid> Drawn, string Generator);

/// <summary>One drawn expert's seat and its answer.</summary>
public sealed class CommitteeInvitation
{
    public CommitteeInvitation(Guid id, Guid committeeId, Guid expertId, string userName, string displayName, string specialty, int round, int order, DateTimeOffset invitedAt, DateTimeOffset respondBy)
    {
        Id = id;
        CommitteeId = committeeId;
        ExpertId = expertId;
        UserName = userName;
        DisplayName = displayName;
        Specialty = specialty;
        Round = round;
        Order = order;
        InvitedAt = invitedAt;
        RespondBy = respondBy;
        State = InvitationState.Invited;
    }

    private CommitteeInvitation()
    {
        UserName = DisplayName = Specialty = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid CommitteeId { get; private set; }

    public Guid ExpertId { get; private set; }

    public string UserName { get; private set; }

    public string DisplayName { get; private set; }

    /// <summary>The requested specialty node this seat fills.</summary>
    public string Specialty { get; private set; }

    /// <summary>The draw round that drew it and its position in that round's order.</summary>
    public int Round { get; private set; }

    public int Order { get; private set; }

    public DateTimeOffset InvitedAt { get; private set; }

    public DateTimeOffset RespondBy { get; private set; }

    public InvitationState State { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>Still holds (or may still hold) a seat: invited or confirmed.</summary>
    public bool HoldsSeat => State is InvitationState.Invited or InvitationState.Confirmed;

    internal void Answer(InvitationState state, DateTimeOffset at, string? reason)
    {
        if (state is InvitationState.Replaced ? State != InvitationState.Confirmed && State != InvitationState.Invited : State != InvitationState.Invited)
        {
            throw new DomainRuleException(ExpertRules.InvitationNotOpen, $"Invitation {Id} is {State}.");
        }

        State = state;
        AnsweredAt = at;
        Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
    }
}

/// <summary>
/// 评标委员会: a project's committee as drawn (tr_expert_committees), its draw rounds, its seats (invitations) and the
/// tenderee's representatives. Every change moves <see cref="Version"/>, so two nodes answering or redrawing at once
/// cannot both commit.
/// </summary>
public sealed class ExpertCommittee
{
    private readonly List<CommitteeInvitation> _invitations = [];

    public ExpertCommittee(
        Guid id, Guid projectId, string projectCode, string projectName, Guid centreId, Guid ownerEntityId, string ownerName,
        IReadOnlyList<SpecialtyCount> specialties, IReadOnlyList<TendereeRepresentative> representatives,
        DateTimeOffset evaluationStartsAt, DateTimeOffset unsealAt, DateTimeOffset at, string by)
    {
        Id = id;
        ProjectId = projectId;
        ProjectCode = projectCode;
        ProjectName = projectName;
        CentreId = centreId;
        OwnerEntityId = ownerEntityId;
        OwnerName = ownerName;
        Specialties = specialties;
        Representatives = representatives;
        EvaluationStartsAt = evaluationStartsAt;
        UnsealAt = unsealAt;
        RequestedAt = at;
        RequestedBy = by;
        State = CommitteeState.Drawing;
        Rounds = [];
    }

    private ExpertCommittee()
    {
        ProjectCode = ProjectName = OwnerName = RequestedBy = string.Empty;
        Specialties = [];
        Representatives = [];
        Rounds = [];
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public string ProjectCode { get; private set; }

    public string ProjectName { get; private set; }

    public Guid CentreId { get; private set; }

    public Guid OwnerEntityId { get; private set; }

    public string OwnerName { get; private set; }

    public IReadOnlyList<SpecialtyCount> Specialties { get; private set; }

    public IReadOnlyList<TendereeRepresentative> Representatives { get; private set; }

    public DateTimeOffset EvaluationStartsAt { get; private set; }

    /// <summary>Before this instant the members' names are sealed from everybody but supervisors.</summary>
    public DateTimeOffset UnsealAt { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    public string RequestedBy { get; private set; }

    public CommitteeState State { get; private set; }

    /// <summary>When every seat was first confirmed.</summary>
    public DateTimeOffset? ConfirmedAt { get; private set; }

    /// <summary>When the procedure took <c>experts.committee-confirmed</c> (null while it is still to be told).</summary>
    public DateTimeOffset? ProcedureToldAt { get; private set; }

    public IReadOnlyList<DrawRound> Rounds { get; private set; }

    public IReadOnlyList<CommitteeInvitation> Invitations => _invitations;

    public int Version { get; private set; }

    public int ExpertSeats => Specialties.Sum(s => s.Count);

    public int Size => ExpertSeats + Representatives.Count;

    public bool NamesSealedAt(DateTimeOffset now) => now < UnsealAt;

    internal void AddRound(DrawRound round, IEnumerable<CommitteeInvitation> invitations)
    {
        Rounds = [.. Rounds, round];
        // The context may already have put them here (navigation fix-up when they were added to it).
        _invitations.AddRange(invitations.Where(i => !_invitations.Contains(i)).ToList());
        Settle();
    }

    internal void Settle()
    {
        var confirmed = Specialties.All(s => _invitations.Count(i => i.Specialty == s.Specialty && i.State == InvitationState.Confirmed) == s.Count);
        var seatsHeld = Specialties.All(s => _invitations.Count(i => i.Specialty == s.Specialty && i.HoldsSeat) == s.Count);
        State = confirmed ? CommitteeState.Confirmed : seatsHeld ? CommitteeState.Drawing : CommitteeState.Short;
        Version++;
    }

    internal void Confirmed(DateTimeOffset at)
    {
        ConfirmedAt ??= at;
        ProcedureToldAt = null;
    }

    internal void ProcedureTold(DateTimeOffset at)
    {
        ProcedureToldAt = at;
        Version++;
    }

    /// <summary>The members once confirmed: the confirmed experts, then the representatives.</summary>
    public IReadOnlyList<CommitteeMember> Members() =>
        [.. _invitations.Where(i => i.State == InvitationState.Confirmed).OrderBy(i => i.Round).ThenBy(i => i.Order)
            .Select(i => new CommitteeMember(i.ExpertId, i.UserName, i.DisplayName, false)),
         .. Representatives.Select(r => new CommitteeMember(r.Id, r.UserName, r.DisplayName, true))];
}

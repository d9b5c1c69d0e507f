namespace Trading.Workflow.Domain.Participations;

/// <summary>How an entity came to take part in a section.</summary>
public enum ParticipationOrigin
{
    /// <summary>It downloaded the section's tender documents (open tender).</summary>
    DocumentsDownloaded,

    /// <summary>It was invited (invited tender).</summary>
    Invited,

    /// <summary>It applied (prequalification, registration for a listing or auction).</summary>
    Applied,
}

public enum ParticipationState
{
    Active,
    Withdrawn,
    Disqualified,
}

/// <summary>
/// 参与: one market entity taking part in one section (tr_participations), whatever the trade type. Bids, deposits and
/// the opening hang off it. One per (section, entity).
/// </summary>
public sealed class Participation
{
    public Participation(Guid id, Guid sectionId, Guid projectId, Guid entityId, string entityName, ParticipationOrigin origin, DateTimeOffset createdAt, string createdBy)
    {
        Id = id;
        SectionId = sectionId;
        ProjectId = projectId;
        EntityId = entityId;
        EntityName = entityName;
        Origin = origin;
        State = ParticipationState.Active;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    private Participation()
    {
        EntityName = CreatedBy = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid SectionId { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid EntityId { get; private set; }

    /// <summary>The entity's verified name when it started taking part.</summary>
    public string EntityName { get; private set; }

    public ParticipationOrigin Origin { get; private set; }

    public ParticipationState State { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    /// <summary>When it stopped being active, and why (withdrawal or disqualification).</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    public string? EndedBy { get; private set; }

    public string? EndReason { get; private set; }

    public bool IsActive => State == ParticipationState.Active;

    internal void End(ParticipationState state, DateTimeOffset at, string by, string? reason)
    {
        if (State != ParticipationState.Active)
        {
            throw new DomainRuleException(ParticipationRules.NotActive, $"The participation {Id} is {State}, not active.");
        }

        State = state;
        EndedAt = at;
        EndedBy = by;
        EndReason = reason;
    }
}

/// <summary>Rule codes of participations; the web maps each to a message in Chinese and English.</summary>
public static class ParticipationRules
{
    public const string SectionUnknown = "Participation.SectionUnknown";
    public const string NotEligible = "Participation.NotEligible";
    public const string NotActive = "Participation.NotActive";
    public const string NotFound = "Participation.NotFound";
}

namespace Trading.Workflow.Domain.Access;

/// <summary>An entity taking part in a project (报名/投标/竞买申请), for one section or the whole project. Added by the slice that registers the participation.</summary>
public sealed class ProjectParticipant
{
    private ProjectParticipant()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid EntityId { get; private set; }

    /// <summary>The section it takes part in; null for the whole project.</summary>
    public Guid? SectionId { get; private set; }

    public DateTimeOffset AddedAt { get; private set; }

    public string AddedBy { get; private set; } = string.Empty;

    public static ProjectParticipant Create(Guid projectId, Guid entityId, Guid? sectionId, string addedBy, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(addedBy);
        return new ProjectParticipant
        {
            Id = Guid.CreateVersion7(now),
            ProjectId = projectId,
            EntityId = entityId,
            SectionId = sectionId,
            AddedBy = addedBy,
            AddedAt = now,
        };
    }
}

/// <summary>An expert drawn for a project (or one of its sections): a party of it until the project ends.</summary>
public sealed class ProjectExpert
{
    private ProjectExpert()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    /// <summary>The expert's user name.</summary>
    public string UserId { get; private set; } = string.Empty;

    public Guid? SectionId { get; private set; }

    public DateTimeOffset DrawnAt { get; private set; }

    public string DrawnBy { get; private set; } = string.Empty;

    public static ProjectExpert Create(Guid projectId, string userId, Guid? sectionId, string drawnBy, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(drawnBy);
        return new ProjectExpert
        {
            Id = Guid.CreateVersion7(now),
            ProjectId = projectId,
            UserId = userId.Trim(),
            SectionId = sectionId,
            DrawnBy = drawnBy,
            DrawnAt = now,
        };
    }
}

using Trading.Workflow.Domain.Centres;

namespace Trading.Workflow.Domain.Projects;

/// <summary>A project in a list.</summary>
public sealed record ProjectRow(
    Guid Id, string Code, string Name, string TradeType, string Method, string OwnerName, decimal EstimatedPrice,
    ProjectState State, DateTimeOffset RegisteredAt, Guid? ProcessInstanceId);

public sealed record ProjectFilter
{
    /// <summary>Part of the code or of the name.</summary>
    public string? Search { get; init; }

    public string? TradeType { get; init; }

    public ProjectState? State { get; init; }

    public int Skip { get; init; }

    public int Take { get; init; } = 20;
}

/// <summary>
/// A project of the entities a user acts for, with who registered it: its owner, or an agency on the owner's behalf
/// (<see cref="ProjectService.OfOwnEntitiesAsync"/>).
/// </summary>
public sealed record OwnProjectRow(
    Guid Id, string Code, string Name, string TradeType, string Method, Guid OwnerEntityId, string OwnerName, Guid? AgencyEntityId, string? AgencyName,
    ProjectState State, DateTimeOffset RegisteredAt, DateTimeOffset? SubmittedAt);

public sealed record ProjectPage(IReadOnlyList<ProjectRow> Rows, int Total);

/// <summary>A project as its page shows it, with what the user may do with it.</summary>
public sealed record ProjectView(Project Project, TradingCentre? Centre, bool MayEdit, string? Procedure)
{
    public bool MaySubmit => MayEdit && Project.State == ProjectState.Draft && Procedure is not null;

    /// <summary>Demo data: a project of a demo centre.</summary>
    public bool IsDemo => Centre?.IsDemo == true;

    public string CentreName(bool english) => Centre?.DisplayName(english) ?? Project.CentreId.ToString();
}

/// <summary>
/// What a registration or a draft edit states. Sections keep their id when edited, null for new ones. The agency's
/// letter is named by the SHA-256 the file store gave it; <paramref name="AgencyLetterName"/> is the name it was uploaded
/// under (the registry document of the project takes it; without it the project code names the letter).
/// </summary>
public sealed record ProjectInput(string TradeType, string Method, string Name, Guid OwnerEntityId, Guid? AgencyEntityId,
    string? AgencyLetterSha256, bool StateFunded, string RegionCode, string Industry, IReadOnlyList<SectionEdit> Sections,
    string? SupervisingDepartmentName = null, string? SupervisingDepartmentCreditCode = null, string? AgencyLetterName = null);

/// <summary>The project of a procedure instance, found by its business key (the project code).</summary>
public sealed record ProjectLink(Guid Id, string Code, string Name, Guid CentreId, string TradeType, ProjectState State);

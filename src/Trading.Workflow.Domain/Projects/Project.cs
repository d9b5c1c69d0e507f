using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Projects;

public enum ProjectState
{
    /// <summary>Being prepared by its owner or agency; nothing is public and no procedure runs.</summary>
    Draft,

    /// <summary>Submitted: its procedure runs with the project code as business key.</summary>
    Active,

    Completed,

    /// <summary>Ended without a result (终止).</summary>
    Terminated,
}

/// <summary>
/// A section (标段, 包, 标的): the unit that receives participations, deposits, bids and a result.
/// </summary>
public sealed class Section
{
    private Section()
    {
    }

    public Guid Id { get; private set; }

    public int Number { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public string Subject { get; private set; } = string.Empty;

    /// <summary>Estimated price (招标控制价/预算/起始价) in yuan.</summary>
    public decimal EstimatedPrice { get; private set; }

    /// <summary>The deposit each participant pays, in yuan; zero when none is asked.</summary>
    public decimal DepositAmount { get; private set; }

    internal static Section Create(int number, string projectCode, string subject, decimal estimatedPrice) => new()
    {
        Id = Guid.NewGuid(),
        Number = number,
        Code = ProjectCode.Section(projectCode, number),
        Subject = Project.Text(subject, ProjectRules.NameRequired, "section subject", Project.MaxNameLength),
        EstimatedPrice = Project.Price(estimatedPrice),
    };

    /// <summary>Sets the deposit; <paramref name="capRate"/> is the trade's legal cap as a share of the estimated price.</summary>
    public void SetDeposit(decimal amount, decimal? capRate)
    {
        if (amount < 0)
        {
            throw new DomainRuleException(ProjectRules.DepositNegative, "A deposit cannot be negative.");
        }

        if (capRate is { } rate && amount > decimal.Round(EstimatedPrice * rate, 2, MidpointRounding.ToZero))
        {
            throw new DomainRuleException(ProjectRules.DepositAboveCap,
                $"The deposit of section {Code} may not exceed {rate:P0} of its estimated price ({EstimatedPrice * rate:N2} yuan).");
        }

        DepositAmount = amount;
    }
}

/// <summary>
/// 交易项目: one trade in one centre, of one trade type and method, owned by one market entity (optionally acting
/// through an agency with its authorisation letter), with one or more sections. Its code is assigned at
/// registration; submitting it starts its procedure, and the instance is linked back to it.
/// </summary>
public sealed class Project
{
    public const int MaxNameLength = 200;
    public const decimal MaxPrice = 1_000_000_000_000m; // a trillion yuan: far above any real estimate, far inside decimal

    private readonly List<Section> _sections = [];

    private Project()
    {
    }

    public Guid Id { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public Guid CentreId { get; private set; }

    public string TradeType { get; private set; } = string.Empty;

    /// <summary>The trade method within the type (open-tender, invited-tender, auction, listing, ...).</summary>
    public string Method { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    /// <summary>The market entity that owns the project: tenderee, purchaser, grantor or transferor.</summary>
    public Guid OwnerEntityId { get; private set; }

    public Guid? AgencyEntityId { get; private set; }

    /// <summary>Hash of the stored authorisation letter (委托代理合同/授权书) when an agency acts.</summary>
    public string? AgencyLetterHash { get; private set; }

    /// <summary>State-funded (国有资金占控股或主导地位): the award must go to the first candidate.</summary>
    public bool StateFunded { get; private set; }

    public string RegionCode { get; private set; } = string.Empty;

    public string Industry { get; private set; } = string.Empty;

    public ProjectState State { get; private set; }

    public Guid? ProcessInstanceId { get; private set; }

    public string RegisteredBy { get; private set; } = string.Empty;

    public DateTimeOffset RegisteredAt { get; private set; }

    public DateTimeOffset? SubmittedAt { get; private set; }

    public IReadOnlyList<Section> Sections => _sections;

    /// <summary>The project's estimated price: the sum over its sections.</summary>
    public decimal EstimatedPrice => _sections.Sum(s => s.EstimatedPrice);

    public sealed record SectionDraft(string Subject, decimal EstimatedPrice);

    public static Project Register(
        string code, Guid centreId, string tradeType, string method, string name, Guid ownerEntityId,
        Guid? agencyEntityId, string? agencyLetterHash, bool stateFunded, string regionCode, string industry,
        IReadOnlyList<SectionDraft> sections, string registeredBy, DateTimeOffset now)
    {
        if (!TradeTypes.IsRegistrable(tradeType))
        {
            throw new DomainRuleException(ProjectRules.TradeTypeUnknown, $"'{tradeType}' is not a trade type of the catalog.");
        }

        if (ProjectCode.Parse(code).TradeType != tradeType)
        {
            throw new DomainRuleException(ProjectRules.CodeFormat, $"Project code {code} does not carry trade type {tradeType}.");
        }

        if (agencyEntityId is not null && string.IsNullOrWhiteSpace(agencyLetterHash))
        {
            throw new DomainRuleException(ProjectRules.AgencyLetterRequired, "An agency acting for the owner must upload its authorisation letter.");
        }

        if (sections.Count == 0)
        {
            throw new DomainRuleException(ProjectRules.SectionRequired, "A project has at least one section.");
        }

        if (sections.Count > ProjectCode.MaxSections)
        {
            throw new DomainRuleException(ProjectRules.TooManySections, $"A project has at most {ProjectCode.MaxSections} sections.");
        }

        var project = new Project
        {
            Id = Guid.NewGuid(),
            Code = code,
            CentreId = centreId,
            TradeType = tradeType,
            Method = Text(method, ProjectRules.MethodRequired, "trade method", 64),
            Name = Text(name, ProjectRules.NameRequired, "project name", MaxNameLength),
            OwnerEntityId = ownerEntityId,
            AgencyEntityId = agencyEntityId,
            AgencyLetterHash = agencyEntityId is null ? null : agencyLetterHash,
            StateFunded = stateFunded,
            RegionCode = Text(regionCode, ProjectRules.NameRequired, "region", 12),
            Industry = Text(industry, ProjectRules.NameRequired, "industry", 64),
            State = ProjectState.Draft,
            RegisteredBy = registeredBy,
            RegisteredAt = now,
        };
        for (var i = 0; i < sections.Count; i++)
        {
            project._sections.Add(Section.Create(i + 1, code, sections[i].Subject, sections[i].EstimatedPrice));
        }

        return project;
    }

    public Section SectionById(Guid sectionId) =>
        _sections.SingleOrDefault(s => s.Id == sectionId)
        ?? throw new DomainRuleException(ProjectRules.SectionUnknown, $"Section {sectionId} is not part of project {Code}.");

    /// <summary>Adds a section while the project is a draft.</summary>
    public Section AddSection(string subject, decimal estimatedPrice)
    {
        RequireDraft();
        if (_sections.Count >= ProjectCode.MaxSections)
        {
            throw new DomainRuleException(ProjectRules.TooManySections, $"A project has at most {ProjectCode.MaxSections} sections.");
        }

        var section = Section.Create(_sections.Max(s => s.Number) + 1, Code, subject, estimatedPrice);
        _sections.Add(section);
        return section;
    }

    /// <summary>Submission: the project leaves draft and its procedure is started with <see cref="Code"/> as business key.</summary>
    public void Submit(DateTimeOffset now)
    {
        RequireDraft();
        State = ProjectState.Active;
        SubmittedAt = now;
    }

    /// <summary>Links the procedure instance started for the project, once.</summary>
    public void LinkInstance(Guid instanceId)
    {
        if (ProcessInstanceId is { } existing && existing != instanceId)
        {
            throw new DomainRuleException(ProjectRules.AlreadyLinked, $"Project {Code} already runs as instance {existing}.");
        }

        ProcessInstanceId = instanceId;
    }

    public void Complete() => State = ProjectState.Completed;

    public void Terminate() => State = ProjectState.Terminated;

    private void RequireDraft()
    {
        if (State != ProjectState.Draft)
        {
            throw new DomainRuleException(ProjectRules.NotDraft, $"Project {Code} has been submitted and can no longer be changed this way.");
        }
    }

    internal static string Text(string? value, string rule, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainRuleException(rule, $"The {field} is required.");
        }

        var trimmed = value.Trim();
        return trimmed.Length <= maxLength
            ? trimmed
            : throw new DomainRuleException(ProjectRules.FieldTooLong, $"The {field} is longer than {maxLength} characters.");
    }

    internal static decimal Price(decimal price) => price switch
    {
        <= 0 => throw new DomainRuleException(ProjectRules.PriceNotPositive, "An estimated price must be more than zero."),
        > MaxPrice => throw new DomainRuleException(ProjectRules.PriceTooLarge, $"An estimated price above {MaxPrice:N0} yuan is not plausible."),
        _ => decimal.Round(price, 2),
    };
}

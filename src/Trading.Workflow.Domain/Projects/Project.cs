using System.Text.RegularExpressions;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Projects;

/// <summary>The states of a project. Stored as their number: never renumber.</summary>
public enum ProjectState
{
    /// <summary>Being prepared by its owner or agency; nothing is public and no procedure runs.</summary>
    Draft = 0,

    /// <summary>Submitted: its procedure runs with the project code as business key.</summary>
    Submitted = 1,

    Completed = 2,

    /// <summary>Ended without a result (终止).</summary>
    Terminated = 3,
}

/// <summary>A market entity in a role of the project, with its name as it was when the project named it.</summary>
public sealed record PartyRef(Guid EntityId, string Name);

/// <summary>
/// An administrative department (行政监督部门) named by the project: its name and, when known, its unified social credit
/// code (government bodies carry one too). Not a market entity.
/// </summary>
public sealed record DepartmentRef(string Name, string? CreditCode);

/// <summary>What the owner (or its agency) states about a project, apart from its sections.</summary>
/// <param name="SupervisingDepartment">
/// The department that supervises this project's trade (e.g. the housing and urban-rural development bureau for a building
/// works tender). Optional: the expert draw avoids its staff, and without it every supervising department's staff.
/// </param>
public sealed record ProjectDetails(
    string Method,
    string Name,
    PartyRef Owner,
    PartyRef? Agency,
    string? AgencyLetterSha256,
    bool StateFunded,
    string RegionCode,
    string Industry,
    DepartmentRef? SupervisingDepartment = null);

/// <summary>
/// 交易项目: one trade in one centre, of one trade type and method, owned by one market entity (optionally acting
/// through an agency with its authorisation letter), with one or more sections. Its code is assigned at
/// registration; submitting it starts its procedure, and the instance is linked back to it.
/// </summary>
public sealed partial class Project
{
    public const int MaxNameLength = 200;
    public const int MaxMethodLength = 64;
    public const int MaxIndustryLength = 64;
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

    /// <summary>The owner's name when the project last named it (a snapshot; the entity may be renamed later).</summary>
    public string OwnerName { get; private set; } = string.Empty;

    public Guid? AgencyEntityId { get; private set; }

    public string? AgencyName { get; private set; }

    /// <summary>SHA-256 of the stored authorisation letter (委托代理合同/授权书) when an agency acts.</summary>
    public string? AgencyLetterSha256 { get; private set; }

    /// <summary>State-funded (国有资金占控股或主导地位): the award must go to the first candidate.</summary>
    public bool StateFunded { get; private set; }

    /// <summary>The project's estimated price or budget: the sum over its sections.</summary>
    public decimal EstimatedPrice { get; private set; }

    /// <summary>Administrative division code (GB/T 2260) of the project's location.</summary>
    public string RegionCode { get; private set; } = string.Empty;

    public string Industry { get; private set; } = string.Empty;

    /// <summary>The supervising department's name (行政监督部门), when the project records it.</summary>
    public string? SupervisingDepartmentName { get; private set; }

    /// <summary>The supervising department's unified social credit code, when known.</summary>
    public string? SupervisingDepartmentCreditCode { get; private set; }

    /// <summary>The supervising department, or null when the project records none.</summary>
    public DepartmentRef? SupervisingDepartment =>
        SupervisingDepartmentName is { Length: > 0 } name ? new DepartmentRef(name, SupervisingDepartmentCreditCode) : null;

    public ProjectState State { get; private set; }

    /// <summary>The procedure (process id) started on submission.</summary>
    public string? ProcessId { get; private set; }

    public Guid? ProcessInstanceId { get; private set; }

    public string RegisteredBy { get; private set; } = string.Empty;

    public DateTimeOffset RegisteredAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? SubmittedAt { get; private set; }

    /// <summary>Counts the changes; two edits of one version conflict instead of one silently overwriting the other.</summary>
    public int Revision { get; private set; }

    public IReadOnlyList<Section> Sections => _sections;

    public DepositTerms DepositTerms => DepositTerms.For(TradeType);

    public static Project Register(
        string code, Guid centreId, string tradeType, ProjectDetails details, IReadOnlyList<SectionDraft> sections,
        string registeredBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentException.ThrowIfNullOrWhiteSpace(registeredBy);
        if (!TradeTypes.IsRegistrable(tradeType))
        {
            throw new DomainRuleException(ProjectRules.TradeTypeUnknown, $"'{tradeType}' is not a trade type of the catalog.");
        }

        if (ProjectCode.Parse(code).TradeType != tradeType)
        {
            throw new DomainRuleException(ProjectRules.CodeFormat, $"Project code {code} does not carry trade type {tradeType}.");
        }

        var project = new Project
        {
            Id = Guid.NewGuid(),
            Code = code,
            CentreId = centreId,
            TradeType = tradeType,
            State = ProjectState.Draft,
            RegisteredBy = registeredBy,
            RegisteredAt = now,
            UpdatedAt = now,
            Revision = 1,
        };
        project.ApplyDetails(details);
        project.ApplySections([.. sections.Select(s => new SectionEdit(null, s))]);
        return project;
    }

    public Section SectionById(Guid sectionId) =>
        _sections.SingleOrDefault(s => s.Id == sectionId)
        ?? throw new DomainRuleException(ProjectRules.SectionUnknown, $"Section {sectionId} is not part of project {Code}.");

    /// <summary>
    /// Edits a draft: its details and its whole list of sections, in the order given. Sections named by id are
    /// changed, new ones added, the others removed, and all renumbered 01, 02, ... in that order. The whole edit is
    /// checked before anything changes.
    /// </summary>
    public void Revise(ProjectDetails details, IReadOnlyList<SectionEdit> sections, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(sections);
        RequireDraft();
        CheckDetails(details);
        CheckSections(sections);
        ApplyDetails(details);
        ApplySections(sections);
        Touch(now);
    }

    /// <summary>
    /// Submission: the project leaves draft and runs as <paramref name="instanceId"/> of <paramref name="processId"/>,
    /// started with <see cref="Code"/> as business key.
    /// </summary>
    public void Submit(string processId, Guid instanceId, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(processId);
        RequireDraft();
        if (ProcessInstanceId is { } existing && existing != instanceId)
        {
            throw new DomainRuleException(ProjectRules.AlreadyLinked, $"Project {Code} already runs as instance {existing}.");
        }

        State = ProjectState.Submitted;
        ProcessId = processId;
        ProcessInstanceId = instanceId;
        SubmittedAt = now;
        Touch(now);
    }

    public void Complete(DateTimeOffset now)
    {
        RequireSubmitted();
        State = ProjectState.Completed;
        Touch(now);
    }

    public void Terminate(DateTimeOffset now)
    {
        RequireSubmitted();
        State = ProjectState.Terminated;
        Touch(now);
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Revision++;
    }

    private void RequireDraft()
    {
        if (State != ProjectState.Draft)
        {
            throw new DomainRuleException(ProjectRules.NotDraft, $"Project {Code} has been submitted and can no longer be changed this way.");
        }
    }

    private void RequireSubmitted()
    {
        if (State != ProjectState.Submitted)
        {
            throw new DomainRuleException(ProjectRules.NotRunning, $"Project {Code} is {State}, not running.");
        }
    }

    private void ApplyDetails(ProjectDetails details)
    {
        var clean = CheckDetails(details);
        Method = clean.Method;
        Name = clean.Name;
        OwnerEntityId = clean.Owner.EntityId;
        OwnerName = clean.Owner.Name;
        AgencyEntityId = clean.Agency?.EntityId;
        AgencyName = clean.Agency?.Name;
        AgencyLetterSha256 = clean.AgencyLetterSha256;
        StateFunded = clean.StateFunded;
        RegionCode = clean.RegionCode;
        Industry = clean.Industry;
        SupervisingDepartmentName = clean.SupervisingDepartment?.Name;
        SupervisingDepartmentCreditCode = clean.SupervisingDepartment?.CreditCode;
    }

    private ProjectDetails CheckDetails(ProjectDetails details)
    {
        var method = Text(details.Method, ProjectRules.MethodRequired, "trade method", MaxMethodLength);
        if (!TradeMethods.IsMethodOf(TradeType, method))
        {
            throw new DomainRuleException(ProjectRules.MethodUnknown, $"'{method}' is not a trade method of {TradeType}.");
        }

        var name = Text(details.Name, ProjectRules.NameRequired, "project name", MaxNameLength);
        var owner = Party(details.Owner, "owner") ?? throw new DomainRuleException(ProjectRules.OwnerRequired, "A project names its owner.");
        var agency = Party(details.Agency, "agency");
        string? letter = null;
        if (agency is not null)
        {
            if (agency.EntityId == owner.EntityId)
            {
                throw new DomainRuleException(ProjectRules.AgencyIsOwner, "The agency must be another entity than the owner.");
            }

            if (string.IsNullOrWhiteSpace(details.AgencyLetterSha256))
            {
                throw new DomainRuleException(ProjectRules.AgencyLetterRequired, "An agency acting for the owner must upload its authorisation letter.");
            }

            letter = details.AgencyLetterSha256.Trim().ToLowerInvariant();
            if (!Sha256Pattern().IsMatch(letter))
            {
                throw new DomainRuleException(ProjectRules.AgencyLetterInvalid, "The authorisation letter is not a stored document.");
            }
        }

        var region = details.RegionCode?.Trim() ?? string.Empty;
        if (!RegionPattern().IsMatch(region))
        {
            throw new DomainRuleException(ProjectRules.RegionInvalid, "The region is a six-digit administrative division code (e.g. 530102).");
        }

        var industry = Text(details.Industry, ProjectRules.IndustryRequired, "industry", MaxIndustryLength);
        // Only a trade type with funding has state funding (TradeTypes.HasFunding): a land grant is never "state-funded".
        var stateFunded = details.StateFunded && TradeTypes.HasFunding(TradeType);
        return new ProjectDetails(method, name, owner, agency, letter, stateFunded, region, industry, Department(details.SupervisingDepartment));
    }

    /// <summary>A department named by its name (a code alone names nobody); its credit code, when given, checked as GB 32100 (with its check character).</summary>
    private static DepartmentRef? Department(DepartmentRef? department)
    {
        if (department is null || string.IsNullOrWhiteSpace(department.Name))
        {
            if (!string.IsNullOrWhiteSpace(department?.CreditCode))
            {
                throw new DomainRuleException(ProjectRules.SupervisingDepartmentNameRequired, "A supervising department's credit code needs its name.");
            }

            return null;
        }

        var name = Text(department.Name, ProjectRules.SupervisingDepartmentNameRequired, "supervising department", MaxNameLength);
        string? code = null;
        if (!string.IsNullOrWhiteSpace(department.CreditCode))
        {
            code = Market.UnifiedSocialCreditCode.TryParse(department.CreditCode, out var parsed, out _, out _)
                ? parsed.Value
                : throw new DomainRuleException(ProjectRules.SupervisingDepartmentCodeInvalid, $"'{department.CreditCode}' is not a valid unified social credit code (GB 32100).");
        }

        return new DepartmentRef(name, code);
    }

    private static PartyRef? Party(PartyRef? party, string role)
    {
        if (party is null || party.EntityId == Guid.Empty)
        {
            return null;
        }

        return party with { Name = Text(party.Name, ProjectRules.OwnerRequired, $"{role} name", MaxNameLength) };
    }

    private void CheckSections(IReadOnlyList<SectionEdit> sections)
    {
        if (sections.Count == 0)
        {
            throw new DomainRuleException(ProjectRules.SectionRequired, "A project has at least one section.");
        }

        if (sections.Count > ProjectCode.MaxSections)
        {
            throw new DomainRuleException(ProjectRules.TooManySections, $"A project has at most {ProjectCode.MaxSections} sections.");
        }

        var terms = DepositTerms.For(TradeType);
        foreach (var edit in sections)
        {
            if (edit.Id is { } id)
            {
                SectionById(id);
            }

            var subject = Text(edit.Draft.Subject, ProjectRules.SubjectRequired, "section subject", Section.MaxSubjectLength);
            Section.CheckDeposit(subject, Price(edit.Draft.EstimatedPrice), edit.Draft.DepositAmount, edit.Draft.DepositForms, terms);
        }
    }

    private void ApplySections(IReadOnlyList<SectionEdit> sections)
    {
        CheckSections(sections);
        var terms = DepositTerms.For(TradeType);
        var kept = new List<Section>(sections.Count);
        for (var i = 0; i < sections.Count; i++)
        {
            var edit = sections[i];
            Section section;
            if (edit.Id is { } id)
            {
                section = SectionById(id);
                section.Apply(edit.Draft, terms);
                section.Renumber(i + 1, Code);
            }
            else
            {
                section = Section.Create(Id, i + 1, Code, edit.Draft, terms);
            }

            kept.Add(section);
        }

        _sections.Clear();
        _sections.AddRange(kept);
        EstimatedPrice = _sections.Sum(s => s.EstimatedPrice);
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

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Pattern();

    [GeneratedRegex("^[0-9]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}

namespace Trading.Workflow.Domain.Projects;

/// <summary>What the owner states about a section when registering or editing a draft.</summary>
public sealed record SectionDraft(string Subject, decimal EstimatedPrice, decimal DepositAmount = 0m, DepositForms DepositForms = DepositForms.None);

/// <summary>A section in an edited draft: <see cref="Id"/> names an existing section, null a new one.</summary>
public sealed record SectionEdit(Guid? Id, SectionDraft Draft);

/// <summary>
/// A section (标段, 包, 标的): the unit that receives participations, deposits, bids and a result. Its code is the
/// project code and its two-digit number.
/// </summary>
public sealed class Section
{
    public const int MaxSubjectLength = 200;

    private Section()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public int Number { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public string Subject { get; private set; } = string.Empty;

    /// <summary>Estimated price (招标控制价/预算/起始价) in yuan.</summary>
    public decimal EstimatedPrice { get; private set; }

    /// <summary>The deposit each participant pays, in yuan; zero when none is asked.</summary>
    public decimal DepositAmount { get; private set; }

    /// <summary>The forms in which the deposit is accepted; none when no deposit is asked.</summary>
    public DepositForms DepositForms { get; private set; }

    internal static Section Create(Guid projectId, int number, string projectCode, SectionDraft draft, DepositTerms terms)
    {
        var section = new Section { Id = Guid.NewGuid(), ProjectId = projectId };
        section.Renumber(number, projectCode);
        section.Apply(draft, terms);
        return section;
    }

    internal void Renumber(int number, string projectCode)
    {
        Number = number;
        Code = ProjectCode.Section(projectCode, number);
    }

    /// <summary>Checks the whole draft first, so a refused change leaves the section as it was.</summary>
    internal void Apply(SectionDraft draft, DepositTerms terms)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var subject = Project.Text(draft.Subject, ProjectRules.SubjectRequired, "section subject", MaxSubjectLength);
        var price = Project.Price(draft.EstimatedPrice);
        var (deposit, forms) = CheckDeposit(subject, price, draft.DepositAmount, draft.DepositForms, terms);
        Subject = subject;
        EstimatedPrice = price;
        DepositAmount = deposit;
        DepositForms = forms;
    }

    /// <summary>
    /// A deposit is at most the trade type's cap of the estimated price (rounded down to the fen) and, when asked,
    /// names at least one form, each admitted by the trade type.
    /// </summary>
    public static (decimal Amount, DepositForms Forms) CheckDeposit(
        string subject, decimal estimatedPrice, decimal amount, DepositForms forms, DepositTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (amount < 0)
        {
            throw new DomainRuleException(ProjectRules.DepositNegative, "A deposit cannot be negative.");
        }

        var rounded = decimal.Round(amount, 2);
        if (terms.CapFor(estimatedPrice) is { } cap && rounded > cap)
        {
            throw new DomainRuleException(ProjectRules.DepositAboveCap,
                $"The deposit of section '{subject}' may not exceed {terms.CapRate:P0} of its estimated price ({cap:N2} yuan).");
        }

        if (rounded == 0)
        {
            return (0m, DepositForms.None);
        }

        if (forms == DepositForms.None)
        {
            throw new DomainRuleException(ProjectRules.DepositFormRequired, $"Section '{subject}' asks a deposit: name the forms it is accepted in.");
        }

        if ((forms & ~terms.Allowed) != DepositForms.None)
        {
            throw new DomainRuleException(ProjectRules.DepositFormNotAllowed,
                $"The trade type does not admit the deposit forms {forms & ~terms.Allowed} (admitted: {terms.Allowed}).");
        }

        return (rounded, forms);
    }
}

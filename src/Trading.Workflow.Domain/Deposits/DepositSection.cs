using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// A section's deposit terms (保证金要求) and what the deposit pages show of its project. Projects live in their own
/// module: this row keeps their ids and a snapshot of the names and codes, with no foreign key.
/// </summary>
public sealed class DepositSection
{
    public const int MaxTextLength = 200;

    private DepositSection()
    {
    }

    public Guid SectionId { get; private set; }

    /// <summary>The section's serial among deposit sections: the first 8 digits of its bidders' sub-accounts.</summary>
    public int Serial { get; private set; }

    public string SectionCode { get; private set; } = string.Empty;

    public string SectionSubject { get; private set; } = string.Empty;

    public Guid ProjectId { get; private set; }

    public string ProjectCode { get; private set; } = string.Empty;

    public string ProjectName { get; private set; } = string.Empty;

    public Guid CentreId { get; private set; }

    public string TradeType { get; private set; } = string.Empty;

    /// <summary>The deposit each participant pays, in yuan.</summary>
    public decimal Amount { get; private set; }

    public DepositForms Forms { get; private set; }

    /// <summary>Who a guarantee must name as beneficiary (the tenderee, purchaser or grantor).</summary>
    public string Beneficiary { get; private set; } = string.Empty;

    /// <summary>A guarantee must stay valid at least until this day (the end of the bid validity period).</summary>
    public DateOnly GuaranteeValidUntil { get; private set; }

    /// <summary>Annual refund interest rate for this section; null takes the trade type's configured rate.</summary>
    public decimal? InterestRate { get; private set; }

    public DateTimeOffset ConfiguredAt { get; private set; }

    public string ConfiguredBy { get; private set; } = string.Empty;

    public static DepositSection Create(int serial, SectionTerms terms, DateTimeOffset now, string by)
    {
        var section = new DepositSection { SectionId = terms.SectionId, Serial = serial };
        section.Apply(terms, now, by);
        return section;
    }

    /// <summary>Changes the terms; the amount is fixed once money or a guarantee has arrived (the caller checks).</summary>
    public void Apply(SectionTerms terms, DateTimeOffset now, string by)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Amount <= 0 || decimal.Round(terms.Amount, 2) != terms.Amount)
        {
            throw new DomainRuleException(DepositRules.AmountNotPositive, "A deposit amount is a positive number of yuan with at most two decimals.");
        }

        if (terms.Forms == DepositForms.None)
        {
            throw new DomainRuleException(DepositRules.NoFormAccepted, "A section accepts its deposit in at least one form.");
        }

        if (terms.InterestRate is < 0 or > 0.2m)
        {
            throw new DomainRuleException(DepositRules.InterestRateInvalid, "An annual interest rate is between 0 and 20%.");
        }

        SectionCode = Required(terms.SectionCode);
        SectionSubject = Required(terms.SectionSubject);
        ProjectId = terms.ProjectId;
        ProjectCode = Required(terms.ProjectCode);
        ProjectName = Required(terms.ProjectName);
        CentreId = terms.CentreId;
        TradeType = Required(terms.TradeType);
        Amount = terms.Amount;
        Forms = terms.Forms;
        Beneficiary = Required(terms.Beneficiary);
        GuaranteeValidUntil = terms.GuaranteeValidUntil;
        InterestRate = terms.InterestRate;
        ConfiguredAt = now;
        ConfiguredBy = by;
    }

    private static string Required(string? value)
    {
        var text = value?.Trim() ?? string.Empty;
        return text.Length is > 0 and <= MaxTextLength
            ? text
            : throw new DomainRuleException(DepositRules.TermsIncomplete, $"Every deposit term is given, in at most {MaxTextLength} characters.");
    }
}

/// <summary>What the projects module (or staff) states of a section's deposit.</summary>
public sealed record SectionTerms(
    Guid SectionId, string SectionCode, string SectionSubject, Guid ProjectId, string ProjectCode, string ProjectName,
    Guid CentreId, string TradeType, decimal Amount, DepositForms Forms, string Beneficiary, DateOnly GuaranteeValidUntil,
    decimal? InterestRate = null);

using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>An electronic guarantee (电子保函) as issued: who issued it, its number, amount, validity and beneficiary.</summary>
public sealed record GuaranteeDetails(
    string Issuer, string Number, decimal Amount, DateOnly ValidFrom, DateOnly ValidUntil, string Beneficiary);

/// <summary>
/// An electronic guarantee a bidder presented for a section. It is recorded whether or not it passes the checks;
/// only an accepted one stands in for the deposit. The problems found are kept as rule codes.
/// </summary>
public sealed class ElectronicGuarantee
{
    public const int MaxTextLength = 200;

    private ElectronicGuarantee()
    {
    }

    public Guid Id { get; private set; }

    public Guid SectionId { get; private set; }

    public Guid EntityId { get; private set; }

    public string Issuer { get; private set; } = string.Empty;

    public string Number { get; private set; } = string.Empty;

    public decimal Amount { get; private set; }

    public DateOnly ValidFrom { get; private set; }

    public DateOnly ValidUntil { get; private set; }

    public string Beneficiary { get; private set; } = string.Empty;

    public bool Accepted { get; private set; }

    /// <summary>The rule codes it failed, comma-separated; empty when accepted.</summary>
    public string Problems { get; private set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; private set; }

    public string RecordedBy { get; private set; } = string.Empty;

    public IReadOnlyList<string> ProblemCodes => Problems.Length == 0 ? [] : Problems.Split(',');

    public static ElectronicGuarantee Record(
        DepositSection section, Guid entityId, GuaranteeDetails details, DateOnly today, DateTimeOffset now, string by)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(details);
        var issuer = Text(details.Issuer);
        var number = Text(details.Number);
        var beneficiary = Text(details.Beneficiary);
        var problems = Check(section, details with { Issuer = issuer, Number = number, Beneficiary = beneficiary }, today);
        return new ElectronicGuarantee
        {
            Id = Guid.NewGuid(),
            SectionId = section.SectionId,
            EntityId = entityId,
            Issuer = issuer,
            Number = number,
            Amount = details.Amount,
            ValidFrom = details.ValidFrom,
            ValidUntil = details.ValidUntil,
            Beneficiary = beneficiary,
            Accepted = problems.Count == 0,
            Problems = string.Join(',', problems),
            RecordedAt = now,
            RecordedBy = by,
        };
    }

    /// <summary>
    /// What is wrong with a guarantee for a section: the section does not take e-guarantees, the amount is below the
    /// deposit, it is not yet or no longer valid today, it ends before the section's required date, or it names
    /// another beneficiary.
    /// </summary>
    public static IReadOnlyList<string> Check(DepositSection section, GuaranteeDetails details, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(details);
        var problems = new List<string>();
        if (!section.Forms.HasFlag(DepositForms.ElectronicGuarantee))
        {
            problems.Add(DepositRules.GuaranteeNotAccepted);
        }

        if (details.Amount < section.Amount)
        {
            problems.Add(DepositRules.GuaranteeAmountTooLow);
        }

        if (details.ValidUntil < details.ValidFrom || details.ValidFrom > today || details.ValidUntil < today)
        {
            problems.Add(DepositRules.GuaranteeNotValidNow);
        }
        else if (details.ValidUntil < section.GuaranteeValidUntil)
        {
            problems.Add(DepositRules.GuaranteeEndsTooEarly);
        }

        if (!string.Equals(Normalize(details.Beneficiary), Normalize(section.Beneficiary), StringComparison.Ordinal))
        {
            problems.Add(DepositRules.GuaranteeWrongBeneficiary);
        }

        return problems;
    }

    // Names compare without spaces and with full-width brackets as half-width: （演示） and (演示) are one name.
    private static string Normalize(string name) =>
        string.Concat(name.Where(c => !char.IsWhiteSpace(c))).Replace('（', '(').Replace('）', ')');

    private static string Text(string? value)
    {
        var text = value?.Trim() ?? string.Empty;
        return text.Length is > 0 and <= MaxTextLength
            ? text
            : throw new DomainRuleException(DepositRules.GuaranteeIncomplete, $"A guarantee's issuer, number and beneficiary are given, in at most {MaxTextLength} characters.");
    }
}

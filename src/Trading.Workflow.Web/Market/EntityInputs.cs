using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Market;

namespace Trading.Workflow.Web.Market;

/// <summary>What the profile form edits; <see cref="ToProfile"/> applies the domain's rules (the server check).</summary>
public sealed class EntityProfileInput
{
    public EntityKind Kind { get; set; } = EntityKind.Organisation;

    public string? Name { get; set; }

    public string? Identifier { get; set; }

    public string? LegalRepresentative { get; set; }

    /// <summary>法定代表人身份证号: empty when a profile verified before it was asked is edited, required to submit.</summary>
    public string? LegalRepresentativeIdNumber { get; set; }

    public string? RegisteredAddress { get; set; }

    public string? RegionCode { get; set; }

    public string? Bank { get; set; }

    public string? AccountName { get; set; }

    public string? AccountNumber { get; set; }

    public List<ContactInput> Contacts { get; } = [];

    /// <summary>Qualifications already on the profile, kept as they are by an edit of the other fields.</summary>
    public List<Qualification> Qualifications { get; } = [];

    public bool IsOrganisation => Kind == EntityKind.Organisation;

    public static EntityProfileInput From(EntityKind kind, EntityProfile profile)
    {
        var input = new EntityProfileInput
        {
            Kind = kind,
            Name = profile.Name,
            Identifier = profile.Identifier,
            LegalRepresentative = profile.LegalRepresentative,
            LegalRepresentativeIdNumber = profile.LegalRepresentativeIdNumber,
            RegisteredAddress = profile.RegisteredAddress,
            RegionCode = profile.RegionCode,
            Bank = profile.BasicAccount?.Bank,
            AccountName = profile.BasicAccount?.AccountName,
            AccountNumber = profile.BasicAccount?.AccountNumber,
        };
        input.Contacts.AddRange(profile.Contacts.Select(c => new ContactInput { Name = c.Name, Phone = c.Phone, Email = c.Email }));
        input.Qualifications.AddRange(profile.Qualifications);
        return input;
    }

    /// <summary>The profile, checked and normalised by the domain; throws the first rule broken.</summary>
    public EntityProfile ToProfile(DateOnly today, IEnumerable<Qualification>? added = null)
    {
        var account = IsOrganisation || !string.IsNullOrWhiteSpace(AccountNumber)
            ? new BankAccount(Bank ?? string.Empty, AccountName ?? string.Empty, AccountNumber ?? string.Empty)
            : null;
        return EntityProfile.Create(Kind, Name ?? string.Empty, Identifier ?? string.Empty, IsOrganisation ? LegalRepresentative : null,
            RegisteredAddress ?? string.Empty, RegionCode ?? string.Empty, account, [.. Qualifications, .. added ?? []],
            Contacts.Where(c => !c.IsEmpty).Select(c => new Contact(c.Name ?? string.Empty, c.Phone ?? string.Empty, c.Email)), today,
            IsOrganisation ? LegalRepresentativeIdNumber : null);
    }
}

public sealed class ContactInput
{
    public string? Name { get; set; }

    public string? Phone { get; set; }

    public string? Email { get; set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Phone) && string.IsNullOrWhiteSpace(Email);
}

public sealed class QualificationInput
{
    public string? Kind { get; set; }

    public string? Grade { get; set; }

    public string? Number { get; set; }

    public string? Issuer { get; set; }

    public DateTime? ValidUntil { get; set; }

    public List<ScannedDocument> Documents { get; } = [];

    public bool IsEmpty => string.IsNullOrWhiteSpace(Kind) && string.IsNullOrWhiteSpace(Grade) && string.IsNullOrWhiteSpace(Number)
        && string.IsNullOrWhiteSpace(Issuer) && ValidUntil is null && Documents.Count == 0;

    /// <summary>The qualification; a scan is required (the rule <see cref="MarketRules.QualificationScanRequired"/>).</summary>
    public Qualification ToQualification()
    {
        if (Documents.Count == 0)
        {
            throw new DomainRuleException(MarketRules.QualificationScanRequired, "A qualification needs at least one scan of its certificate.");
        }

        return new Qualification(Kind ?? string.Empty, Grade ?? string.Empty, Number ?? string.Empty, Issuer ?? string.Empty,
            ValidUntil is { } until ? DateOnly.FromDateTime(until) : null, [.. Documents]);
    }
}

/// <summary>
/// Field checks run as the user types: the same rules the domain applies on submit (credit code and ID check
/// characters, region, account number), with the message in the user's language. Each returns null when valid.
/// </summary>
public sealed class MarketValidation(IStringLocalizer<MarketResource> text, DateOnly today)
{
    public string? Required(string? value) => string.IsNullOrWhiteSpace(value) ? text["Market.Required"].Value : null;

    public string? Identifier(EntityKind kind, string? value)
    {
        if (kind == EntityKind.Organisation)
        {
            return UnifiedSocialCreditCode.TryParse(value, out _, out var rule, out _) ? null : text.Rule(rule!);
        }

        return ResidentIdNumber.TryParse(value, today, out _, out var idRule, out _) ? null : text.Rule(idRule!);
    }

    /// <summary>The legal representative's resident ID number: required, and checked as the domain checks it.</summary>
    public string? LegalRepresentativeId(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return text.Rule(MarketRules.LegalRepresentativeIdRequired);
        }

        return ResidentIdNumber.TryParse(value, today, out _, out var rule, out _) ? null : text.Rule(rule!);
    }

    public string? Region(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return text.Rule(MarketRules.RegionRequired);
        }

        var trimmed = value.Trim();
        return trimmed.Length == 6 && trimmed.All(char.IsAsciiDigit) ? null : text.Rule(MarketRules.RegionFormat);
    }

    public string? AccountNumber(string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? text.Rule(MarketRules.BankAccountRequired) : null;
        }

        var digits = string.Concat(value.Where(c => !char.IsWhiteSpace(c) && c != '-'));
        return digits.Length is >= 8 and <= 32 && digits.All(char.IsAsciiDigit) ? null : text.Rule(MarketRules.BankAccountNumber);
    }

    public string? Phone(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return text["Market.Required"].Value;
        }

        return value.All(c => char.IsAsciiDigit(c) || c is '-' or '+' or ' ' or '(' or ')') ? null : text.Rule(MarketRules.ContactPhone);
    }

    public string? Email(string? value) =>
        string.IsNullOrWhiteSpace(value) || (value.Contains('@', StringComparison.Ordinal) && !value.Trim().StartsWith('@') && !value.Trim().EndsWith('@'))
            ? null
            : text.Rule(MarketRules.ContactEmail);

    public string? UserName(string? value)
    {
        var name = (value ?? string.Empty).Trim();
        return name.Length is >= 3 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@')
            ? null
            : text["Market.UserNameFormat"].Value;
    }
}

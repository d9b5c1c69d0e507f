namespace Trading.Workflow.Domain.Market;

public enum EntityKind
{
    /// <summary>A company or other organisation, identified by its unified social credit code.</summary>
    Organisation,

    /// <summary>A natural person (竞买人 in land and asset trades), identified by a resident ID number.</summary>
    NaturalPerson,
}

/// <summary>基本账户: the account a bidder's deposits must come from.</summary>
public sealed record BankAccount(string Bank, string AccountName, string AccountNumber);

/// <summary>
/// A scanned certificate or licence: a document of the Documents registry (<see cref="DocumentId"/>, downloads
/// recorded and hash-checked while they stream) over bytes kept under their SHA-256. Scans stored before the registry
/// held them carry no document id and are read from the file store directly.
/// </summary>
public sealed record ScannedDocument(string Sha256, string FileName, Guid? DocumentId = null);

/// <summary>
/// A qualification certificate (资质): kind (a code from <see cref="QualificationKinds"/> or the issuer's own wording),
/// grade as the issuing authority states it, and the scans that prove it.
/// </summary>
public sealed record Qualification(
    string Kind, string Grade, string Number, string Issuer, DateOnly? ValidUntil, IReadOnlyList<ScannedDocument> Documents)
{
    public bool IsValidOn(DateOnly day) => ValidUntil is not { } until || until >= day;
}

public sealed record Contact(string Name, string Phone, string? Email);

/// <summary>
/// Everything a registration states and staff verify, as one immutable value: a change is a new profile that
/// goes through verification, and the verified ones stay in the history.
/// </summary>
/// <param name="LegalRepresentativeIdNumber">
/// 法定代表人身份证号, normalised (upper-case X): tells two representatives who share a common name apart. Personal
/// data: pages show it masked except to the entity's users, staff and supervisors. Null for natural persons and for
/// organisation profiles stored before it was asked (they stay valid); <see cref="Create"/> requires it from now on.
/// </param>
public sealed record EntityProfile(
    string Name,
    string Identifier,
    string? LegalRepresentative,
    string RegisteredAddress,
    string RegionCode,
    BankAccount? BasicAccount,
    IReadOnlyList<Qualification> Qualifications,
    IReadOnlyList<Contact> Contacts,
    string? LegalRepresentativeIdNumber = null)
{
    public const int MaxNameLength = 200;
    public const int MaxTextLength = 500;

    /// <summary>
    /// The representative's ID number masked (<see cref="ResidentIdNumber.Mask"/>), or null. A method, not a property,
    /// so the stored JSON does not carry it.
    /// </summary>
    public string? MaskedLegalRepresentativeId() =>
        LegalRepresentativeIdNumber is { } number ? ResidentIdNumber.Mask(number) : null;

    /// <summary>
    /// Checks and normalises a profile for <paramref name="kind"/>; throws the first rule broken. An organisation
    /// states its legal representative's resident ID number (<paramref name="legalRepresentativeIdNumber"/>, checked
    /// with <see cref="ResidentIdNumber.Parse"/>); the parameter is last and optional so callers compile, but an
    /// organisation without it is refused (<see cref="MarketRules.LegalRepresentativeIdRequired"/>).
    /// </summary>
    public static EntityProfile Create(
        EntityKind kind, string name, string identifier, string? legalRepresentative, string registeredAddress,
        string regionCode, BankAccount? basicAccount, IEnumerable<Qualification>? qualifications,
        IEnumerable<Contact>? contacts, DateOnly today, string? legalRepresentativeIdNumber = null)
    {
        var cleanName = Required(name, MarketRules.NameRequired, "name", MaxNameLength);
        var id = kind == EntityKind.Organisation
            ? UnifiedSocialCreditCode.Parse(identifier).Value
            : ResidentIdNumber.Parse(identifier, today).Value;
        var representative = kind == EntityKind.Organisation
            ? Required(legalRepresentative, MarketRules.LegalRepresentativeRequired, "legal representative", MaxNameLength)
            : null;
        var representativeId = kind == EntityKind.Organisation ? RepresentativeId(legalRepresentativeIdNumber, today) : null;
        var address = Optional(registeredAddress, "registered address") ?? string.Empty;
        var region = Required(regionCode, MarketRules.RegionRequired, "region", 12);
        if (region.Length != 6 || !region.All(char.IsAsciiDigit))
        {
            throw new DomainRuleException(MarketRules.RegionFormat, "A region is a 6-digit administrative division code (e.g. 530100).");
        }

        var account = kind == EntityKind.Organisation ? CheckAccount(basicAccount) : basicAccount;
        var certificates = (qualifications ?? []).Select(CheckQualification).ToList();
        var duplicate = certificates.GroupBy(q => (q.Kind, q.Number)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new DomainRuleException(MarketRules.QualificationDuplicate,
                $"Qualification {duplicate.Key.Kind} number {duplicate.Key.Number} is listed twice.");
        }

        var people = (contacts ?? []).Select(CheckContact).ToList();
        return new EntityProfile(cleanName, id, representative, address, region, account, certificates, people, representativeId);
    }

    private static string RepresentativeId(string? number, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(number))
        {
            throw new DomainRuleException(MarketRules.LegalRepresentativeIdRequired,
                "An organisation must state its legal representative's resident ID number (法定代表人身份证号).");
        }

        return ResidentIdNumber.Parse(number, today).Value;
    }

    private static BankAccount CheckAccount(BankAccount? account)
    {
        if (account is null)
        {
            throw new DomainRuleException(MarketRules.BankAccountRequired, "An organisation must state its basic bank account (基本账户).");
        }

        var number = string.Concat(account.AccountNumber.Where(c => !char.IsWhiteSpace(c) && c != '-'));
        if (number.Length is < 8 or > 32 || !number.All(char.IsAsciiDigit))
        {
            throw new DomainRuleException(MarketRules.BankAccountNumber, "A bank account number has 8 to 32 digits.");
        }

        return new BankAccount(
            Required(account.Bank, MarketRules.BankAccountRequired, "bank", MaxNameLength),
            Required(account.AccountName, MarketRules.BankAccountRequired, "account name", MaxNameLength),
            number);
    }

    private static Contact CheckContact(Contact c)
    {
        var name = Required(c.Name, MarketRules.ContactIncomplete, "contact name", MaxNameLength);
        var phone = Required(c.Phone, MarketRules.ContactIncomplete, "contact phone", 30);
        if (!phone.All(ch => char.IsAsciiDigit(ch) || ch is '-' or '+' or ' ' or '(' or ')'))
        {
            throw new DomainRuleException(MarketRules.ContactPhone, "A phone number has digits, spaces, '+', '-' and brackets only.");
        }

        var email = string.IsNullOrWhiteSpace(c.Email) ? null : c.Email.Trim();
        if (email is not null && (email.Length > MaxNameLength || !email.Contains('@', StringComparison.Ordinal) || email.StartsWith('@') || email.EndsWith('@')))
        {
            throw new DomainRuleException(MarketRules.ContactEmail, "The contact's email address is not valid.");
        }

        return new Contact(name, phone, email);
    }

    private static Qualification CheckQualification(Qualification q)
    {
        if (string.IsNullOrWhiteSpace(q.Kind) || string.IsNullOrWhiteSpace(q.Grade) || string.IsNullOrWhiteSpace(q.Number)
            || string.IsNullOrWhiteSpace(q.Issuer))
        {
            throw new DomainRuleException(MarketRules.QualificationIncomplete, "A qualification needs its kind, grade, number and issuer.");
        }

        return q with
        {
            Kind = q.Kind.Trim(),
            Grade = q.Grade.Trim(),
            Number = Optional(q.Number, "qualification number")!,
            Issuer = Optional(q.Issuer, "issuer")!,
            Documents = [.. q.Documents ?? []],
        };
    }

    private static string Required(string? value, string rule, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainRuleException(rule, $"The {field} is required.");
        }

        var trimmed = value.Trim();
        return trimmed.Length <= maxLength
            ? trimmed
            : throw new DomainRuleException(MarketRules.FieldTooLong, $"The {field} is longer than {maxLength} characters.");
    }

    private static string? Optional(string? value, string field)
    {
        var trimmed = value?.Trim();
        return trimmed is { Length: > MaxTextLength }
            ? throw new DomainRuleException(MarketRules.FieldTooLong, $"The {field} is longer than {MaxTextLength} characters.")
            : trimmed;
    }
}

namespace Trading.Workflow.Domain.Market;

/// <summary>Rule codes raised by the market-entity model; the web app maps each to a localized message.</summary>
public static class MarketRules
{
    public const string CreditCodeRequired = "Market.CreditCodeRequired";
    public const string CreditCodeLength = "Market.CreditCodeLength";
    public const string CreditCodeCharacter = "Market.CreditCodeCharacter";
    public const string CreditCodeDivision = "Market.CreditCodeDivision";
    public const string CreditCodeCheck = "Market.CreditCodeCheck";
    public const string ResidentIdRequired = "Market.ResidentIdRequired";
    public const string ResidentIdFormat = "Market.ResidentIdFormat";
    public const string ResidentIdBirthDate = "Market.ResidentIdBirthDate";
    public const string ResidentIdCheck = "Market.ResidentIdCheck";
    public const string NameRequired = "Market.NameRequired";
    public const string FieldTooLong = "Market.FieldTooLong";
    public const string LegalRepresentativeRequired = "Market.LegalRepresentativeRequired";
    public const string LegalRepresentativeIdRequired = "Market.LegalRepresentativeIdRequired";
    public const string RegionRequired = "Market.RegionRequired";
    public const string BankAccountRequired = "Market.BankAccountRequired";
    public const string BankAccountNumber = "Market.BankAccountNumber";
    public const string QualificationIncomplete = "Market.QualificationIncomplete";
    public const string QualificationDuplicate = "Market.QualificationDuplicate";
    public const string NothingToVerify = "Market.NothingToVerify";
    public const string ReturnReasonRequired = "Market.ReturnReasonRequired";
    public const string NotAMemberAdministrator = "Market.NotAMemberAdministrator";
    public const string AlreadyAMember = "Market.AlreadyAMember";
    public const string LastAdministrator = "Market.LastAdministrator";
    public const string IdentifierImmutable = "Market.IdentifierImmutable";
    public const string NotVerified = "Market.NotVerified";
    public const string QualificationMissing = "Market.QualificationMissing";
    public const string QualificationExpired = "Market.QualificationExpired";
    public const string Returned = "Market.Returned";
    public const string RegionFormat = "Market.RegionFormat";
    public const string ContactIncomplete = "Market.ContactIncomplete";
    public const string ContactPhone = "Market.ContactPhone";
    public const string ContactEmail = "Market.ContactEmail";
    public const string AlreadyRegistered = "Market.AlreadyRegistered";
    public const string EntityNotFound = "Market.EntityNotFound";
    public const string InvitationInvalid = "Market.InvitationInvalid";
    public const string InvitationExpired = "Market.InvitationExpired";
    public const string InvitationUsed = "Market.InvitationUsed";
    public const string UserNameTaken = "Market.UserNameTaken";
    public const string ConcurrentChange = "Market.ConcurrentChange";
    public const string QualificationScanRequired = "Market.QualificationScanRequired";
    public const string NotStaff = "Market.NotStaff";

    /// <summary>A sanction in force bars the entity from taking part (取消投标资格, 条例 67-68) until <see cref="EligibilityProblem.BarredUntil"/>.</summary>
    public const string Barred = "Market.Barred";

    /// <summary>Every code above, so the web's message table can be checked for completeness.</summary>
    public static IReadOnlyList<string> All { get; } = typeof(MarketRules)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();
}

namespace Trading.Workflow.Domain.Projects;

/// <summary>Rule codes raised by projects and sections; the web app maps each to a localized message.</summary>
public static class ProjectRules
{
    public const string TradeTypeUnknown = "Project.TradeTypeUnknown";
    public const string MethodRequired = "Project.MethodRequired";
    public const string MethodUnknown = "Project.MethodUnknown";
    public const string NameRequired = "Project.NameRequired";
    public const string SubjectRequired = "Project.SubjectRequired";
    public const string OwnerRequired = "Project.OwnerRequired";
    public const string AgencyIsOwner = "Project.AgencyIsOwner";
    public const string RegionInvalid = "Project.RegionInvalid";
    public const string IndustryRequired = "Project.IndustryRequired";
    public const string SupervisingDepartmentNameRequired = "Project.SupervisingDepartmentNameRequired";
    public const string SupervisingDepartmentCodeInvalid = "Project.SupervisingDepartmentCodeInvalid";
    public const string FieldTooLong = "Project.FieldTooLong";
    public const string PriceNotPositive = "Project.PriceNotPositive";
    public const string PriceTooLarge = "Project.PriceTooLarge";
    public const string SectionRequired = "Project.SectionRequired";
    public const string TooManySections = "Project.TooManySections";
    public const string AgencyLetterRequired = "Project.AgencyLetterRequired";
    public const string AgencyLetterInvalid = "Project.AgencyLetterInvalid";
    public const string NotDraft = "Project.NotDraft";
    public const string NotRunning = "Project.NotRunning";
    public const string CodeFormat = "Project.CodeFormat";
    public const string DepositNegative = "Project.DepositNegative";
    public const string DepositAboveCap = "Project.DepositAboveCap";
    public const string DepositFormRequired = "Project.DepositFormRequired";
    public const string DepositFormNotAllowed = "Project.DepositFormNotAllowed";
    public const string SectionUnknown = "Project.SectionUnknown";
    public const string AlreadyLinked = "Project.AlreadyLinked";
    public const string NotFound = "Project.NotFound";
    public const string NoProcedure = "Project.NoProcedure";
    public const string Changed = "Project.Changed";
    public const string CentreUnknown = "Project.CentreUnknown";
    public const string SequenceExhausted = "Project.SequenceExhausted";
}

namespace Trading.Workflow.Domain.Market;

/// <summary>
/// Codes of the qualification kinds the platform knows; a section requires them by code and the web names them in the
/// user's language (MarketResource: <c>Qualification.Kind.&lt;code&gt;</c>). A kind outside the list can still be
/// registered as the issuer words it.
/// </summary>
public static class QualificationKinds
{
    /// <summary>施工总承包资质.</summary>
    public const string GeneralContracting = "construction.general-contracting";

    /// <summary>专业承包资质.</summary>
    public const string SpecialisedContracting = "construction.specialised-contracting";

    /// <summary>安全生产许可证.</summary>
    public const string SafetyLicence = "construction.safety-licence";

    /// <summary>工程设计资质.</summary>
    public const string EngineeringDesign = "engineering.design";

    /// <summary>工程监理资质.</summary>
    public const string EngineeringSupervision = "engineering.supervision";

    /// <summary>工程造价咨询.</summary>
    public const string CostConsulting = "engineering.cost-consulting";

    /// <summary>营业执照 (business licence), required of every organisation by most trade types.</summary>
    public const string BusinessLicence = "business-licence";

    public static IReadOnlyList<string> All { get; } =
        [BusinessLicence, GeneralContracting, SpecialisedContracting, SafetyLicence, EngineeringDesign, EngineeringSupervision, CostConsulting];
}

namespace Trading.Workflow.Web.Workflow;

/// <summary>
/// The trade types (交易类型) procedures belong to. A procedure's process id starts with its trade type code and a
/// dot (<c>engineering-construction.open-tender</c>), so the type travels with the procedure through every version
/// and export. Names come from the resources under <c>TradeType.&lt;code&gt;</c>.
/// </summary>
public static class TradeTypes
{
    public const string EngineeringConstruction = "engineering-construction";
    public const string GovernmentProcurement = "government-procurement";
    public const string LandRights = "land-rights";
    public const string MineralRights = "mineral-rights";
    public const string StateAssets = "state-assets";
    public const string EnvironmentalRights = "environmental-rights";

    /// <summary>Procedures whose id does not start with a known code.</summary>
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } =
        [EngineeringConstruction, GovernmentProcurement, LandRights, MineralRights, StateAssets, EnvironmentalRights, Other];

    public static string Of(string processId)
    {
        ArgumentNullException.ThrowIfNull(processId);
        var dot = processId.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return Other;
        }

        var code = processId[..dot];
        return All.Contains(code, StringComparer.Ordinal) ? code : Other;
    }

    /// <summary>The SQL LIKE pattern matching the process ids of a trade type (codes hold no LIKE wildcards).</summary>
    public static string ProcessIdPattern(string tradeType) => tradeType + ".%";
}

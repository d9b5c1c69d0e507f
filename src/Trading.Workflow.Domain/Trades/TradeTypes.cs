namespace Trading.Workflow.Domain.Trades;

/// <summary>
/// The trade types (交易类型) of the provincial catalog. A procedure's process id starts with its trade type code and
/// a dot (<c>engineering-construction.open-tender</c>), so the type travels with the procedure through every version
/// and export. <see cref="Abbreviation"/> is the two letters of the type in project codes.
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

    /// <summary>
    /// Whether a project's source of funds belongs to its trade: tenders and procurement spend the owner's money, and a
    /// state-funded tender must award its first-ranked candidate (条例 55). Grants of land-use and mineral rights, state
    /// assets and environmental rights sell a right or an asset: they have no funding to record.
    /// </summary>
    public static bool HasFunding(string? tradeType) => tradeType is EngineeringConstruction or GovernmentProcurement;

    /// <summary>The trade types a project can be registered under (every known one but <see cref="Other"/>).</summary>
    public static IReadOnlyList<string> Registrable { get; } = [.. All.Where(t => t != Other)];

    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        [EngineeringConstruction] = "GC", // 工程
        [GovernmentProcurement] = "ZC",   // 政采
        [LandRights] = "TD",              // 土地
        [MineralRights] = "KQ",           // 矿权
        [StateAssets] = "GZ",             // 国资
        [EnvironmentalRights] = "HJ",     // 环境权益
    };

    public static bool IsRegistrable(string? tradeType) => tradeType is not null && Abbreviations.ContainsKey(tradeType);

    public static string Abbreviation(string tradeType) =>
        Abbreviations.TryGetValue(tradeType, out var abbreviation)
            ? abbreviation
            : throw new ArgumentOutOfRangeException(nameof(tradeType), tradeType, "Not a registrable trade type.");

    public static string? FromAbbreviation(string abbreviation) =>
        Abbreviations.FirstOrDefault(pair => pair.Value == abbreviation).Key;

    /// <summary>The trade type of a procedure, from the prefix of its process id.</summary>
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

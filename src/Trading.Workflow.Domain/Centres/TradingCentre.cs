namespace Trading.Workflow.Domain.Centres;

/// <summary>
/// A public-resource trading centre (公共资源交易中心) at province, prefecture or county level.
/// Projects, procedure versions and staff belong to a centre; market entities and experts are
/// province-wide and carry no centre.
/// </summary>
public sealed class TradingCentre
{
    public const int MaxCodeLength = 32;
    public const int MaxNameLength = 200;

    private TradingCentre()
    {
        Code = string.Empty;
        NameZh = string.Empty;
        NameEn = string.Empty;
    }

    public Guid Id { get; private set; }

    /// <summary>Stable identifier, usually the administrative division code (e.g. 440100).</summary>
    public string Code { get; private set; }

    public string NameZh { get; private set; }

    public string NameEn { get; private set; }

    public CentreLevel Level { get; private set; }

    public Guid? ParentId { get; private set; }

    /// <summary>True for the centre created with the demo accounts, so it can be told apart from real data.</summary>
    public bool IsDemo { get; private set; }

    public static TradingCentre CreateProvince(string code, string nameZh, string nameEn, bool isDemo = false) =>
        Create(code, nameZh, nameEn, CentreLevel.Province, parent: null, isDemo);

    /// <summary>
    /// Creates a centre below <paramref name="parent"/>: a prefecture sits under a province and a county
    /// under a prefecture; a province has no parent.
    /// </summary>
    public static TradingCentre Create(
        string code, string nameZh, string nameEn, CentreLevel level, TradingCentre? parent, bool isDemo = false)
    {
        if (!Enum.IsDefined(level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown centre level.");
        }

        EnsureParentFits(level, parent);
        var centre = new TradingCentre
        {
            Id = Guid.NewGuid(),
            Code = NormalizeCode(code),
            Level = level,
            ParentId = parent?.Id,
            IsDemo = isDemo,
        };
        centre.Rename(nameZh, nameEn);
        return centre;
    }

    /// <summary>The level a centre directly above <paramref name="level"/> must have, or null for a province.</summary>
    public static CentreLevel? ParentLevelOf(CentreLevel level) => level switch
    {
        CentreLevel.Province => null,
        CentreLevel.Prefecture => CentreLevel.Province,
        CentreLevel.County => CentreLevel.Prefecture,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown centre level."),
    };

    public void Rename(string nameZh, string nameEn)
    {
        // Validate both before assigning so a failed rename leaves the centre unchanged.
        var zh = RequireName(nameZh, CentreRules.NameZhRequired, "Chinese name");
        var en = RequireName(nameEn, CentreRules.NameEnRequired, "English name");
        NameZh = zh;
        NameEn = en;
    }

    /// <summary>The name in the requested language: Chinese unless English is asked for.</summary>
    public string DisplayName(bool english) => english ? NameEn : NameZh;

    private static void EnsureParentFits(CentreLevel level, TradingCentre? parent)
    {
        var expected = ParentLevelOf(level);
        if (expected is null)
        {
            if (parent is not null)
            {
                throw new DomainRuleException(CentreRules.ProvinceHasParent, "A province-level centre cannot have a parent.");
            }

            return;
        }

        if (parent is null)
        {
            throw new DomainRuleException(CentreRules.ParentRequired, $"A {level} centre needs a {expected} parent.");
        }

        if (parent.Level != expected)
        {
            throw new DomainRuleException(
                CentreRules.ParentLevelMismatch, $"A {level} centre needs a {expected} parent, not a {parent.Level}.");
        }
    }

    private static string NormalizeCode(string code)
    {
        var trimmed = code?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw new DomainRuleException(CentreRules.CodeRequired, "A centre code is required.");
        }

        if (trimmed.Length > MaxCodeLength || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new DomainRuleException(
                CentreRules.CodeInvalid, $"A centre code has at most {MaxCodeLength} ASCII letters, digits or hyphens.");
        }

        return trimmed.ToUpperInvariant();
    }

    private static string RequireName(string name, string ruleCode, string what)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw new DomainRuleException(ruleCode, $"The {what} of a centre is required.");
        }

        if (trimmed.Length > MaxNameLength)
        {
            throw new DomainRuleException(CentreRules.NameTooLong, $"The {what} of a centre has at most {MaxNameLength} characters.");
        }

        return trimmed;
    }
}

namespace Trading.Workflow.Domain.Accounts;

/// <summary>
/// The six roles of the platform and which of them belong to a trading centre. Staff, tenderees and
/// administrators work for one centre; bidders and experts are registered province-wide; supervisors
/// may be attached to a centre or oversee the whole province.
/// </summary>
public static class PlatformRoles
{
    /// <summary>流程管理员: manages procedures and accounts.</summary>
    public const string Administrator = "Administrator";

    /// <summary>交易中心工作人员: trading centre staff.</summary>
    public const string Staff = "Staff";

    /// <summary>监管人员: supervision.</summary>
    public const string Supervisor = "Supervisor";

    /// <summary>招标人/采购人/出让人 and their agencies.</summary>
    public const string Tenderee = "Tenderee";

    /// <summary>投标人/供应商/竞买人.</summary>
    public const string Bidder = "Bidder";

    /// <summary>评标专家.</summary>
    public const string Expert = "Expert";

    public static IReadOnlyList<string> All { get; } = [Administrator, Staff, Supervisor, Tenderee, Bidder, Expert];

    public const string CentreRequired = "Account.CentreRequired";
    public const string CentreNotAllowed = "Account.CentreNotAllowed";
    public const string MixedScope = "Account.MixedScope";
    public const string RoleRequired = "Account.RoleRequired";
    public const string UnknownRole = "Account.UnknownRole";

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    public static bool RequiresCentre(string role) => role is Administrator or Staff or Tenderee;

    public static bool IsProvinceWide(string role) => role is Bidder or Expert;

    /// <summary>
    /// Checks that a set of roles and a centre fit together; returns null when they do, otherwise the
    /// rule code of the first broken rule.
    /// </summary>
    public static string? CheckAssignment(IReadOnlyCollection<string> roles, bool hasCentre)
    {
        if (roles.Count == 0)
        {
            return RoleRequired;
        }

        if (roles.Any(r => !IsKnown(r)))
        {
            return UnknownRole;
        }

        var centreBound = roles.Any(RequiresCentre);
        var provinceWide = roles.Any(IsProvinceWide);
        if (centreBound && provinceWide)
        {
            return MixedScope;
        }

        if (centreBound && !hasCentre)
        {
            return CentreRequired;
        }

        if (provinceWide && hasCentre)
        {
            return CentreNotAllowed;
        }

        return null;
    }
}

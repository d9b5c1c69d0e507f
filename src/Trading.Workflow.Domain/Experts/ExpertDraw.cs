using System.Security.Cryptography;

namespace Trading.Workflow.Domain.Experts;

/// <summary>The composition rules of an engineering evaluation committee (法 37).</summary>
public static class CommitteeComposition
{
    public const int MinimumSize = 5;

    /// <summary>
    /// Checks a request: every specialty known and asked at least once, 5 members or more in all, an odd number, the
    /// tenderee's representatives at most a third (so experts at least two thirds).
    /// </summary>
    public static void Check(IReadOnlyList<SpecialtyCount> specialties, int representatives)
    {
        ArgumentNullException.ThrowIfNull(specialties);
        if (specialties.Count == 0 || specialties.Any(s => s.Count < 1 || s.Count > 50))
        {
            throw new DomainRuleException(ExpertRules.CountInvalid, "Each requested specialty needs 1 to 50 experts.");
        }

        if (specialties.FirstOrDefault(s => !Specialties.IsKnown(s.Specialty)) is { } unknown)
        {
            throw new DomainRuleException(ExpertRules.SpecialtyUnknown, $"Unknown specialty {unknown.Specialty}.");
        }

        if (specialties.Select(s => s.Specialty).Distinct(StringComparer.Ordinal).Count() != specialties.Count)
        {
            throw new DomainRuleException(ExpertRules.CountInvalid, "A specialty is requested twice.");
        }

        var total = specialties.Sum(s => s.Count) + representatives;
        if (total < MinimumSize)
        {
            throw new DomainRuleException(ExpertRules.CommitteeTooSmall, $"A committee of {total} is below {MinimumSize} (法 37).");
        }

        if (total % 2 == 0)
        {
            throw new DomainRuleException(ExpertRules.CommitteeNotOdd, $"A committee of {total} is not an odd number (法 37).");
        }

        if (representatives < 0 || representatives * 3 > total)
        {
            throw new DomainRuleException(ExpertRules.TooManyRepresentatives,
                $"{representatives} tenderee representatives in a committee of {total} exceed one third (experts must be at least two thirds, 法 37).");
        }
    }
}

/// <summary>A bidder of the project as the avoidance rules see it.</summary>
public sealed record BidderFacts(Guid EntityId, string Name, string? CreditCode, string? LegalRepresentative);

/// <summary>An organisation on the tenderee's side (the owner, its agency).</summary>
public sealed record PartyFacts(Guid EntityId, string Name, string? CreditCode);

/// <summary>What a draw for one project avoids.</summary>
/// <param name="SupervisingDepartment">
/// The department the project records as its supervisor: its staff are avoided. Null when the project records none, and
/// then every expert whose employer is a supervising department is avoided, the record saying why.
/// </param>
public sealed record DrawFacts(
    IReadOnlyList<BidderFacts> Bidders,
    IReadOnlyList<PartyFacts> Tenderee,
    IReadOnlySet<Guid> RecentlyForTenderee,
    IReadOnlySet<Guid> AlreadyInvited,
    DateOnly Today,
    SupervisorFacts? SupervisingDepartment = null,
    IReadOnlyDictionary<Guid, DateOnly>? Barred = null);

/// <summary>The supervising department of the project, as the avoidance rules match an employer against it.</summary>
public sealed record SupervisorFacts(string Name, string? CreditCode);

/// <summary>
/// 智能回避: every reason an expert may not sit on a project's committee. Organisations match by unified social credit
/// code when both sides know it, otherwise by name (spaces and full/half-width brackets ignored); a declared relationship
/// with a person matches a bidder's legal representative by name.
/// </summary>
public static class Avoidance
{
    /// <summary>How far back a former employer counts (GP条例 9: the past three years).</summary>
    public const int FormerEmployerYears = 3;

    /// <summary>
    /// Written after a supervising-department exclusion made because the project records no supervising department, so the
    /// draw record says the fallback (every supervising department's staff) was applied.
    /// </summary>
    public const string NoSupervisorRecorded = "（项目未登记行政监督部门，回避全部监督部门人员 / the project records no supervising department: every supervising department's staff avoided）";

    public static DrawExclusion? Check(Expert expert, DrawFacts facts)
    {
        ArgumentNullException.ThrowIfNull(expert);
        ArgumentNullException.ThrowIfNull(facts);
        var reasons = new List<ExclusionReason>();
        var details = new List<string>();
        void Add(ExclusionReason reason, string detail)
        {
            if (!reasons.Contains(reason))
            {
                reasons.Add(reason);
            }

            details.Add(detail);
        }

        if (expert.Status == ExpertStatus.Suspended)
        {
            Add(ExclusionReason.Suspended, expert.StatusReason ?? string.Empty);
        }
        else if (expert.Status == ExpertStatus.Removed)
        {
            Add(ExclusionReason.Removed, expert.StatusReason ?? string.Empty);
        }

        if (facts.Barred is not null && facts.Barred.TryGetValue(expert.Id, out var barredUntil))
        {
            Add(ExclusionReason.CreditBarred, barredUntil.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        var profile = expert.Profile;
        foreach (var bidder in facts.Bidders)
        {
            if (Same(profile.Employer.Name, profile.Employer.CreditCode, bidder.Name, bidder.CreditCode))
            {
                Add(ExclusionReason.EmployerIsBidder, bidder.Name);
            }

            var since = facts.Today.AddYears(-FormerEmployerYears);
            foreach (var past in profile.PastEmployers.Where(p => p.To >= since && Same(p.Name, p.CreditCode, bidder.Name, bidder.CreditCode)))
            {
                Add(ExclusionReason.FormerEmployerIsBidder, $"{bidder.Name} ({past.From:yyyy-MM}–{past.To:yyyy-MM})");
            }

            foreach (var relation in profile.Relationships.Where(r =>
                Same(r.CounterpartName, r.CounterpartCreditCode, bidder.Name, bidder.CreditCode)
                || (r.CounterpartCreditCode is null && bidder.LegalRepresentative is { Length: > 0 } person && Normalise(person) == Normalise(r.CounterpartName))))
            {
                // A tie with the company itself names it once; a tie with its legal representative names both.
                Add(ExclusionReason.RelationshipWithBidder, Same(relation.CounterpartName, relation.CounterpartCreditCode, bidder.Name, bidder.CreditCode)
                    ? $"{relation.Relation}: {bidder.Name}"
                    : $"{relation.Relation}: {relation.CounterpartName} / {bidder.Name}");
            }
        }

        foreach (var party in facts.Tenderee.Where(p => Same(profile.Employer.Name, profile.Employer.CreditCode, p.Name, p.CreditCode)))
        {
            Add(ExclusionReason.TendereeStaff, party.Name);
        }

        if (facts.SupervisingDepartment is { } department)
        {
            if (Same(profile.Employer.Name, profile.Employer.CreditCode, department.Name, department.CreditCode))
            {
                Add(ExclusionReason.SupervisingDepartmentStaff, department.Name);
            }
        }
        else if (profile.EmployerIsSupervisingDepartment)
        {
            Add(ExclusionReason.SupervisingDepartmentStaff, profile.Employer.Name + " " + NoSupervisorRecorded);
        }

        if (facts.RecentlyForTenderee.Contains(expert.Id))
        {
            Add(ExclusionReason.RecentlyEvaluatedForTenderee, string.Empty);
        }

        if (facts.AlreadyInvited.Contains(expert.Id))
        {
            Add(ExclusionReason.AlreadyInvited, string.Empty);
        }

        return reasons.Count == 0
            ? null
            : new DrawExclusion(expert.Id, expert.DisplayName, reasons, string.Join("; ", details.Where(d => d.Length > 0).Distinct(StringComparer.Ordinal)));
    }

    /// <summary>Two organisations are the same: equal credit codes when both are known, otherwise equal names.</summary>
    public static bool Same(string name, string? code, string otherName, string? otherCode) =>
        code is { Length: > 0 } && otherCode is { Length: > 0 }
            ? string.Equals(code.Trim(), otherCode.Trim(), StringComparison.OrdinalIgnoreCase)
            : Normalise(name) == Normalise(otherName);

    public static string Normalise(string value) => new string((value ?? string.Empty)
        .Where(c => !char.IsWhiteSpace(c)).ToArray())
        .Replace('（', '(').Replace('）', ')')
        .ToUpperInvariant();
}

/// <summary>Where a draw's randomness comes from.</summary>
public interface IDrawRandom
{
    /// <summary>Recorded with each round.</summary>
    string Name { get; }

    /// <summary>A uniformly distributed integer in [0, <paramref name="maxExclusive"/>).</summary>
    int Next(int maxExclusive);
}

/// <summary>The operating system's cryptographically secure generator (<see cref="RandomNumberGenerator"/>).</summary>
public sealed class CryptoDrawRandom : IDrawRandom
{
    /// <summary>What the rounds record as their generator (the readers see it named in their language).</summary>
    public const string RecordedName = "System.Security.Cryptography.RandomNumberGenerator";

    public string Name => RecordedName;

    public int Next(int maxExclusive) => RandomNumberGenerator.GetInt32(maxExclusive);
}

/// <summary>随机抽取: one round for one specialty.</summary>
public static class ExpertDraw
{
    /// <summary>
    /// The candidates are the pool's experts holding the specialty or one below it; each is checked against
    /// <see cref="Avoidance"/>; from those not excluded, <paramref name="wanted"/> are drawn without replacement by a
    /// partial Fisher–Yates shuffle on <paramref name="random"/> (fewer when fewer are eligible). The round lists the
    /// drawn in the order drawn.
    /// </summary>
    public static DrawRound Run(
        IReadOnlyList<Expert> pool, string specialty, int wanted, DrawFacts facts, IDrawRandom random,
        int number, DateTimeOffset at, string by, DrawCause cause)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(random);
        var candidates = pool.Where(e => e.Profile.Specialties.Any(s => s.StartsWith(specialty, StringComparison.Ordinal)))
            .OrderBy(e => e.Id)
            .ToList();
        var excluded = new List<DrawExclusion>();
        var eligible = new List<Expert>();
        foreach (var expert in candidates)
        {
            if (Avoidance.Check(expert, facts) is { } exclusion)
            {
                excluded.Add(exclusion);
            }
            else
            {
                eligible.Add(expert);
            }
        }

        var drawn = new List<Guid>();
        for (var i = 0; i < eligible.Count && drawn.Count < wanted; i++)
        {
            var j = i + random.Next(eligible.Count - i);
            (eligible[i], eligible[j]) = (eligible[j], eligible[i]);
            drawn.Add(eligible[i].Id);
        }

        return new DrawRound(Guid.NewGuid(), number, at, by, cause, specialty, wanted, candidates.Select(c => c.Id).ToList(), excluded, drawn, random.Name);
    }
}

using System.Globalization;
using Trading.Workflow.Domain.Market;

namespace Trading.Workflow.Domain.Warnings;

/// <summary>A deposit payment the bank reported for a bidder of the section.</summary>
public sealed record PaymentFact(Guid EntityId, string Bidder, string PayerAccount, string PayerName, decimal Amount, DateTimeOffset ReceivedAt);

/// <summary>One version of a bidder's sealed bid: who submitted it, when it arrived, from where, and its files' plaintext digests.</summary>
public sealed record SubmissionFact(Guid EntityId, string Bidder, int Version, string SubmittedBy, DateTimeOffset ArrivedAt, string? ClientAddress, IReadOnlyList<BidFileFact> Files);

public sealed record BidFileFact(string Name, string PlaintextSm3, long PlaintextSize);

/// <summary>
/// A bidder's verified profile: its legal representative (name, and resident ID number when the profile states it:
/// profiles verified before it was asked have none) and its contacts' phones.
/// </summary>
public sealed record ProfileFact(
    Guid EntityId, string Bidder, string? LegalRepresentative, IReadOnlyList<string> Phones, string? LegalRepresentativeIdNumber = null);

/// <summary>A price of the opening record.</summary>
public sealed record PriceFact(Guid EntityId, string Bidder, decimal Price);

/// <summary>A warning found by an indicator, before it is matched against the stored ones.</summary>
public sealed record WarningFinding(WarningKind Kind, WarningEvidence Evidence);

/// <summary>
/// The indicators, as pure functions of the facts a section holds: each groups the bidders on a shared value and
/// reports a group of two or more different bidders (three or more prices for the price patterns).
/// </summary>
public static class CollusionIndicators
{
    /// <summary>Bids of different bidders this close together from one address are reported (e.g. one office submitting for several).</summary>
    public static readonly TimeSpan SubmissionWindow = TimeSpan.FromSeconds(60);

    /// <summary>
    /// All prices within 0.5% of the lowest: independently priced bids on one bill of quantities usually spread over
    /// several percent, while coordinated "accompanying" bids are set a few thousandths apart.
    /// </summary>
    public const decimal NarrowBand = 0.005m;

    /// <summary>
    /// Gaps count as equal within 0.1% of the mean gap, and never less than 1 yuan (prices rounded to the yuan): a
    /// deliberate constant step survives rounding, while chance gaps between independent prices seldom agree that closely.
    /// </summary>
    public const decimal GapTolerance = 0.001m;

    /// <summary>Ratios count as equal within 0.0001 (0.01 percentage points): a deliberate "each 1.5% above" step, not chance.</summary>
    public const decimal RatioTolerance = 0.0001m;

    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    public static IReadOnlyList<WarningFinding> SamePayerAccount(IEnumerable<PaymentFact> payments) =>
        [.. payments.Where(p => p.PayerAccount.Length > 0)
            .GroupBy(p => p.PayerAccount)
            .Where(g => g.Select(p => p.EntityId).Distinct().Count() > 1)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Finding(WarningKind.SamePayerAccount, g.Key, null,
                g.OrderBy(p => p.ReceivedAt).Select(p => new WarningLine(p.EntityId, p.Bidder,
                    $"{p.PayerName} · {p.Amount.ToString("N2", CultureInfo.InvariantCulture)} · {Time(p.ReceivedAt)}"))))];

    public static IReadOnlyList<WarningFinding> SameSubmitter(IEnumerable<SubmissionFact> submissions) =>
        [.. submissions.GroupBy(s => s.SubmittedBy, StringComparer.Ordinal)
            .Where(g => g.Select(s => s.EntityId).Distinct().Count() > 1)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Finding(WarningKind.SameSubmitter, g.Key, null,
                g.OrderBy(s => s.ArrivedAt).Select(s => new WarningLine(s.EntityId, s.Bidder, $"v{s.Version} · {Time(s.ArrivedAt)}"))))];

    /// <summary>Empty files are left out: their digest is the same for everyone.</summary>
    public static IReadOnlyList<WarningFinding> IdenticalBidFiles(IEnumerable<SubmissionFact> submissions) =>
        [.. submissions.SelectMany(s => s.Files.Where(f => f.PlaintextSize > 0).Select(f => (Submission: s, File: f)))
            .GroupBy(x => x.File.PlaintextSm3.ToLowerInvariant(), StringComparer.Ordinal)
            .Where(g => g.Select(x => x.Submission.EntityId).Distinct().Count() > 1)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Finding(WarningKind.IdenticalBidFile, g.Key, null,
                g.GroupBy(x => x.Submission.EntityId).Select(b => new WarningLine(b.Key, b.First().Submission.Bidder,
                    string.Join("、", b.Select(x => $"{x.File.Name} (v{x.Submission.Version})").Distinct())))))];

    /// <summary>
    /// <see cref="WarningEvidence.Pattern"/> of a <see cref="WarningKind.SameLegalRepresentative"/> found by resident ID
    /// number. One found by name only has no pattern, as every one stored before numbers were compared, so a reviewed
    /// name warning keeps its identity and its review.
    /// </summary>
    public const string ByIdNumber = "IdNumber";

    /// <summary>
    /// Bidders whose legal representative is one person. When both profiles state the representative's resident ID
    /// number the numbers decide (one name, two numbers: two people, no warning); when either lacks it, the name is all
    /// there is to compare. A number warning's value is the number masked, never in full: warnings and the trail
    /// reach people who may not see it. Each line is the name, with the masked number when that profile has one.
    /// </summary>
    public static IReadOnlyList<WarningFinding> SameLegalRepresentative(IEnumerable<ProfileFact> profiles)
    {
        var named = profiles.Where(p => !string.IsNullOrWhiteSpace(p.LegalRepresentative) || IdNumber(p) is not null)
            .DistinctBy(p => p.EntityId).ToList();
        var byNumber = named.Where(p => IdNumber(p) is not null)
            .GroupBy(p => IdNumber(p)!, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Finding(WarningKind.SameLegalRepresentative, ResidentIdNumber.Mask(g.Key), ByIdNumber, g.Select(RepresentativeLine)));
        // A name group warns only through a pair one side of which has no number: two numbered profiles were compared above.
        var byName = named.Where(p => !string.IsNullOrWhiteSpace(p.LegalRepresentative))
            .GroupBy(p => Compact(p.LegalRepresentative!), StringComparer.Ordinal)
            .Where(g => g.Count() > 1 && g.Any(p => IdNumber(p) is null))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Finding(WarningKind.SameLegalRepresentative, g.Key, null, g.Select(RepresentativeLine)));
        return [.. byNumber, .. byName];
    }

    public static IReadOnlyList<WarningFinding> SameContactPhone(IEnumerable<ProfileFact> profiles) =>
        [.. profiles.SelectMany(p => p.Phones.Select(Digits).Where(d => d.Length >= 7).Distinct().Select(phone => (Profile: p, Phone: phone)))
            .GroupBy(x => x.Phone, StringComparer.Ordinal)
            .Where(g => g.Select(x => x.Profile.EntityId).Distinct().Count() > 1)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Finding(WarningKind.SameContactPhone, g.Key, null,
                g.DistinctBy(x => x.Profile.EntityId).Select(x => new WarningLine(x.Profile.EntityId, x.Profile.Bidder, x.Phone))))];

    /// <summary>
    /// Bids of different bidders from one client address, each arriving within <see cref="SubmissionWindow"/> of the
    /// one before it (a chain); bids without a recorded address are left out.
    /// </summary>
    public static IReadOnlyList<WarningFinding> CloseSubmissionsSameAddress(IEnumerable<SubmissionFact> submissions, TimeSpan? window = null)
    {
        var limit = window ?? SubmissionWindow;
        var findings = new List<WarningFinding>();
        foreach (var byAddress in submissions.Where(s => !string.IsNullOrWhiteSpace(s.ClientAddress))
                     .GroupBy(s => s.ClientAddress!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var chain = new List<SubmissionFact>();
            foreach (var submission in byAddress.OrderBy(s => s.ArrivedAt))
            {
                if (chain.Count > 0 && submission.ArrivedAt - chain[^1].ArrivedAt > limit)
                {
                    AddChain(byAddress.Key, chain);
                    chain = [];
                }

                chain.Add(submission);
            }

            AddChain(byAddress.Key, chain);
        }

        return findings;

        void AddChain(string address, List<SubmissionFact> chain)
        {
            if (chain.Select(s => s.EntityId).Distinct().Count() > 1)
            {
                findings.Add(Finding(WarningKind.CloseSubmissionsSameAddress, address, null,
                    chain.Select(s => new WarningLine(s.EntityId, s.Bidder, $"v{s.Version} · {Time(s.ArrivedAt)}"))));
            }
        }
    }

    /// <summary>
    /// The opening's prices, one per bidder: all of three or more within <see cref="NarrowBand"/>, and each run of three
    /// or more consecutive prices (in ascending order) with a constant gap or, when not already a constant-gap run, a
    /// constant ratio.
    /// </summary>
    public static IReadOnlyList<WarningFinding> RegularPrices(IEnumerable<PriceFact> prices)
    {
        var sorted = prices.Where(p => p.Price > 0).DistinctBy(p => p.EntityId).OrderBy(p => p.Price).ThenBy(p => p.EntityId).ToList();
        var findings = new List<WarningFinding>();
        if (sorted.Count < 3)
        {
            return findings;
        }

        var spread = sorted[^1].Price - sorted[0].Price;
        if (spread / sorted[0].Price <= NarrowBand)
        {
            findings.Add(Finding(WarningKind.RegularPrices, $"{Money(spread)} ({Percent(spread / sorted[0].Price)})", "NarrowBand", Lines(sorted)));
        }

        var gapRuns = Runs(sorted, i => sorted[i + 1].Price - sorted[i].Price, gap => gap > 0, (a, b, mean) => Math.Abs(a - b) <= Math.Max(1m, mean * GapTolerance));
        foreach (var (start, end) in gapRuns)
        {
            var run = sorted.GetRange(start, end - start + 1);
            var gap = (run[^1].Price - run[0].Price) / (run.Count - 1);
            findings.Add(Finding(WarningKind.RegularPrices, Money(gap), "ConstantGap", Lines(run)));
        }

        foreach (var (start, end) in Runs(sorted, i => sorted[i + 1].Price / sorted[i].Price, ratio => ratio > 1, (a, b, _) => Math.Abs(a - b) <= RatioTolerance))
        {
            if (gapRuns.Any(g => g.Start <= start && g.End >= end))
            {
                continue;
            }

            var run = sorted.GetRange(start, end - start + 1);
            var ratio = Math.Pow((double)(run[^1].Price / run[0].Price), 1.0 / (run.Count - 1));
            findings.Add(Finding(WarningKind.RegularPrices, ratio.ToString("0.0000", CultureInfo.InvariantCulture), "ConstantRatio", Lines(run)));
        }

        return findings;
    }

    /// <summary>Maximal runs of consecutive sorted prices whose steps (gap or ratio) are positive and agree with their neighbours.</summary>
    private static List<(int Start, int End)> Runs(List<PriceFact> sorted, Func<int, decimal> step, Func<decimal, bool> isStep, Func<decimal, decimal, decimal, bool> same)
    {
        var steps = Enumerable.Range(0, sorted.Count - 1).Select(step).ToList();
        var runs = new List<(int, int)>();
        var i = 0;
        while (i < steps.Count - 1)
        {
            var j = i;
            while (j + 1 < steps.Count && isStep(steps[j]) && isStep(steps[j + 1])
                   && same(steps[j], steps[j + 1], steps.Skip(i).Take(j + 2 - i).Average()))
            {
                j++;
            }

            if (j > i)
            {
                runs.Add((i, j + 1));
                i = j + 1;
            }
            else
            {
                i++;
            }
        }

        return runs;
    }

    private static IEnumerable<WarningLine> Lines(IEnumerable<PriceFact> prices) =>
        prices.Select(p => new WarningLine(p.EntityId, p.Bidder, Money(p.Price)));

    private static WarningFinding Finding(WarningKind kind, string value, string? pattern, IEnumerable<WarningLine> lines) =>
        new(kind, new WarningEvidence(value, pattern, [.. lines]));

    private static string Money(decimal value) => value.ToString("N2", CultureInfo.InvariantCulture);

    private static string Percent(decimal value) => (value * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%";

    private static string Time(DateTimeOffset at) => at.ToOffset(China).ToString("yyyy-MM-dd HH:mm:ss 'UTC+8'", CultureInfo.InvariantCulture);

    private static string Digits(string text) => new([.. text.Where(char.IsAsciiDigit)]);

    private static string Compact(string text) => new([.. text.Where(c => !char.IsWhiteSpace(c))]);

    /// <summary>The number as compared: spaces removed, the check character X upper-case; null when there is none.</summary>
    private static string? IdNumber(ProfileFact p) =>
        string.IsNullOrWhiteSpace(p.LegalRepresentativeIdNumber) ? null : Compact(p.LegalRepresentativeIdNumber).ToUpperInvariant();

    private static WarningLine RepresentativeLine(ProfileFact p)
    {
        var name = p.LegalRepresentative?.Trim() ?? string.Empty;
        var detail = IdNumber(p) is not { } number ? name
            : name.Length == 0 ? ResidentIdNumber.Mask(number)
            : $"{name} · {ResidentIdNumber.Mask(number)}";
        return new WarningLine(p.EntityId, p.Bidder, detail);
    }
}

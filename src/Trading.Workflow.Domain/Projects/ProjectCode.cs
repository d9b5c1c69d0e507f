using System.Globalization;
using System.Text.RegularExpressions;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Projects;

/// <summary>
/// 一项一码: <c>{centre}-{type}-{year}-{sequence}</c>, e.g. <c>530100-GC-2026-00017</c> — the centre's code, the
/// trade type's two letters, the year of registration and a five-digit sequence per centre, type and year.
/// A section is the project code and a two-digit number: <c>530100-GC-2026-00017-01</c>.
/// </summary>
public static partial class ProjectCode
{
    public const int MaxSequence = 99_999;
    public const int MaxSections = 99;

    public static string Format(string centreCode, string tradeType, int year, int sequence)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(centreCode);
        if (sequence is < 1 or > MaxSequence)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"A project sequence runs from 1 to {MaxSequence}.");
        }

        if (year is < 2000 or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, "Not a registration year.");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{centreCode}-{TradeTypes.Abbreviation(tradeType)}-{year:D4}-{sequence:D5}");
    }

    public static string Section(string projectCode, int number) =>
        number is >= 1 and <= MaxSections
            ? string.Create(CultureInfo.InvariantCulture, $"{projectCode}-{number:D2}")
            : throw new ArgumentOutOfRangeException(nameof(number), number, $"A project has at most {MaxSections} sections.");

    /// <summary>A section's number as its code ends (<c>02</c> of <c>…-00017-02</c>) when the code is of that project; else the whole code.</summary>
    public static string SectionNumber(string sectionCode, string projectCode) =>
        sectionCode.Length > projectCode.Length + 1 && sectionCode.StartsWith(projectCode + "-", StringComparison.Ordinal)
            ? sectionCode[(projectCode.Length + 1)..]
            : sectionCode;

    /// <summary>A SQL <c>LIKE</c> pattern of the codes of a trade type's projects (their sections' codes are longer).</summary>
    public static string LikePattern(string tradeType) => $"%-{TradeTypes.Abbreviation(tradeType)}-____-_____";

    /// <summary>Reads a project code back into its parts; refuses anything the platform would not have assigned.</summary>
    public static (string CentreCode, string TradeType, int Year, int Sequence) Parse(string? code)
    {
        var match = code is null ? Match.Empty : Pattern().Match(code.Trim());
        if (!match.Success || TradeTypes.FromAbbreviation(match.Groups["type"].Value) is not { } tradeType)
        {
            throw new DomainRuleException(ProjectRules.CodeFormat, $"'{code}' is not a project code (centre-type-year-sequence, e.g. 530100-GC-2026-00017).");
        }

        return (match.Groups["centre"].Value, tradeType,
            int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups["seq"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^(?<centre>[A-Za-z0-9-]{1,32})-(?<type>[A-Z]{2})-(?<year>\d{4})-(?<seq>\d{5})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

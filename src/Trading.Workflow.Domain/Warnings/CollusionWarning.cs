using System.Text;
using System.Text.Json;
using Trading.Workflow.Domain.SealedBids.Crypto;

namespace Trading.Workflow.Domain.Warnings;

/// <summary>The collusion indicators (围标串标, 条例 40; GP条例 18) the platform computes on a section.</summary>
public enum WarningKind
{
    /// <summary>Deposits of different bidders paid from one payer account (条例 40 (6)).</summary>
    SamePayerAccount,

    /// <summary>Bids of different bidders submitted by one platform user account (条例 40 (2)).</summary>
    SameSubmitter,

    /// <summary>One bid file (same plaintext SM3) in the bids of different bidders (条例 40 (1), (4)).</summary>
    IdenticalBidFile,

    /// <summary>Bidders with the same legal representative (related suppliers, GP条例 18).</summary>
    SameLegalRepresentative,

    /// <summary>Bidders with the same contact phone.</summary>
    SameContactPhone,

    /// <summary>After the opening: three or more prices with a constant gap or ratio, or all prices in a narrow band (条例 40 (4)).</summary>
    RegularPrices,

    /// <summary>Bids of different bidders arriving within a short window from one client address.</summary>
    CloseSubmissionsSameAddress,
}

/// <summary>Where a supervisor's review of a warning stands.</summary>
public enum WarningState
{
    Open,

    /// <summary>Referred for investigation.</summary>
    Confirmed,

    Dismissed,
}

/// <summary>A bidder a warning names.</summary>
public sealed record WarningBidder(Guid EntityId, string Name);

/// <summary>One line of evidence: a bidder and what of it matched (an account, a time and address, a price, a file name).</summary>
public sealed record WarningLine(Guid EntityId, string Bidder, string Detail);

/// <summary>
/// What was found: the shared value (the account, user, SM3, phone, address, or the price pattern's figure), the price
/// pattern for <see cref="WarningKind.RegularPrices"/>, and a line per bidder. Values are data, not sentences, so a
/// page shows them in the reader's language.
/// </summary>
public sealed record WarningEvidence(string Value, string? Pattern, IReadOnlyList<WarningLine> Lines)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    /// <summary>The bidders in the order of the evidence (first payment, first arrival, lowest price).</summary>
    public IReadOnlyList<WarningBidder> Bidders =>
        [.. Lines.GroupBy(l => l.EntityId).Select(g => new WarningBidder(g.Key, g.First().Bidder))];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static WarningEvidence FromJson(string json) =>
        JsonSerializer.Deserialize<WarningEvidence>(json, Json) ?? throw new JsonException("Not warning evidence.");

    internal static string BiddersJson(IReadOnlyList<WarningBidder> bidders) => JsonSerializer.Serialize(bidders, Json);

    internal static IReadOnlyList<WarningBidder> BiddersFromJson(string json) =>
        JsonSerializer.Deserialize<List<WarningBidder>>(json, Json) ?? [];
}

/// <summary>
/// A collusion warning on a section (tr_collusion_warnings): evidence for a supervisor to review, never a verdict.
/// Its identity is the kind, the section, the shared value and the bidders, so computing again finds the same
/// warning instead of adding one; a reviewed warning keeps its review.
/// </summary>
public sealed class CollusionWarning
{
    public const int MaxNoteLength = 2000;

    private CollusionWarning()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid SectionId { get; private set; }

    public Guid CentreId { get; private set; }

    public string ProjectCode { get; private set; } = string.Empty;

    public string ProjectName { get; private set; } = string.Empty;

    public string SectionCode { get; private set; } = string.Empty;

    public WarningKind Kind { get; private set; }

    /// <summary>SM3 (hex) of kind, section, shared value and the sorted bidder ids.</summary>
    public string Identity { get; private set; } = string.Empty;

    public string BiddersJson { get; private set; } = "[]";

    public string EvidenceJson { get; private set; } = "{}";

    /// <summary>When it was first found.</summary>
    public DateTimeOffset FirstComputedAt { get; private set; }

    /// <summary>When a computation last found it.</summary>
    public DateTimeOffset ComputedAt { get; private set; }

    public WarningState State { get; private set; }

    public string? ReviewedBy { get; private set; }

    public DateTimeOffset? ReviewedAt { get; private set; }

    public string? ReviewNote { get; private set; }

    public int Version { get; private set; }

    /// <summary>The bidders in the order of the evidence (first payment, first arrival, lowest price).</summary>
    public IReadOnlyList<WarningBidder> Bidders => WarningEvidence.BiddersFromJson(BiddersJson);

    public WarningEvidence Evidence => WarningEvidence.FromJson(EvidenceJson);

    public static string IdentityOf(WarningKind kind, Guid sectionId, WarningEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var bidders = string.Join(',', evidence.Lines.Select(l => l.EntityId.ToString("D")).Distinct().Order(StringComparer.Ordinal));
        return Sm3Hex.Of(Encoding.UTF8.GetBytes($"{kind}|{sectionId:D}|{evidence.Pattern}|{evidence.Value}|{bidders}"));
    }

    internal static CollusionWarning Found(WarningSection section, WarningKind kind, WarningEvidence evidence, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        ProjectId = section.ProjectId,
        SectionId = section.SectionId,
        CentreId = section.CentreId,
        ProjectCode = section.ProjectCode,
        ProjectName = section.ProjectName,
        SectionCode = section.SectionCode,
        Kind = kind,
        Identity = IdentityOf(kind, section.SectionId, evidence),
        BiddersJson = WarningEvidence.BiddersJson(evidence.Bidders),
        EvidenceJson = evidence.ToJson(),
        FirstComputedAt = now,
        ComputedAt = now,
        State = WarningState.Open,
        Version = 1,
    };

    /// <summary>Found again: an open warning takes the fresh evidence lines (times, names); a reviewed one keeps what was reviewed.</summary>
    internal void FoundAgain(WarningEvidence evidence, DateTimeOffset now)
    {
        ComputedAt = now;
        if (State == WarningState.Open)
        {
            EvidenceJson = evidence.ToJson();
            BiddersJson = WarningEvidence.BiddersJson(evidence.Bidders);
        }
    }

    internal void Review(bool confirm, string supervisor, string note, DateTimeOffset now)
    {
        if (State != WarningState.Open)
        {
            throw new DomainRuleException(WarningRules.AlreadyReviewed, $"The warning {Id} is already {State}.");
        }

        State = confirm ? WarningState.Confirmed : WarningState.Dismissed;
        ReviewedBy = supervisor;
        ReviewedAt = now;
        ReviewNote = note;
        Version++;
    }
}

/// <summary>The section a computation works on, with what a warning repeats of its project.</summary>
public sealed record WarningSection(Guid ProjectId, Guid SectionId, Guid CentreId, string ProjectCode, string ProjectName, string SectionCode);

/// <summary>Rule codes of warnings; the web maps each to a message in Chinese and English.</summary>
public static class WarningRules
{
    public const string NoteRequired = "Warning.NoteRequired";
    public const string NoteTooLong = "Warning.NoteTooLong";
    public const string AlreadyReviewed = "Warning.AlreadyReviewed";
    public const string NotFound = "Warning.NotFound";
    public const string SupervisorOnly = "Warning.SupervisorOnly";
    public const string Changed = "Warning.Changed";
    public const string SectionUnknown = "Warning.SectionUnknown";
}

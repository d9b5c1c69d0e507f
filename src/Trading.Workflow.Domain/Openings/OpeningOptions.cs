namespace Trading.Workflow.Domain.Openings;

/// <summary>Settings of the remote bid opening (section <c>Openings</c>).</summary>
public sealed class OpeningOptions
{
    public const string SectionName = "Openings";

    /// <summary>How long bidders have to decrypt after the bid deadline (default 30 minutes). Each session keeps its own end.</summary>
    public TimeSpan DecryptionWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Fewer bids than this at the deadline: no opening, the section is re-tendered (条例 44: 3).</summary>
    public int MinimumBids { get; set; } = 3;

    /// <summary>How long after the session closes participants may still raise an objection at the opening (default 30 minutes).</summary>
    public TimeSpan ObjectionsAfterClose { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Where decrypted bid items are kept; empty means <c>opened-bids</c> beside the document store's folder.</summary>
    public string PlaintextFolder { get; set; } = string.Empty;

    public IEnumerable<string> Problems()
    {
        if (DecryptionWindow < TimeSpan.FromMinutes(1) || DecryptionWindow > TimeSpan.FromDays(1))
        {
            yield return "Openings:DecryptionWindow must be between 00:01:00 and 1.00:00:00.";
        }

        if (MinimumBids < 1)
        {
            yield return "Openings:MinimumBids must be at least 1.";
        }

        if (ObjectionsAfterClose < TimeSpan.Zero)
        {
            yield return "Openings:ObjectionsAfterClose must not be negative.";
        }
    }
}

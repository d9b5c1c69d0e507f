namespace Trading.Workflow.Domain.Openings;

public enum OpeningState
{
    /// <summary>The deadline passed with enough bids: bidders decrypt until <see cref="OpeningSession.WindowEndsAt"/>.</summary>
    Decrypting,

    /// <summary>Fewer bids than the minimum at the deadline: no opening, the section goes to re-tender (条例 44).</summary>
    Retender,

    /// <summary>The window closed (or the host closed it once every bid was decrypted): the record is signed.</summary>
    Closed,
}

/// <summary>
/// The opening of one section's sealed bids (开标, tr_opening_sessions): started by the procedure at the bid deadline,
/// it counts the bids submitted by then, keeps its own decryption window end, and is closed by the procedure at that
/// end (or by the host earlier once every bid is decrypted). Times are the server's.
/// </summary>
public sealed class OpeningSession
{
    private OpeningSession()
    {
    }

    public Guid Id { get; private set; }

    public Guid SectionId { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid CentreId { get; private set; }

    public string ProjectCode { get; private set; } = string.Empty;

    public string ProjectName { get; private set; } = string.Empty;

    public string SectionCode { get; private set; } = string.Empty;

    public string SectionSubject { get; private set; } = string.Empty;

    public string TradeType { get; private set; } = string.Empty;

    public string RegionCode { get; private set; } = string.Empty;

    /// <summary>The bid deadline the session was started at (the server's clock).</summary>
    public DateTimeOffset Deadline { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>The end of this session's decryption window, fixed when it starts (<c>Openings:DecryptionWindow</c> then).</summary>
    public DateTimeOffset WindowEndsAt { get; private set; }

    /// <summary>Bids in state Submitted at the deadline.</summary>
    public int BidCount { get; private set; }

    public int MinimumBids { get; private set; }

    public OpeningState State { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public string? ClosedBy { get; private set; }

    public bool ClosedEarly { get; private set; }

    /// <summary>The procedure instance that started it, when started by one.</summary>
    public Guid? InstanceId { get; private set; }

    public int Version { get; private set; }

    /// <summary>
    /// Opens the session at the deadline with the bids counted then: with fewer than <paramref name="minimumBids"/> it
    /// is settled at once as a re-tender; otherwise bidders decrypt until <paramref name="now"/> + <paramref name="window"/>.
    /// </summary>
    public static OpeningSession Start(OpeningSection section, int bidCount, int minimumBids, TimeSpan window, DateTimeOffset deadline, DateTimeOffset now, Guid? instanceId)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentOutOfRangeException.ThrowIfNegative(bidCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumBids, 1);
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The decryption window must be positive.");
        }

        var retender = bidCount < minimumBids;
        return new OpeningSession
        {
            Id = Guid.CreateVersion7(now),
            SectionId = section.SectionId,
            ProjectId = section.ProjectId,
            CentreId = section.CentreId,
            ProjectCode = section.ProjectCode,
            ProjectName = section.ProjectName,
            SectionCode = section.SectionCode,
            SectionSubject = section.SectionSubject,
            TradeType = section.TradeType,
            RegionCode = section.RegionCode,
            Deadline = deadline,
            StartedAt = now,
            WindowEndsAt = retender ? now : now + window,
            BidCount = bidCount,
            MinimumBids = minimumBids,
            State = retender ? OpeningState.Retender : OpeningState.Decrypting,
            ClosedAt = retender ? now : null,
            ClosedBy = retender ? OpeningActors.Platform : null,
            InstanceId = instanceId,
            Version = 1,
        };
    }

    public bool IsWindowOpen(DateTimeOffset now) => State == OpeningState.Decrypting && now < WindowEndsAt;

    /// <summary>Server-side time left in the window (zero once it ended); what every countdown shows.</summary>
    public TimeSpan Remaining(DateTimeOffset now) => State == OpeningState.Decrypting && now < WindowEndsAt ? WindowEndsAt - now : TimeSpan.Zero;

    /// <summary>A decryption may be received now: the session is decrypting and its window has not ended.</summary>
    public void RequireWindowOpen(DateTimeOffset now)
    {
        if (State != OpeningState.Decrypting)
        {
            throw new DomainRuleException(OpeningRules.NotDecrypting, "This opening is not decrypting bids.");
        }

        if (now >= WindowEndsAt)
        {
            throw new DomainRuleException(OpeningRules.WindowClosed, $"The decryption window ended at {WindowEndsAt:O}.");
        }
    }

    /// <summary>
    /// Closes the session: at or after the window's end by anyone (the procedure's timer), or earlier by the host only
    /// when <paramref name="allDecrypted"/>.
    /// </summary>
    public void Close(string by, DateTimeOffset now, bool allDecrypted)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (State != OpeningState.Decrypting)
        {
            throw new DomainRuleException(OpeningRules.NotDecrypting, "This opening is not decrypting bids.");
        }

        var early = now < WindowEndsAt;
        if (early && !allDecrypted)
        {
            throw new DomainRuleException(OpeningRules.CloseEarlyNeedsAll, "The window can be closed early only when every bid is decrypted.");
        }

        State = OpeningState.Closed;
        ClosedAt = now;
        ClosedBy = by;
        ClosedEarly = early;
        Version++;
    }

    /// <summary>Demo projects only: the window ends now, as when the demo fires the procedure's timer early. False when it is not ahead.</summary>
    public bool EndWindowForDemo(DateTimeOffset now)
    {
        if (State != OpeningState.Decrypting || WindowEndsAt <= now)
        {
            return false;
        }

        WindowEndsAt = now;
        Version++;
        return true;
    }

    /// <summary>Participants may object at the opening while it decrypts and for a while after it closes.</summary>
    public bool AcceptsObjections(DateTimeOffset now, TimeSpan afterClose) =>
        State == OpeningState.Decrypting || (State == OpeningState.Closed && ClosedAt is { } closed && now <= closed + afterClose);
}

/// <summary>What a session keeps of its project and section.</summary>
public sealed record OpeningSection(Guid SectionId, Guid ProjectId, Guid CentreId, string ProjectCode, string ProjectName, string SectionCode, string SectionSubject, string TradeType, string RegionCode);

/// <summary>Actors the platform itself acts as in the trail.</summary>
public static class OpeningActors
{
    public const string Platform = "system:opening";
}

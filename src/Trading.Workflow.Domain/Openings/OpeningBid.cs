namespace Trading.Workflow.Domain.Openings;

public enum OpeningBidState
{
    /// <summary>Waiting for its bidder's content key.</summary>
    Pending,

    /// <summary>Decrypted, every plaintext matched the signed manifest: the bid is Opened.</summary>
    Decrypted,

    /// <summary>Settled as not opened, with its cause and whose fault it is: the bid is DecryptFailed.</summary>
    Failed,
}

/// <summary>What a failure means for the bidder's deposit (domain.md §2).</summary>
public enum DepositConsequence
{
    None,

    /// <summary>Bidder's fault: treated as withdrawn after the deadline; the tender documents may keep the deposit.</summary>
    MayBeKept,

    /// <summary>Platform's fault: treated as withdrawn before the deadline; the deposit is refunded.</summary>
    Refund,
}

/// <summary>
/// One sealed bid in an opening (tr_opening_bids): its bidder, where its decryption stands, the failed attempts, and
/// once decrypted what its bid letter says (the only source of the opening record).
/// </summary>
public sealed class OpeningBid
{
    private OpeningBid()
    {
    }

    /// <summary>The sealed bid's id.</summary>
    public Guid BidId { get; private set; }

    public Guid SessionId { get; private set; }

    public Guid ParticipationId { get; private set; }

    public Guid EntityId { get; private set; }

    public string EntityName { get; private set; } = string.Empty;

    public int BidVersion { get; private set; }

    /// <summary>When the bid arrived at the server (its receipt time): the record lists bids in this order.</summary>
    public DateTimeOffset ArrivedAt { get; private set; }

    public OpeningBidState State { get; private set; }

    public int Attempts { get; private set; }

    public DecryptFailureCause? LastCause { get; private set; }

    public DecryptFault? Fault { get; private set; }

    public DepositConsequence Consequence { get; private set; }

    public DateTimeOffset? SettledAt { get; private set; }

    /// <summary>The user who sent the key that opened it (or whose attempt failed last).</summary>
    public string? SettledBy { get; private set; }

    public BidLetter? Letter { get; private set; }

    public int Version { get; private set; }

    public static OpeningBid For(Guid sessionId, SealedBidView bid)
    {
        ArgumentNullException.ThrowIfNull(bid);
        return new OpeningBid
        {
            BidId = bid.BidId,
            SessionId = sessionId,
            ParticipationId = bid.ParticipationId,
            EntityId = bid.EntityId,
            EntityName = bid.EntityName,
            BidVersion = bid.Version,
            ArrivedAt = bid.ArrivedAt,
            State = OpeningBidState.Pending,
            Version = 1,
        };
    }

    public void RequirePending()
    {
        if (State != OpeningBidState.Pending)
        {
            throw new DomainRuleException(OpeningRules.AlreadySettled, $"This bid is already {State}.");
        }
    }

    public void Decrypted(BidLetter letter, string by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(letter);
        RequirePending();
        Attempts++;
        State = OpeningBidState.Decrypted;
        Letter = letter;
        LastCause = null;
        Fault = null;
        Consequence = DepositConsequence.None;
        SettledAt = now;
        SettledBy = by;
        Version++;
    }

    /// <summary>
    /// Records a failed attempt. A bidder's fault leaves the bid pending (another attempt with the right key may follow
    /// within the window); a platform fault or the window's end settles it as failed.
    /// </summary>
    /// <returns>Whether the bid is now settled as failed.</returns>
    public bool Failed(DecryptFailureCause cause, string by, DateTimeOffset now)
    {
        RequirePending();
        if (cause != DecryptFailureCause.WindowClosed)
        {
            Attempts++;
        }

        LastCause = cause;
        Fault = DecryptFailures.FaultOf(cause);
        SettledBy = by;
        Version++;
        if (!DecryptFailures.IsFinal(cause))
        {
            return false;
        }

        State = OpeningBidState.Failed;
        Consequence = Fault == DecryptFault.Platform ? DepositConsequence.Refund : DepositConsequence.MayBeKept;
        SettledAt = now;
        return true;
    }

    /// <summary>
    /// At the window's end a bid still pending fails: with the cause of its last failed attempt when it had one (a
    /// wrong key stays a wrong key), otherwise because the window closed.
    /// </summary>
    public void FailAtClose(DateTimeOffset now)
    {
        RequirePending();
        var cause = LastCause ?? DecryptFailureCause.WindowClosed;
        State = OpeningBidState.Failed;
        LastCause = cause;
        Fault = DecryptFailures.FaultOf(cause);
        Consequence = Fault == DecryptFault.Platform ? DepositConsequence.Refund : DepositConsequence.MayBeKept;
        SettledAt = now;
        SettledBy ??= OpeningActors.Platform;
        Version++;
    }
}

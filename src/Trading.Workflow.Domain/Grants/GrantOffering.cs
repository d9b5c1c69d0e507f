namespace Trading.Workflow.Domain.Grants;

/// <summary>
/// 出让: one parcel (land) or mineral right offered by a grantor in a centre, on a project of one section (the lot).
/// The confidential reserve is never here: it is handed to the bidding engine at submission and stays in the lot row.
/// </summary>
public sealed class GrantOffering
{
    public const int MaxReasonLength = 1000;

    private GrantOffering()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid SectionId { get; private set; }

    public string ProjectCode { get; private set; } = string.Empty;

    public Guid CentreId { get; private set; }

    public string TradeType { get; private set; } = string.Empty;

    public string RegionCode { get; private set; } = string.Empty;

    public string Title { get; private set; } = string.Empty;

    public Guid OwnerEntityId { get; private set; }

    public string OwnerName { get; private set; } = string.Empty;

    public GrantMode Mode { get; private set; }

    public GrantParcel Parcel { get; private set; } = null!;

    public decimal StartPrice { get; private set; }

    public decimal Increment { get; private set; }

    public decimal Deposit { get; private set; }

    /// <summary>The public price cap (最高限价), null for none: reaching it switches the sale to a sealed one-shot round.</summary>
    public decimal? PriceCap { get; private set; }

    /// <summary>The multiples of the increment a bid may add, ascending; empty for any whole multiple.</summary>
    public IReadOnlyList<int> AllowedMultiples { get; private set; } = [];

    public DateTimeOffset ApplicationDeadline { get; private set; }

    public DateTimeOffset BiddingOpens { get; private set; }

    public DateTimeOffset BiddingEnds { get; private set; }

    public GrantStage Stage { get; private set; }

    /// <summary>Demo data: the dates were compressed to minutes (a demo centre only, never in Production).</summary>
    public bool DemoSchedule { get; private set; }

    public Guid? LotId { get; private set; }

    /// <summary>Whether the last submission gave the lot a reserve (its amount is the bidding engine's alone): the notice says which.</summary>
    public bool HasReserve { get; private set; } = true;

    public DateTimeOffset? SubmittedAt { get; private set; }

    public Guid? NoticeId { get; private set; }

    public DateTimeOffset? NoticePublishedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public string? NoSaleReason { get; private set; }

    public Guid? NoSaleNoticeId { get; private set; }

    public Guid? WinnerEntityId { get; private set; }

    public string? WinnerName { get; private set; }

    public int? WinnerNumber { get; private set; }

    public decimal? Price { get; private set; }

    /// <summary>The issued 成交确认书 (Printing), its verify page is /verify/{id}.</summary>
    public Guid? ConfirmationId { get; private set; }

    public Guid? ConfirmationDocumentId { get; private set; }

    public DateTimeOffset? GrantorSignedAt { get; private set; }

    public string? GrantorSignedBy { get; private set; }

    public DateTimeOffset? WinnerSignedAt { get; private set; }

    public string? WinnerSignedBy { get; private set; }

    public DateTimeOffset? DepositConvertedAt { get; private set; }

    public DateTimeOffset? ResultDueAt { get; private set; }

    public Guid? ResultNoticeId { get; private set; }

    public DateTimeOffset? ResultPublishedAt { get; private set; }

    public DateTimeOffset? ResultOverdueAt { get; private set; }

    /// <summary>The reason of the latest return (退回修改), shown to the grantor; earlier ones are in the trail.</summary>
    public string? ReturnReason { get; private set; }

    public DateTimeOffset? ReturnedAt { get; private set; }

    public string? ReturnedBy { get; private set; }

    public DateTimeOffset? WithdrawnAt { get; private set; }

    public string? WithdrawnBy { get; private set; }

    public string? WithdrawReason { get; private set; }

    /// <summary>Why the sale was ended after its notice (终止: 规划调整, 司法查封, 不可抗力...), shown on the page and the notice.</summary>
    public string? TerminationReason { get; private set; }

    public DateTimeOffset? TerminatedAt { get; private set; }

    public string? TerminatedBy { get; private set; }

    /// <summary>The public termination notice (终止公告).</summary>
    public Guid? TerminationNoticeId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = string.Empty;

    public int Version { get; private set; }

    public bool IsSigned => GrantorSignedAt is not null && WinnerSignedAt is not null;

    public GrantOfferingInput Input => new(Title, OwnerEntityId, RegionCode, Mode, Parcel, StartPrice, Increment, Deposit, ApplicationDeadline, BiddingOpens, BiddingEnds, PriceCap, AllowedMultiples);

    public static GrantOffering Draft(Guid projectId, Guid sectionId, string projectCode, Guid centreId, string tradeType, string ownerName, GrantOfferingInput input, DateTimeOffset now, string by)
    {
        ArgumentNullException.ThrowIfNull(input);
        var offering = new GrantOffering
        {
            Id = Guid.CreateVersion7(now),
            ProjectId = projectId,
            SectionId = sectionId,
            ProjectCode = projectCode,
            CentreId = centreId,
            TradeType = tradeType,
            OwnerName = ownerName,
            Stage = GrantStage.Draft,
            CreatedAt = now,
            CreatedBy = by,
        };
        offering.Revise(input);
        return offering;
    }

    public void Revise(GrantOfferingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireEditable();
        Title = input.Title.Trim();
        OwnerEntityId = input.OwnerEntityId;
        RegionCode = input.RegionCode;
        Mode = input.Mode;
        Parcel = input.Parcel;
        StartPrice = input.StartPrice;
        Increment = input.Increment;
        Deposit = input.Deposit;
        PriceCap = input.PriceCap;
        AllowedMultiples = [.. (input.AllowedMultiples ?? []).Order()];
        ApplicationDeadline = input.ApplicationDeadline;
        BiddingOpens = input.BiddingOpens;
        BiddingEnds = input.BiddingEnds;
        Version++;
    }

    /// <summary>Demo only: the dates move to minutes from now (the caller checked the demo centre).</summary>
    public void CompressForDemo(DateTimeOffset applicationDeadline, DateTimeOffset opens, DateTimeOffset ends)
    {
        RequireEditable();
        ApplicationDeadline = applicationDeadline;
        BiddingOpens = opens;
        BiddingEnds = ends;
        DemoSchedule = true;
        Version++;
    }

    /// <summary>Submission of a draft, or resubmission of a returned offering (a new lot each time).</summary>
    public void Submit(Guid lotId, DateTimeOffset now, bool hasReserve = true)
    {
        RequireEditable();
        LotId = lotId;
        HasReserve = hasReserve;
        SubmittedAt = now;
        Stage = GrantStage.Submitted;
        Version++;
    }

    /// <summary>
    /// The project's submission (or the procedure's resubmission) failed after the lot was made: back to a draft, or to
    /// returned when it had been returned (a new lot is made at the next try).
    /// </summary>
    public void RevertSubmission()
    {
        Require(GrantStage.Submitted);
        SubmittedAt = null;
        Stage = ReturnedAt is null ? GrantStage.Draft : GrantStage.Returned;
        Version++;
    }

    /// <summary>退回修改: staff send the submitted offering back to the grantor with a reason, before its notice.</summary>
    public void Return(string reason, string by, DateTimeOffset now)
    {
        Require(GrantStage.Submitted);
        ReturnReason = RequireReason(reason, "A return states its reason");
        ReturnedAt = now;
        ReturnedBy = by;
        Stage = GrantStage.Returned;
        Version++;
    }

    /// <summary>撤回: the grantor withdraws it while under review or returned; after the notice it is refused.</summary>
    public void Withdraw(string? reason, string by, DateTimeOffset now)
    {
        if (Stage is not (GrantStage.Submitted or GrantStage.Returned))
        {
            throw Stage == GrantStage.Draft
                ? new DomainRuleException(GrantRules.WrongStage, $"Offering {ProjectCode} is a draft: it was never submitted.")
                : NotWithdrawable();
        }

        var text = (reason ?? string.Empty).Trim();
        if (text.Length > MaxReasonLength)
        {
            throw new DomainRuleException(GrantRules.ReasonRequired, $"A reason has at most {MaxReasonLength} characters.");
        }

        WithdrawReason = text.Length == 0 ? null : text;
        WithdrawnAt = now;
        WithdrawnBy = by;
        Stage = GrantStage.Withdrawn;
        Version++;
    }

    /// <summary>Refusal of a withdrawal once the notice is out (or the offering has ended).</summary>
    public DomainRuleException NotWithdrawable() => new(GrantRules.AlreadyPublished,
        $"Offering {ProjectCode} is {Stage}: once its notice is published it can no longer be withdrawn (ending it would be a 终止 with a public notice).");

    /// <summary>
    /// Whether the sale may be ended now (终止): after its notice and before a result. Throws the rule that says why
    /// not: before the notice it is withdrawn instead, after a result it stands, and it is terminated once.
    /// </summary>
    public void RequireTerminable()
    {
        switch (Stage)
        {
            case GrantStage.Announced when ClosedAt is null:
                return;
            case GrantStage.Draft or GrantStage.Submitted or GrantStage.Returned:
                throw new DomainRuleException(GrantRules.TerminateBeforeNotice,
                    $"Offering {ProjectCode} is {Stage}: before its notice an offering is withdrawn (撤回), not terminated.");
            case GrantStage.Terminated:
                throw new DomainRuleException(GrantRules.AlreadyTerminated, $"Offering {ProjectCode} was terminated on {TerminatedAt:O}.");
            case GrantStage.Withdrawn:
                throw new DomainRuleException(GrantRules.WrongStage, $"Offering {ProjectCode} was withdrawn: its procedure has ended.");
            default:
                throw new DomainRuleException(GrantRules.ResultDecided, $"Offering {ProjectCode} is {Stage}: the sale has a result and can no longer be terminated.");
        }
    }

    /// <summary>终止: the sale ends after its notice with a reason and its public termination notice; no result.</summary>
    public void Terminate(string? reason, string by, Guid noticeId, DateTimeOffset now)
    {
        RequireTerminable();
        TerminationReason = RequireReason(reason, "A termination states its reason");
        TerminatedAt = now;
        TerminatedBy = by;
        TerminationNoticeId = noticeId;
        Stage = GrantStage.Terminated;
        Version++;
    }

    internal static string RequireReason(string? reason, string what)
    {
        var text = (reason ?? string.Empty).Trim();
        if (text.Length is 0 or > MaxReasonLength)
        {
            throw new DomainRuleException(GrantRules.ReasonRequired, $"{what} (at most {MaxReasonLength} characters).");
        }

        return text;
    }

    public void Announce(Guid noticeId, DateTimeOffset now)
    {
        Require(GrantStage.Submitted);
        NoticeId = noticeId;
        NoticePublishedAt = now;
        Stage = GrantStage.Announced;
        Version++;
    }

    public void RecordSale(Guid winnerEntityId, string winnerName, int winnerNumber, decimal price, DateTimeOffset closedAt, DateTimeOffset resultDueAt)
    {
        Require(GrantStage.Announced);
        WinnerEntityId = winnerEntityId;
        WinnerName = winnerName;
        WinnerNumber = winnerNumber;
        Price = price;
        ClosedAt = closedAt;
        ResultDueAt = resultDueAt;
        Stage = GrantStage.Sold;
        Version++;
    }

    public void RecordNoSale(string reason, Guid noticeId, DateTimeOffset closedAt)
    {
        Require(GrantStage.Announced);
        NoSaleReason = reason;
        NoSaleNoticeId = noticeId;
        ClosedAt = closedAt;
        Stage = GrantStage.NoSale;
        Version++;
    }

    public void AttachConfirmation(Guid issuedId, Guid documentId)
    {
        ConfirmationId = issuedId;
        ConfirmationDocumentId = documentId;
        Version++;
    }

    public void SignAsGrantor(string by, DateTimeOffset now)
    {
        RequireSigning();
        if (GrantorSignedAt is not null)
        {
            throw new DomainRuleException(GrantRules.AlreadySigned, "The grantor has already signed the confirmation.");
        }

        GrantorSignedAt = now;
        GrantorSignedBy = by;
        Version++;
    }

    public void SignAsWinner(string by, DateTimeOffset now)
    {
        RequireSigning();
        if (WinnerSignedAt is not null)
        {
            throw new DomainRuleException(GrantRules.AlreadySigned, "The winner has already signed the confirmation.");
        }

        WinnerSignedAt = now;
        WinnerSignedBy = by;
        Version++;
    }

    public void MarkDepositConverted(DateTimeOffset now)
    {
        DepositConvertedAt = now;
        Version++;
    }

    public void PublishResult(Guid noticeId, DateTimeOffset now)
    {
        Require(GrantStage.Sold);
        ResultNoticeId = noticeId;
        ResultPublishedAt = now;
        Stage = GrantStage.ResultPublished;
        Version++;
    }

    public void MarkResultOverdue(DateTimeOffset now)
    {
        ResultOverdueAt ??= now;
        Version++;
    }

    private void RequireSigning()
    {
        if (Stage is not (GrantStage.Sold or GrantStage.ResultPublished) || ConfirmationId is null)
        {
            throw new DomainRuleException(GrantRules.WrongStage, "Only a sold lot's confirmation (成交确认书) is signed.");
        }
    }

    /// <summary>The grantor edits and submits a draft, or a returned offering.</summary>
    private void RequireEditable()
    {
        if (Stage is not (GrantStage.Draft or GrantStage.Returned))
        {
            throw new DomainRuleException(GrantRules.NotDraft, $"Offering {ProjectCode} is {Stage}: only a draft or a returned offering is changed and submitted.");
        }
    }

    private void Require(GrantStage stage)
    {
        if (Stage != stage)
        {
            throw new DomainRuleException(stage == GrantStage.Draft ? GrantRules.NotDraft : GrantRules.WrongStage,
                $"Offering {ProjectCode} is {Stage}, not {stage}.");
        }
    }
}

public enum GrantApplicationState
{
    /// <summary>Applied; the deposit and the eligibility are checked by staff.</summary>
    Pending,

    /// <summary>Eligible: admitted to the lot under a bidder number.</summary>
    Approved,

    Rejected,

    /// <summary>Still pending when the sale was terminated (终止): never decided; its deposit is refunded.</summary>
    Closed,

    /// <summary>Still pending when the bidding closed (sold or 流拍): never admitted, so it took no part; its deposit is refunded.</summary>
    NotAdmitted,
}

/// <summary>竞买申请: an entity (company or natural person) applies for an offering; staff confirm its eligibility.</summary>
public sealed class GrantApplication
{
    public const int MaxReasonLength = GrantOffering.MaxReasonLength;

    private GrantApplication()
    {
    }

    public Guid Id { get; private set; }

    public Guid OfferingId { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid SectionId { get; private set; }

    public Guid EntityId { get; private set; }

    public string EntityName { get; private set; } = string.Empty;

    public DateTimeOffset AppliedAt { get; private set; }

    public string AppliedBy { get; private set; } = string.Empty;

    public GrantApplicationState State { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? DecidedBy { get; private set; }

    public string? Reason { get; private set; }

    public int? BidderNumber { get; private set; }

    public static GrantApplication Apply(GrantOffering offering, Guid entityId, string entityName, DateTimeOffset now, string by)
    {
        ArgumentNullException.ThrowIfNull(offering);
        return new GrantApplication
        {
            Id = Guid.CreateVersion7(now),
            OfferingId = offering.Id,
            ProjectId = offering.ProjectId,
            SectionId = offering.SectionId,
            EntityId = entityId,
            EntityName = entityName,
            AppliedAt = now,
            AppliedBy = by,
            State = GrantApplicationState.Pending,
        };
    }

    public void Approve(string by, DateTimeOffset now)
    {
        RequirePending();
        State = GrantApplicationState.Approved;
        DecidedAt = now;
        DecidedBy = by;
    }

    public void Reject(string reason, string by, DateTimeOffset now)
    {
        RequirePending();
        var text = GrantOffering.RequireReason(reason, "A rejection states its reason");
        State = GrantApplicationState.Rejected;
        Reason = text;
        DecidedAt = now;
        DecidedBy = by;
    }

    public void Admitted(int number) => BidderNumber = number;

    /// <summary>The sale was terminated while this application waited for staff's decision.</summary>
    public void Close(string reason, DateTimeOffset now)
    {
        RequirePending();
        State = GrantApplicationState.Closed;
        Reason = reason;
        DecidedAt = now;
        DecidedBy = GrantService.ProcedureActor;
    }

    /// <summary>Why an application still pending at the close was not admitted (the procedure's, in both languages).</summary>
    public const string NotAdmittedReason = "竞价结束时竞买资格尚未确认，未获准参加竞价 / eligibility was not confirmed before the bidding closed";

    /// <summary>The bidding closed while this application waited for staff's decision: it took no part.</summary>
    public void SettleAsNotAdmitted(DateTimeOffset now)
    {
        RequirePending();
        State = GrantApplicationState.NotAdmitted;
        Reason = NotAdmittedReason;
        DecidedAt = now;
        DecidedBy = GrantService.ProcedureActor;
    }

    private void RequirePending()
    {
        if (State != GrantApplicationState.Pending)
        {
            throw new DomainRuleException(GrantRules.AlreadyDecided, "This application was already decided.");
        }
    }
}

/// <summary>An application as a page shows it (<see cref="GrantService.ApplicationsForAsync"/>): the bidder number only where it may be seen.</summary>
public sealed record GrantApplicationView(
    Guid Id, Guid EntityId, string EntityName, DateTimeOffset AppliedAt, GrantApplicationState State, string? Reason, int? BidderNumber);

/// <summary>
/// A bidder's own application with its offering and its deposit sub-account (null before the account is opened), as the
/// bidder's workspace lists it (<see cref="GrantService.ApplicationsOfBidderAsync"/>). The bidder number is its own.
/// </summary>
public sealed record GrantBidderApplication(GrantOffering Offering, GrantApplicationView Application, Deposits.ParticipantDeposit? Deposit);

/// <summary>What comes next in an announced offering's schedule (<see cref="GrantService.NextMoment"/>).</summary>
public enum GrantMomentKind
{
    ApplicationDeadline,
    BiddingOpens,
    BiddingEnds,
}

public sealed record GrantMoment(GrantMomentKind Kind, DateTimeOffset At);

/// <summary>One step of an offering before its notice (<see cref="GrantService.HistoryAsync"/>): e.g. <c>offering.returned</c> with its reason.</summary>
public sealed record GrantHistoryEntry(DateTimeOffset At, string Action, string Actor, string? Reason);

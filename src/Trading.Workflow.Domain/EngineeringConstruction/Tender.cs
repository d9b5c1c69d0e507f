using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>Where a tender stands. Stored by name.</summary>
public enum TenderStage
{
    /// <summary>The tenderee prepares documents and dates; nothing is on sale.</summary>
    Preparing,

    /// <summary>Prequalification documents on sale and applications accepted.</summary>
    Prequalification,

    /// <summary>The tender documents are on sale (downloadable by verified entities).</summary>
    OnSale,

    /// <summary>The sale is over; bids are accepted until the deadline.</summary>
    BidsOpen,

    /// <summary>The deadline has passed: the opening is under way.</summary>
    Opening,

    /// <summary>The opening is closed; evaluation follows.</summary>
    Opened,

    /// <summary>Re-tender (重新招标): too few qualified applicants or bids.</summary>
    Retender,
}

/// <summary>
/// How far an opened tender went after its opening, from what the award part and the archive hold (the tender's own
/// stage stops at <see cref="TenderStage.Opened"/>).
/// </summary>
public enum TenderProgress
{
    /// <summary>中标候选人公示.</summary>
    CandidatesPublished,

    /// <summary>定标: the winners are chosen and notified.</summary>
    Awarded,

    /// <summary>Every section's signed contract is uploaded.</summary>
    ContractsSigned,

    /// <summary>The procedure ended and the project is archived (read only).</summary>
    Archived,

    /// <summary>The last step is done and the engine's archive job is queued (or retrying after a failure).</summary>
    Archiving,

    /// <summary>The archive job failed for good: an incident waits for the centre's staff to retry it.</summary>
    ArchiveFailed,
}

/// <summary>The method of an engineering tender.</summary>
public enum TenderKind
{
    /// <summary>公开招标.</summary>
    Open,

    /// <summary>邀请招标 (法 17): invitations to at least 3 verified entities.</summary>
    Invited,
}

/// <summary>An entity invited to an invited tender, named as it was verified at invitation.</summary>
public sealed record TenderInvitation(Guid EntityId, string Name);

/// <summary>What the tenderee sets for its tender: documents and dates, checked against <see cref="TenderRules"/>.</summary>
public sealed record TenderSchedule(
    IReadOnlyList<Guid> TenderDocumentIds,
    Guid? BillOfQuantitiesId,
    DateTimeOffset SaleStartsAt,
    DateTimeOffset SaleEndsAt,
    DateTimeOffset BidDeadline,
    bool Prequalification = false,
    DateTimeOffset? PrequalificationSaleStartsAt = null,
    DateTimeOffset? PrequalificationSaleEndsAt = null,
    DateTimeOffset? PrequalificationApplicationDeadline = null);

/// <summary>
/// 招标 of one engineering-construction project: its method, its documents, the dates the law constrains (sale, bid
/// deadline), invitations, prequalification results, and how it ended at the deadline. One per project (key = project
/// id); the procedure reads its dates, never keeps them itself.
/// </summary>
public sealed class Tender
{
    public const int MaxReasonLength = 2000;

    private List<Guid> _documentIds = [];
    private List<TenderInvitation> _invitations = [];
    private List<Guid> _qualified = [];

    private Tender()
    {
    }

    public Guid ProjectId { get; private set; }

    public string ProjectCode { get; private set; } = string.Empty;

    public string ProjectName { get; private set; } = string.Empty;

    public Guid CentreId { get; private set; }

    public Guid OwnerEntityId { get; private set; }

    public Guid? AgencyEntityId { get; private set; }

    public TenderKind Kind { get; private set; }

    public TenderStage Stage { get; private set; }

    public IReadOnlyList<Guid> DocumentIds => _documentIds;

    public Guid? BillOfQuantitiesId { get; private set; }

    public DateTimeOffset SaleStartsAt { get; private set; }

    public DateTimeOffset SaleEndsAt { get; private set; }

    /// <summary>The bid deadline in force (moved by clarifications that came too late, 法 23).</summary>
    public DateTimeOffset BidDeadline { get; private set; }

    /// <summary>The deadline first set, for the record.</summary>
    public DateTimeOffset OriginalBidDeadline { get; private set; }

    /// <summary>
    /// The opening time the tenderee announced after answering an objection once the deadline had passed (条例 22 hold);
    /// it counts only while later than the deadline in force (a clarification that moved the deadline beyond it voids it).
    /// </summary>
    public DateTimeOffset? OpeningAt { get; private set; }

    /// <summary>When the bids are opened: the deadline (法 34), or the later opening time announced after a hold.</summary>
    public DateTimeOffset OpeningTime => AnnouncedOpening ?? BidDeadline;

    /// <summary>The announced opening time still in force, or null.</summary>
    public DateTimeOffset? AnnouncedOpening => OpeningAt is { } at && at > BidDeadline ? at : null;

    /// <summary>When the tender documents were first issued: the start of their sale.</summary>
    public DateTimeOffset? DocumentsIssuedAt { get; private set; }

    public bool Prequalification { get; private set; }

    public DateTimeOffset? PrequalificationSaleStartsAt { get; private set; }

    public DateTimeOffset? PrequalificationSaleEndsAt { get; private set; }

    public DateTimeOffset? PrequalificationApplicationDeadline { get; private set; }

    public IReadOnlyList<TenderInvitation> Invitations => _invitations;

    /// <summary>Entities that passed prequalification (资格预审合格).</summary>
    public IReadOnlyList<Guid> Qualified => _qualified;

    public bool PrequalificationReviewed { get; private set; }

    public int? BidCount { get; private set; }

    /// <summary>Why the tender is held again (rule code and message), when it is.</summary>
    public string? RetenderRule { get; private set; }

    public string? RetenderReason { get; private set; }

    public string ScheduledBy { get; private set; } = string.Empty;

    public DateTimeOffset UpdatedAt { get; private set; }

    public int Version { get; private set; }

    public static Tender Create(Guid projectId, string projectCode, string projectName, Guid centreId, Guid ownerEntityId, Guid? agencyEntityId, TenderKind kind, DateTimeOffset now) =>
        new()
        {
            ProjectId = projectId,
            ProjectCode = projectCode,
            ProjectName = projectName,
            CentreId = centreId,
            OwnerEntityId = ownerEntityId,
            AgencyEntityId = agencyEntityId,
            Kind = kind,
            Stage = TenderStage.Preparing,
            UpdatedAt = now,
            Version = 1,
        };

    public bool IsScheduled => _documentIds.Count > 0 && BidDeadline != default;

    /// <summary>
    /// Sets documents and dates while preparing (nothing is on sale yet, so every sale starts now or later): every limit is
    /// checked before anything changes.
    /// </summary>
    public void Schedule(TenderSchedule schedule, TenderLimits limits, IBusinessCalendar calendar, string actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        RequireStage(TenderStage.Preparing);
        if (schedule.TenderDocumentIds.Count == 0)
        {
            throw new DomainRuleException(TenderRules.DocumentsRequired, "Upload the tender documents before setting the dates (条例 15).");
        }

        if (schedule.Prequalification && schedule.PrequalificationSaleStartsAt is { } pqSaleStart)
        {
            TenderRules.CheckSaleStartsAhead(pqSaleStart, now);
        }

        TenderRules.CheckSaleStartsAhead(schedule.SaleStartsAt, now);
        TenderRules.CheckSalePeriod(schedule.SaleStartsAt, schedule.SaleEndsAt, limits, calendar);
        TenderRules.CheckBidDeadline(schedule.SaleStartsAt, schedule.SaleEndsAt, schedule.BidDeadline, limits, calendar);
        if (schedule.Prequalification)
        {
            if (schedule.PrequalificationSaleStartsAt is not { } pqStart || schedule.PrequalificationSaleEndsAt is not { } pqEnd
                || schedule.PrequalificationApplicationDeadline is not { } pqDeadline)
            {
                throw new DomainRuleException(TenderRules.PrequalificationDatesRequired, "A tender with prequalification names its documents' sale and its application deadline (条例 17).");
            }

            TenderRules.CheckPrequalification(pqStart, pqEnd, pqDeadline, limits, calendar);
            if (schedule.SaleStartsAt < pqDeadline)
            {
                throw new DomainRuleException(TenderRules.SaleBeforePrequalification, "The tender documents go on sale after the prequalification applications are due.");
            }
        }

        if (Kind == TenderKind.Invited && _invitations.Count < limits.MinimumBidders)
        {
            throw new DomainRuleException(TenderRules.TooFewInvitees,
                $"An invited tender invites at least {limits.MinimumBidders} verified entities (法 17) before its documents are issued.");
        }

        _documentIds = [.. schedule.TenderDocumentIds.Distinct()];
        BillOfQuantitiesId = schedule.BillOfQuantitiesId;
        SaleStartsAt = schedule.SaleStartsAt;
        SaleEndsAt = schedule.SaleEndsAt;
        BidDeadline = schedule.BidDeadline;
        OriginalBidDeadline = schedule.BidDeadline;
        Prequalification = schedule.Prequalification;
        PrequalificationSaleStartsAt = schedule.PrequalificationSaleStartsAt;
        PrequalificationSaleEndsAt = schedule.PrequalificationSaleEndsAt;
        PrequalificationApplicationDeadline = schedule.PrequalificationApplicationDeadline;
        ScheduledBy = actor;
        Touch(now);
    }

    /// <summary>Invitations of an invited tender (法 17): at least 3 verified entities, while preparing.</summary>
    public void Invite(IReadOnlyList<Invitee> invitees, TenderLimits limits, DateTimeOffset now)
    {
        RequireStage(TenderStage.Preparing);
        if (Kind != TenderKind.Invited)
        {
            throw new DomainRuleException(TenderRules.NotInvited, "Only an invited tender sends invitations.");
        }

        TenderRules.CheckInvitations(invitees, limits);
        _invitations = [.. invitees.DistinctBy(i => i.EntityId).Select(i => new TenderInvitation(i.EntityId, i.Name))];
        Touch(now);
    }

    public void StartPrequalification(DateTimeOffset now)
    {
        RequireScheduled();
        RequireStage(TenderStage.Preparing);
        Stage = TenderStage.Prequalification;
        Touch(now);
    }

    /// <summary>The prequalification review's result (条例 19): who qualified; fewer than 3 re-tenders.</summary>
    public TenderOutcome? RecordPrequalification(IReadOnlyList<Guid> qualified, TenderLimits limits, DateTimeOffset now)
    {
        RequireStage(TenderStage.Prequalification);
        _qualified = [.. qualified.Distinct()];
        PrequalificationReviewed = true;
        Touch(now);
        return TenderRules.AfterPrequalification(_qualified.Count, limits);
    }

    /// <summary>
    /// The documents are issued: the sale starts (the 5 日 of 条例 16 and the 20 日 of 法 24 run from here). When the
    /// procedure reaches the sale later than its set start (a long prequalification review, a suspension), the sale
    /// starts now and its end and the bid deadline move out as far as the law needs; what moved is returned for the
    /// record, null when nothing did.
    /// </summary>
    public SaleDatesMoved? OpenSale(DateTimeOffset now, TenderLimits limits, IBusinessCalendar calendar)
    {
        RequireScheduled();
        if (Stage is not (TenderStage.Preparing or TenderStage.Prequalification))
        {
            throw new DomainRuleException(TenderRules.WrongStage, $"Tender {ProjectCode} is {Stage}; its documents are already issued.");
        }

        SaleDatesMoved? moved = null;
        if (DocumentsIssuedAt is null && now > SaleStartsAt + TenderRules.SaleStartTolerance)
        {
            var (end, deadline) = TenderRules.DatesForLateSale(now, SaleEndsAt, BidDeadline, limits, calendar);
            moved = new SaleDatesMoved(SaleStartsAt, SaleEndsAt, BidDeadline, now, end, deadline);
            SaleStartsAt = now;
            SaleEndsAt = end;
            BidDeadline = deadline;
        }

        Stage = TenderStage.OnSale;
        DocumentsIssuedAt ??= now;
        Touch(now);
        return moved;
    }

    public void CloseSale(DateTimeOffset now)
    {
        RequireStage(TenderStage.OnSale);
        Stage = TenderStage.BidsOpen;
        Touch(now);
    }

    /// <summary>True while verified entities may download the documents.</summary>
    public bool IsOnSale(DateTimeOffset now) => Stage == TenderStage.OnSale && now >= SaleStartsAt && now < SaleEndsAt;

    /// <summary>May this entity take part (open tender: any verified entity; invited: the invited; with prequalification: the qualified)?</summary>
    public bool Admits(Guid entityId) =>
        (Kind == TenderKind.Open || _invitations.Any(i => i.EntityId == entityId))
        && (!Prequalification || _qualified.Contains(entityId));

    /// <summary>May this entity apply for prequalification (open tender: any verified entity; invited: the invited)?</summary>
    public bool MayApply(Guid entityId) => Kind == TenderKind.Open || _invitations.Any(i => i.EntityId == entityId);

    /// <summary>True while prequalification applications are taken (until the application deadline).</summary>
    public bool TakesApplications(DateTimeOffset now) =>
        Stage == TenderStage.Prequalification && !PrequalificationReviewed && PrequalificationApplicationDeadline is { } deadline && now < deadline;

    /// <summary>A clarification moved the deadline out (never in).</summary>
    public void MoveDeadline(DateTimeOffset deadline, DateTimeOffset now)
    {
        // A clarification (法 23) clarifies tender documents already issued: before the sale there is nothing to clarify,
        // the tenderee changes the documents and dates themselves.
        if (Stage is TenderStage.Preparing or TenderStage.Prequalification)
        {
            throw new DomainRuleException(TenderRules.DocumentsNotIssued, $"Tender {ProjectCode} is {Stage}: its tender documents are not issued yet.");
        }

        if (Stage is not (TenderStage.OnSale or TenderStage.BidsOpen))
        {
            throw new DomainRuleException(TenderRules.WrongStage, $"Tender {ProjectCode} is {Stage}: its deadline has passed.");
        }

        if (deadline < BidDeadline)
        {
            throw new DomainRuleException(TenderRules.ExtendedDeadlineTooEarly, "A clarification can move the bid deadline out, never in (法 23).");
        }

        BidDeadline = deadline;
        if (SaleEndsAt > deadline)
        {
            SaleEndsAt = deadline;
        }

        Touch(now);
    }

    /// <summary>
    /// Demo projects only (<see cref="EngineeringDemoTimerDates"/>): the sale starts now, as when the demo fires its
    /// timer early, so the documents can be downloaded at once (the download reads the sale's dates, not the stage).
    /// False when the sale's start is not ahead (nothing to move).
    /// </summary>
    public bool SaleStartsNowForDemo(DateTimeOffset now)
    {
        // After a prequalification the sale follows the review, still in that stage.
        if (!(Stage is TenderStage.Preparing || (Stage is TenderStage.Prequalification && PrequalificationReviewed)) || SaleStartsAt <= now)
        {
            return false;
        }

        SaleStartsAt = now;
        Touch(now);
        return true;
    }

    /// <summary>
    /// Demo projects only (<see cref="EngineeringDemoTimerDates"/>): the announced opening time is now, as when the demo
    /// fires the opening timer early. False when no opening time ahead was announced (nothing to move).
    /// </summary>
    public bool OpeningNowForDemo(DateTimeOffset now)
    {
        if (Stage is not (TenderStage.OnSale or TenderStage.BidsOpen) || AnnouncedOpening is not { } at || at <= now)
        {
            return false;
        }

        OpeningAt = now;
        Touch(now);
        return true;
    }

    /// <summary>
    /// Demo projects only (<see cref="EngineeringDemoTimerDates"/>): the prequalification applications close now, as when
    /// the demo fires their deadline's timer early, so the review it opens may start (it waits for the deadline); a sale
    /// of the prequalification documents still running ends with it. False when the deadline is not ahead.
    /// </summary>
    public bool ApplicationsCloseNowForDemo(DateTimeOffset now)
    {
        if (Stage is not TenderStage.Prequalification || PrequalificationReviewed || PrequalificationApplicationDeadline is not { } deadline || deadline <= now)
        {
            return false;
        }

        PrequalificationApplicationDeadline = now;
        if (PrequalificationSaleEndsAt > now)
        {
            PrequalificationSaleEndsAt = now;
        }

        Touch(now);
        return true;
    }

    /// <summary>
    /// Demo projects only (<see cref="EngineeringDemoTimerDates"/>): the deadline is now, as when the demo fires its
    /// timer early; a sale still running ends with it. False when the deadline is not ahead (nothing to move).
    /// </summary>
    public bool DeadlineNowForDemo(DateTimeOffset now)
    {
        if (Stage is not (TenderStage.OnSale or TenderStage.BidsOpen) || BidDeadline <= now)
        {
            return false;
        }

        SaleEndsAt = SaleEndsAt < now ? SaleEndsAt : now;
        BidDeadline = now;
        Touch(now);
        return true;
    }

    /// <summary>
    /// Demo projects only (<see cref="TenderDemoSchedule"/>): compresses the dates to minutes so a newcomer can walk the
    /// tender in one sitting. Not held to the statutory periods; the sale and deadline stay in order.
    /// </summary>
    public void CompressForDemo(DateTimeOffset saleStartsAt, DateTimeOffset saleEndsAt, DateTimeOffset deadline, DateTimeOffset now)
    {
        RequireScheduled();
        if (Stage is not (TenderStage.Preparing or TenderStage.OnSale or TenderStage.BidsOpen))
        {
            throw new DomainRuleException(TenderRules.WrongStage, $"Tender {ProjectCode} is {Stage}: its deadline has passed.");
        }

        if (saleEndsAt < saleStartsAt || deadline < saleEndsAt || deadline <= now)
        {
            throw new DomainRuleException(TenderRules.DeadlineBeforeSaleEnd, "The sale starts, ends, and the deadline follows it, in the future.");
        }

        // A sale not yet started starts now or later; one already started may keep its start, never move to another past one.
        if (Stage == TenderStage.Preparing || saleStartsAt != SaleStartsAt)
        {
            TenderRules.CheckSaleStartsAhead(saleStartsAt, now);
        }

        // The compressed dates are the demo's schedule, not a change the portal reports, unless a clarification moved it.
        if (OriginalBidDeadline == BidDeadline)
        {
            OriginalBidDeadline = deadline;
        }

        SaleStartsAt = saleStartsAt;
        SaleEndsAt = saleEndsAt;
        BidDeadline = deadline;
        Touch(now);
    }

    /// <summary>
    /// Whether the deadline in force has already been recorded (<see cref="ReachDeadline"/> ran): the tender went on to
    /// the opening, or from it to the opened stage or a re-tender. The deadline no longer moves once reached, so a second
    /// firing of the deadline step is the same deadline.
    /// </summary>
    public bool DeadlineRecorded => BidCount is not null && Stage is TenderStage.Opening or TenderStage.Opened or TenderStage.Retender;

    /// <summary>The deadline has come: the opening starts with <paramref name="bids"/> bids, or the tender is held again (条例 44).</summary>
    public TenderOutcome? ReachDeadline(int bids, TenderLimits limits, DateTimeOffset now)
    {
        if (Stage is not (TenderStage.OnSale or TenderStage.BidsOpen))
        {
            throw new DomainRuleException(TenderRules.WrongStage, $"Tender {ProjectCode} is {Stage}, not waiting for its deadline.");
        }

        if (now < OpeningTime)
        {
            throw new DomainRuleException(TenderRules.DeadlineNotReached, $"The bids of {ProjectCode} are opened at {OpeningTime:O}; it has not come yet.");
        }

        BidCount = bids;
        Stage = TenderStage.Opening;
        Touch(now);
        return TenderRules.AtDeadline(bids, limits);
    }

    /// <summary>
    /// The tenderee announces when the bids are opened, the deadline having passed while an objection held the procedure
    /// (条例 22); at least <see cref="TenderLimits.OpeningNoticeDays"/> ahead. Whether the answer came late is the
    /// service's to check (it reads the objections).
    /// </summary>
    public void AnnounceOpening(DateTimeOffset openingAt, DateTimeOffset now, TenderLimits limits, IBusinessCalendar calendar)
    {
        if (Stage is not (TenderStage.OnSale or TenderStage.BidsOpen) || now < BidDeadline || AnnouncedOpening is not null)
        {
            throw new DomainRuleException(TenderRules.OpeningNotToAnnounce,
                $"Tender {ProjectCode} has no opening to announce: an opening time is announced once, after the deadline has passed while an objection held the procedure.");
        }

        TenderRules.CheckAnnouncedOpening(now, openingAt, limits, calendar);
        OpeningAt = openingAt;
        Touch(now);
    }

    public void MarkOpened(DateTimeOffset now)
    {
        RequireStage(TenderStage.Opening);
        Stage = TenderStage.Opened;
        Touch(now);
    }

    public void Retender(string rule, string reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rule);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (Stage is TenderStage.Retender or TenderStage.Opened)
        {
            throw new DomainRuleException(TenderRules.WrongStage, $"Tender {ProjectCode} is {Stage}.");
        }

        Stage = TenderStage.Retender;
        RetenderRule = rule;
        RetenderReason = reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength];
        Touch(now);
    }

    private void RequireScheduled()
    {
        if (!IsScheduled)
        {
            throw new DomainRuleException(TenderRules.NotScheduled, $"Tender {ProjectCode} has no documents and dates yet.");
        }
    }

    private void RequireStage(TenderStage stage)
    {
        if (Stage != stage)
        {
            throw new DomainRuleException(TenderRules.WrongStage, $"Tender {ProjectCode} is {Stage}, not {stage}.");
        }
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }
}

/// <summary>A sale opened after its set start: the dates before and after (the deadline moved when it no longer left 20 日).</summary>
public sealed record SaleDatesMoved(
    DateTimeOffset SaleStartsBefore, DateTimeOffset SaleEndsBefore, DateTimeOffset DeadlineBefore,
    DateTimeOffset SaleStartsAt, DateTimeOffset SaleEndsAt, DateTimeOffset BidDeadline)
{
    public bool DeadlineMoved => BidDeadline != DeadlineBefore;
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Grants;

/// <summary>Messages the grant procedures wait for.</summary>
public static class GrantMessages
{
    /// <summary>The lot closed in the bidding engine (sent by <see cref="GrantService.CorrelateClosedLotsAsync"/>).</summary>
    public const string LotClosed = "grant.lot-closed";

    /// <summary>Grantor and winner both signed the 成交确认书.</summary>
    public const string ConfirmationSigned = "grant.confirmation-signed";

    /// <summary>The grantor resubmitted a returned offering (a new lot made): the review comes back to staff.</summary>
    public const string Resubmitted = "grant.resubmitted";

    /// <summary>The grantor withdrew the offering before its notice: the procedure ends.</summary>
    public const string Withdrawn = "grant.withdrawn";

    /// <summary>The sale was terminated after its notice, before a result (终止): the procedure ends.</summary>
    public const string Terminated = "grant.terminated";
}

/// <summary>
/// A demo schedule counted from the submission (demo centres only): the sale opens after <paramref name="OpensIn"/> and
/// lasts <paramref name="Bidding"/>; <paramref name="Countdown"/>, when given, shortens a listing's timed phase and an
/// auction's extension (never beyond the province's settings).
/// </summary>
public sealed record GrantDemoSchedule(TimeSpan OpensIn, TimeSpan Bidding, TimeSpan? Countdown = null)
{
    public static GrantDemoSchedule Default { get; } = new(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(20));

    /// <summary>Why the schedule is out of range, or null: opens within a day, lasts 1 minute to a day, a countdown of 10 s or more.</summary>
    public string? Problem() =>
        OpensIn < TimeSpan.FromSeconds(10) || OpensIn > TimeSpan.FromDays(1) ? "A demo sale opens 10 seconds to a day after the submission."
        : Bidding < TimeSpan.FromMinutes(1) || Bidding > TimeSpan.FromDays(1) ? "A demo sale lasts 1 minute to a day."
        : Countdown is { } c && c < TimeSpan.FromSeconds(10) ? "A demo countdown lasts at least 10 seconds."
        : null;
}

/// <summary>
/// The shared grant path (出让) of land-use and mineral rights: the grantor's offering on a project of one section, its
/// submission (the reserve to the bidding engine, the procedure started), the notice, applications and deposits, staff's
/// eligibility decision (admission under a bidder number), the signing of the 成交确认书 and the winner's deposit counted
/// towards the price. Each command runs in its own transaction with its trail record; the procedure's steps are in
/// <see cref="GrantHandler"/>.
/// </summary>
public sealed class GrantService(
    ITradingDatabase database,
    IAuditTrail trail,
    ProjectService projects,
    IProjectParties parties,
    IEntityMembership membership,
    IParticipationEligibility eligibility,
    ParticipationService participations,
    DepositService deposits,
    DepositQueries depositQueries,
    BiddingEngine bidding,
    IWorkflowEngine engine,
    IBusinessCalendar calendar,
    IOptions<GrantOptions> options,
    TimeProvider clock,
    IDefinitionRepository definitions,
    SectionWarnings warnings,
    DocumentService documents)
{
    public const string ProcedureActor = "system:procedure";

    public GrantLimits LimitsFor(string tradeType) => options.Value.For(tradeType);

    public static string MethodOf(GrantMode mode) => mode switch
    {
        GrantMode.Listing => TradeMethods.Listing,
        GrantMode.Auction => TradeMethods.Auction,
        _ => TradeMethods.Tender,
    };

    // ---------------------------------------------------------------- the grantor

    /// <summary>The verified organisations the grantor acts for (the natural-resources bureau).</summary>
    public Task<IReadOnlyList<PartyRef>> GrantorEntitiesAsync(GrantActor actor, CancellationToken cancellationToken = default) =>
        parties.ActingForAsync(actor.AccountId, cancellationToken);

    public async Task<GrantOffering> CreateAsync(GrantActor actor, string tradeType, GrantOfferingInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        RequireGrantType(tradeType);
        GrantSchedule.CheckTerms(input, LimitsFor(tradeType));
        var projectActor = await ProjectActorAsync(actor, cancellationToken);
        var project = await projects.RegisterAsync(projectActor, ProjectInputOf(tradeType, input, null), cancellationToken);
        var section = project.Sections.Single();
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var offering = GrantOffering.Draft(project.Id, section.Id, project.Code, project.CentreId, tradeType, project.OwnerName, input, clock.GetUtcNow(), actor.UserName);
        db.Add(offering);
        await trail.AppendAsync(db, Record(actor.UserName, offering, "offering.drafted", new { mode = input.Mode.ToString(), input.StartPrice, input.Deposit, input.PriceCap, offering.AllowedMultiples }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return offering;
    }

    public async Task<GrantOffering> ReviseAsync(GrantActor actor, Guid offeringId, int expectedVersion, GrantOfferingInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var current = await RequireOwnAsync(actor, offeringId, cancellationToken);
        Expect(current, expectedVersion);
        GrantSchedule.CheckTerms(input, LimitsFor(current.TradeType));
        if (current.Stage == GrantStage.Returned)
        {
            // The submitted project (its code, section, deposit account) stays as registered: only the offering changes.
            RequireProjectTermsKept(current, input);
        }
        else
        {
            var projectActor = await ProjectActorAsync(actor, cancellationToken);
            var revision = await ProjectRevisionAsync(current.ProjectId, cancellationToken);
            await projects.ReviseAsync(projectActor, current.ProjectId, revision, ProjectInputOf(current.TradeType, input, current.SectionId), cancellationToken);
        }

        return await ChangeAsync(offeringId, expectedVersion, async (db, offering) =>
        {
            offering.Revise(input);
            await trail.AppendAsync(db, Record(actor.UserName, offering, "offering.revised", new { mode = input.Mode.ToString(), input.StartPrice, input.Deposit, input.PriceCap, offering.AllowedMultiples }), cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Submits the offering: the dates are checked against a notice today (the notice days before the start, the listing's
    /// working days, the application deadline), the lot is created in the bidding engine with the confidential reserve
    /// (never stored here), and the procedure starts (the deposit of the section configured). <paramref name="demo"/>
    /// compresses the dates to minutes: demo centres only (the web refuses it in Production).
    /// </summary>
    public async Task<GrantOffering> SubmitAsync(GrantActor actor, Guid offeringId, int expectedVersion, decimal? reserve, GrantDemoSchedule? demo = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var offering = await RequireOwnAsync(actor, offeringId, cancellationToken);
        Expect(offering, expectedVersion);
        if (offering.Stage is not (GrantStage.Draft or GrantStage.Returned))
        {
            throw new DomainRuleException(GrantRules.NotDraft, $"Offering {offering.ProjectCode} was already submitted.");
        }

        var resubmission = offering.Stage == GrantStage.Returned;

        if (reserve is { } r && (r < offering.StartPrice || decimal.Round(r, 2) != r))
        {
            var invalid = new DomainRuleException(GrantRules.ReserveInvalid, $"The reserve (底价) is an amount in yuan with at most two decimals, not below the start price of {offering.StartPrice:N2}.");
            invalid.Data[GrantRules.DataStartPrice] = offering.StartPrice;
            throw invalid;
        }

        if (reserve > offering.PriceCap)
        {
            var aboveCap = new DomainRuleException(GrantRules.ReserveAboveCap, $"The reserve (底价) cannot be above the price cap of {offering.PriceCap:N2}: the sale could never reach it.");
            aboveCap.Data[GrantRules.DataPriceCap] = offering.PriceCap;
            throw aboveCap;
        }

        var limits = LimitsFor(offering.TradeType);
        var now = clock.GetUtcNow();
        if (demo is not null)
        {
            await RequireDemoCentreAsync(offering, cancellationToken);
            if (demo.Problem() is { } problem)
            {
                throw new DomainRuleException(GrantRules.DemoScheduleInvalid, problem);
            }

            offering = await ChangeAsync(offeringId, expectedVersion, async (db, o) =>
            {
                var opens = now + demo.OpensIn;
                var ends = opens + demo.Bidding;
                var before = new { o.ApplicationDeadline, o.BiddingOpens, o.BiddingEnds };
                o.CompressForDemo(o.Mode == GrantMode.Listing ? ends - TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, demo.Bidding.Ticks / 2)) : opens, opens, ends);
                await trail.AppendAsync(db, Record(actor.UserName, o, "offering.demo-compressed",
                    new { demo = true, before, o.ApplicationDeadline, o.BiddingOpens, o.BiddingEnds }), cancellationToken);
            }, cancellationToken);
            expectedVersion = offering.Version;
        }
        else
        {
            GrantSchedule.CheckDates(offering.Input, now, limits, calendar);
        }

        // A new lot each submission (a returned earlier one is shelved, never to close and reveal its reserve): the lot's
        // terms are fixed when it is made and a resubmission may have changed them, so the reserve is given again.
        if (resubmission)
        {
            await ShelveLotAsync(offering, "grants.offering.resubmitted", actor.UserName, cancellationToken);
        }

        var lotId = await bidding.CreateLotAsync(new LotDefinition(offering.SectionId, offering.ProjectId, offering.Title, LotSettingsOf(offering, limits, demo?.Countdown), reserve), actor.UserName, cancellationToken);

        offering = await ChangeAsync(offeringId, expectedVersion, async (db, o) =>
        {
            o.Submit(lotId, now, reserve is not null);
            await trail.AppendAsync(db, Record(actor.UserName, o, resubmission ? "offering.resubmitted" : "offering.submitted",
                new { lotId, reserveCommitted = reserve is not null, o.ApplicationDeadline, o.BiddingOpens, o.BiddingEnds }), cancellationToken);
        }, cancellationToken);

        try
        {
            if (resubmission)
            {
                // The procedure waits for it since the return; grantPrepare links the new lot and the review opens again.
                await engine.CorrelateMessageAsync(new MessageCorrelation(GrantMessages.Resubmitted) { BusinessKey = offering.ProjectCode, UserId = actor.UserName }, cancellationToken);
            }
            else
            {
                var projectActor = await ProjectActorAsync(actor, cancellationToken);
                await projects.SubmitAsync(projectActor, offering.ProjectId, await ProjectRevisionAsync(offering.ProjectId, cancellationToken), cancellationToken);
            }
        }
        catch
        {
            // The lot made for this submission is left behind: it must not close and reveal the reserve either.
            await bidding.ShelveAsync(lotId, "grants.offering.submission-failed", actor.UserName, CancellationToken.None);
            await ChangeAsync(offeringId, offering.Version, async (db, o) =>
            {
                o.RevertSubmission();
                await trail.AppendAsync(db, Record(actor.UserName, o, "offering.submission-failed", new { lotId }), cancellationToken);
            }, CancellationToken.None);
            throw;
        }

        return offering;
    }

    /// <summary>
    /// The engine's sale parameters of an offering (the reserve is passed apart): the grantor's price cap and allowed
    /// multiples with the province's windows after the cap (a listing or auction; a tender is one sealed offer).
    /// </summary>
    public static LotSettings LotSettingsOf(GrantOffering offering, GrantLimits limits, TimeSpan? demoCountdown = null)
    {
        ArgumentNullException.ThrowIfNull(offering);
        ArgumentNullException.ThrowIfNull(limits);
        TimeSpan Window(int minutes) => demoCountdown is { } shorter && shorter < TimeSpan.FromMinutes(minutes) ? shorter : TimeSpan.FromMinutes(minutes);

        var settings = offering.Mode switch
        {
            GrantMode.Listing => new LotSettings(BiddingMode.Listing, offering.StartPrice, offering.Increment, offering.AllowedMultiples, offering.BiddingOpens, offering.BiddingEnds,
                Window(limits.CountdownMinutes), TimeSpan.Zero, MinimumBidders: 2),
            GrantMode.Auction => new LotSettings(BiddingMode.Ascending, offering.StartPrice, offering.Increment, offering.AllowedMultiples, offering.BiddingOpens, offering.BiddingEnds,
                TimeSpan.Zero, Window(limits.ExtensionMinutes), MinimumBidders: 1),
            _ => new LotSettings(BiddingMode.Sealed, offering.StartPrice, offering.Increment, [], offering.BiddingOpens, offering.BiddingEnds,
                TimeSpan.Zero, TimeSpan.Zero, MinimumBidders: 1),
        };
        return offering.PriceCap is { } cap && offering.Mode != GrantMode.Tender
            ? settings with { PriceCap = cap, CapMatchWindow = Window(limits.CapMatchMinutes), SealedRoundLength = Window(limits.SealedRoundMinutes) }
            : settings;
    }

    /// <summary>Whether the notice may be published now (staff's review shows the rule's message before completing it).</summary>
    public void CheckPublishable(GrantOffering offering, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(offering);
        if (offering.Stage != GrantStage.Submitted)
        {
            throw new DomainRuleException(GrantRules.WrongStage, $"Offering {offering.ProjectCode} is {offering.Stage}: its notice is published once, after submission.");
        }

        if (offering.DemoSchedule && at >= offering.ApplicationDeadline)
        {
            // Published now, the notice would invite applications no one can make any more: the sale would close unsold.
            var lapsed = new DomainRuleException(GrantRules.DemoScheduleLapsed,
                $"The demo schedule of {offering.ProjectCode} has lapsed: applications closed at {GrantSchedule.Local(offering.ApplicationDeadline)}.");
            lapsed.Data[GrantRules.DataDeadline] = offering.ApplicationDeadline;
            throw lapsed;
        }

        if (at >= offering.BiddingOpens)
        {
            throw NoticeAfterOpening(offering);
        }

        if (!offering.DemoSchedule)
        {
            GrantSchedule.CheckDates(offering.Input, at, LimitsFor(offering.TradeType), calendar);
        }
    }

    /// <summary>
    /// The notice came too late: the opening time passed first, so the lot was shelved (<see cref="GrantLotOpeningGate"/>)
    /// and only a return to the grantor, for new dates and a new lot, lets the sale go ahead.
    /// </summary>
    internal static DomainRuleException NoticeAfterOpening(GrantOffering offering)
    {
        var error = new DomainRuleException(GrantRules.NoticeAfterOpening,
            $"The bidding of {offering.ProjectCode} was to open at {GrantSchedule.Local(offering.BiddingOpens)} and its notice was not published by then: the sale did not open. Return the offering to the grantor to set new dates.");
        error.Data[GrantRules.DataDeadline] = offering.BiddingOpens;
        return error;
    }

    /// <summary>
    /// Whether the sale did not open because its notice was not published in time: the offering still submitted and its
    /// lot shelved (by <see cref="GrantLotOpeningGate"/> at the opening time; a return or withdrawal changes the stage).
    /// </summary>
    public async Task<bool> ShelvedUnannouncedAsync(GrantOffering offering, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offering);
        return offering is { Stage: GrantStage.Submitted, LotId: { } lotId }
            && (await bidding.Store.FindLotAsync(lotId, cancellationToken))?.Phase == LotPhase.Shelved;
    }

    // ---------------------------------------------------------------- return and withdrawal

    /// <summary>
    /// 退回修改: staff of the offering's centre send a submitted offering back to the grantor with a reason (shown to it),
    /// by completing the open <c>reviewOffering</c> task with the decision; <see cref="GrantReturnHandler"/> records it in
    /// that same command. The grantor corrects the offering and resubmits it (<see cref="SubmitAsync"/>), which brings
    /// the review back. A returned offering is not public and takes no applications.
    /// </summary>
    public async Task<GrantOffering> ReturnAsync(GrantActor actor, Guid offeringId, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var offering = await GetAsync(offeringId, cancellationToken) ?? throw new DomainRuleException(GrantRules.NotFound, $"No offering {offeringId}.");
        if (!actor.IsStaffOf(offering.CentreId))
        {
            throw new DomainRuleException(GrantRules.NotAllowed, $"Only staff of the centre of {offering.ProjectCode} return it to the grantor.");
        }

        if (offering.Stage != GrantStage.Submitted)
        {
            throw new DomainRuleException(GrantRules.WrongStage, $"Offering {offering.ProjectCode} is {offering.Stage}: only a submitted offering under review is returned.");
        }

        var text = GrantOffering.RequireReason(reason, "A return states its reason");
        var instanceId = await InstanceIdAsync(offering, cancellationToken);
        // An instance of a procedure version without the return path (one started before it shipped, or on the older
        // version while an administrator has yet to publish the new one) would take the decision for a publication.
        // Its variables cannot tell: the handlers that set them are the current code whatever the version.
        if (!await HasHandlerAsync(instanceId, GrantReturnHandler.HandlerName, whenUnknown: false, cancellationToken))
        {
            throw new DomainRuleException(GrantRules.ProcedureOutdated, $"The procedure of {offering.ProjectCode} was started before offerings could be returned.");
        }

        var task = (await engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId }, cancellationToken)).FirstOrDefault(t => t.ElementId == ReviewTask)
            ?? throw new DomainRuleException(GrantRules.WrongStage, $"Offering {offering.ProjectCode} is not waiting for staff's review.");
        if (task.Assignee is { } assignee && assignee != actor.UserName)
        {
            throw new DomainRuleException(GrantRules.NotAllowed, $"The review of {offering.ProjectCode} is assigned to {assignee}.");
        }

        await engine.CompleteTaskAsync(task.Id, new Dictionary<string, object?>
        {
            [GrantVariables.ReviewDecision] = GrantVariables.Return,
            [GrantVariables.ReturnReason] = text,
            [GrantVariables.ReturnedBy] = actor.UserName,
        }, actor.UserName, cancellationToken);
        await ShelveLotAsync(offering, "grants.offering.returned", actor.UserName, cancellationToken);
        return (await GetAsync(offeringId, cancellationToken))!;
    }

    /// <summary>
    /// 撤回: the owner grantor withdraws its offering while under review or returned. The procedure gets
    /// <see cref="GrantMessages.Withdrawn"/> (a boundary event on the review, or the wait after a return) and ends through
    /// <see cref="GrantWithdrawHandler"/>, which records the withdrawal in that command: no task or timer is left. Once
    /// the notice is published it is refused with <see cref="GrantRules.AlreadyPublished"/>.
    /// </summary>
    public async Task<GrantOffering> WithdrawAsync(GrantActor actor, Guid offeringId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var offering = await RequireOwnAsync(actor, offeringId, cancellationToken);
        if (offering.Stage is not (GrantStage.Submitted or GrantStage.Returned))
        {
            throw offering.Stage == GrantStage.Draft
                ? new DomainRuleException(GrantRules.WrongStage, $"Offering {offering.ProjectCode} is a draft: it was never submitted.")
                : offering.NotWithdrawable();
        }

        if ((reason ?? string.Empty).Trim().Length > GrantOffering.MaxReasonLength)
        {
            throw new DomainRuleException(GrantRules.ReasonRequired, $"A reason has at most {GrantOffering.MaxReasonLength} characters.");
        }

        try
        {
            await engine.CorrelateMessageAsync(new MessageCorrelation(GrantMessages.Withdrawn)
            {
                BusinessKey = offering.ProjectCode,
                UserId = actor.UserName,
                Variables = new Dictionary<string, object?> { [GrantVariables.WithdrawnBy] = actor.UserName, [GrantVariables.WithdrawReason] = reason?.Trim() },
            }, cancellationToken);
        }
        catch (WorkflowNotFoundException)
        {
            // Staff published the notice meanwhile (the review's boundary event is gone), or the procedure predates withdrawals.
            var now = await GetAsync(offeringId, cancellationToken);
            throw now is { Stage: not (GrantStage.Submitted or GrantStage.Returned) }
                ? now.NotWithdrawable()
                : new DomainRuleException(GrantRules.ProcedureOutdated, $"The procedure of {offering.ProjectCode} was started before offerings could be withdrawn.");
        }

        await ShelveLotAsync(offering, "grants.offering.withdrawn", actor.UserName, cancellationToken);
        return (await GetAsync(offeringId, cancellationToken))!;
    }

    /// <summary>
    /// 终止: the sale ends after its notice and before a result, for a required reason (规划调整, 司法查封, 不可抗力...).
    /// The owner grantor asks, or staff of the offering's centre act on the grantor's written request, whose letter
    /// (终止申请函) they upload with it (<see cref="GrantRules.TerminationLetterRequired"/> without); nobody else
    /// (supervisors read). The request is recorded first (<see cref="RequestTerminationAsync"/>), then the lot is called
    /// off (<see cref="BiddingEngine.CallOffAsync"/>): it stops taking bids at once and never closes, so no result and no
    /// reserve come out of it (a sale whose end has passed closed with its result and is refused). Then
    /// <see cref="GrantMessages.Terminated"/> reaches the wait for the close and <see cref="GrantTerminateHandler"/>
    /// records the rest in that command; the procedure ends with nothing left. A stop in between is completed by
    /// <see cref="ResumeTerminationsAsync"/>, or by the user trying again.
    /// </summary>
    public async Task<GrantOffering> TerminateAsync(GrantActor actor, Guid offeringId, string? reason, GrantTerminationLetter? letter = null, CancellationToken cancellationToken = default)
    {
        var request = await RequestTerminationAsync(actor, offeringId, reason, letter, cancellationToken);
        try
        {
            return await CompleteTerminationAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is WorkflowNotFoundException or InstanceSuspendedException)
        {
            // Not "changed meanwhile": the user is told it is recorded and stuck, and the page says why.
            await RecordStallAsync(request, e, CancellationToken.None);
            throw new DomainRuleException(GrantRules.TerminationStalled,
                $"The termination of {request.ProjectCode} is recorded and its lot called off, but the procedure did not take it; it completes once the procedure runs again.");
        }
    }

    /// <summary>
    /// The first half of <see cref="TerminateAsync"/>: checks who, when and why, stores the letter as a document of the
    /// offering's project and section, and records the request, all in one transaction, before anything touches the lot.
    /// An open request is completed by <see cref="ResumeTerminationsAsync"/> if nobody finishes it.
    /// </summary>
    public async Task<GrantTerminationRequest> RequestTerminationAsync(GrantActor actor, Guid offeringId, string? reason, GrantTerminationLetter? letter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var offering = await GetAsync(offeringId, cancellationToken) ?? throw new DomainRuleException(GrantRules.NotFound, $"No offering {offeringId}.");
        var owner = await IsOwnerAsync(actor, offering, cancellationToken);
        if (!owner && !actor.IsStaffOf(offering.CentreId))
        {
            throw new DomainRuleException(GrantRules.NotAllowed, $"Only the grantor of {offering.ProjectCode}, or staff of its centre on the grantor's written request, terminate it.");
        }

        offering.RequireTerminable();
        var text = GrantOffering.RequireReason(reason, "A termination states its reason");
        var instanceId = await InstanceIdAsync(offering, cancellationToken);
        // A version without the path would leave the message unheard: refused before the lot is touched.
        if (!await HasHandlerAsync(instanceId, GrantTerminateHandler.HandlerName, whenUnknown: false, cancellationToken))
        {
            throw new DomainRuleException(GrantRules.TerminationUnsupported, $"The procedure of {offering.ProjectCode} was started before sales could be terminated.");
        }

        if (!owner && letter is null)
        {
            throw new DomainRuleException(GrantRules.TerminationLetterRequired, $"Staff terminate {offering.ProjectCode} only on the grantor's written request: upload its letter (终止申请函).");
        }

        var requestedAs = owner ? "grantor" : "staff";
        var now = clock.GetUtcNow();
        // The refunds it owes are due in working days (grantTerminate): a year the calendar cannot count is refused now,
        // before the lot is called off, not in the procedure afterwards.
        GrantSchedule.Counted(() => calendar.AddWorkingDays(now, LimitsFor(offering.TradeType).RefundWorkingDays));
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        Document? stored = null;
        if (letter is not null)
        {
            stored = await documents.UploadAsync(db, letter.Content, letter.FileName, new DocumentScope(offering.CentreId, offering.ProjectId, offering.SectionId),
                new DocumentActor(actor.UserName, actor.Roles, actor.CentreId), GrantTerminationLetter.Policy, cancellationToken: cancellationToken);
        }

        var request = await db.Set<GrantTerminationRequest>().SingleOrDefaultAsync(r => r.OfferingId == offering.Id, cancellationToken);
        if (request is null)
        {
            request = GrantTerminationRequest.Open(offering, actor.UserName, requestedAs, text, stored?.Id, now);
            db.Add(request);
        }
        else
        {
            request.Renew(actor.UserName, requestedAs, text, stored?.Id, now);
        }

        await trail.AppendAsync(db, Record(actor.UserName, offering, "termination.requested", new
        {
            reason = text,
            requestedAs,
            letter = stored is null ? null : new { documentId = stored.Id, name = stored.Name, sha256 = stored.Sha256, sm3 = stored.Sm3 },
        }), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another user's request for the same offering was recorded at that moment.
            throw new DomainRuleException(GrantRules.Changed, "The offering was changed meanwhile; reload it.");
        }

        await tx.CommitAsync(cancellationToken);
        return request;
    }

    /// <summary>
    /// Completes the open termination requests recorded at least <paramref name="settle"/> ago (a user's own is still
    /// under way before that): the lot called off if it is not yet, the message correlated with the recorded actor and
    /// reason. A request whose lot closed with its result first is closed as refused. Returns how many were completed;
    /// failures of single requests are thrown together after every request was tried.
    /// </summary>
    public async Task<int> ResumeTerminationsAsync(TimeSpan settle, CancellationToken cancellationToken = default)
    {
        var before = clock.GetUtcNow() - settle;
        List<GrantTerminationRequest> open;
        await using (var db = database.Create())
        {
            open = await db.Set<GrantTerminationRequest>().AsNoTracking().Where(r => r.CompletedAt == null).ToListAsync(cancellationToken);
        }

        var completed = 0;
        var failures = new List<Exception>();
        foreach (var request in open.Where(r => r.RequestedAt <= before).OrderBy(r => r.RequestedAt))
        {
            var offering = await GetAsync(request.OfferingId, cancellationToken);
            if (offering is null || offering.Stage != GrantStage.Announced || offering.ClosedAt is not null)
            {
                await CloseRequestAsync(request.OfferingId, offering?.Stage == GrantStage.Terminated ? GrantTerminationRequest.Terminated : GrantTerminationRequest.Refused, cancellationToken);
                continue;
            }

            try
            {
                await CompleteTerminationAsync(request, cancellationToken);
                completed++;
            }
            catch (DomainRuleException e) when (e.RuleCode == GrantRules.ResultDecided)
            {
                // Closed as refused: the sale's result stands.
            }
            catch (WorkflowConflictException)
            {
                // The instance was busy: the next round tries again.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await RecordStallAsync(request, e, CancellationToken.None);
                failures.Add(new InvalidOperationException($"The termination of {request.ProjectCode} could not be completed; it is tried again.", e));
            }
        }

        return failures.Count == 0 ? completed : throw new AggregateException(failures);
    }

    // The second half of TerminateAsync, also the recovery's: each step may have been done already (a retry, a stop in
    // between), so the call-off of a called-off lot is no error and a procedure already past the wait is no failure
    // when the offering was terminated.
    private async Task<GrantOffering> CompleteTerminationAsync(GrantTerminationRequest request, CancellationToken cancellationToken)
    {
        var offering = await GetAsync(request.OfferingId, cancellationToken) ?? throw new DomainRuleException(GrantRules.NotFound, $"No offering {request.OfferingId}.");
        if (offering.LotId is { } lotId)
        {
            try
            {
                await bidding.CallOffAsync(lotId, request.Reason, request.RequestedBy, cancellationToken);
            }
            catch (DomainRuleException e) when (e.RuleCode == BiddingRules.AfterClose)
            {
                await CloseRequestAsync(request.OfferingId, GrantTerminationRequest.Refused, CancellationToken.None);
                throw new DomainRuleException(GrantRules.ResultDecided, $"The bidding of {offering.ProjectCode} has closed: its result stands.");
            }
        }

        var message = new MessageCorrelation(GrantMessages.Terminated)
        {
            BusinessKey = offering.ProjectCode,
            UserId = request.RequestedBy,
            Variables = new Dictionary<string, object?>
            {
                [GrantVariables.TerminatedBy] = request.RequestedBy,
                [GrantVariables.TerminationReason] = request.Reason,
                [GrantVariables.TerminatedAs] = request.RequestedAs,
            },
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await engine.CorrelateMessageAsync(message, cancellationToken);
                break;
            }
            catch (WorkflowConflictException) when (attempt < 3)
            {
                // The instance's own re-check timer moved it at that moment: it waits again for the close, try again.
            }
            catch (WorkflowNotFoundException)
            {
                // Not waiting for the close: terminated meanwhile (the recovery or another try finished this request),
                // or its outcome recorded. Which one the offering says.
                var current = (await GetAsync(offering.Id, cancellationToken))!;
                if (current.Stage == GrantStage.Terminated)
                {
                    return current;
                }

                current.RequireTerminable();
                throw;
            }
        }

        return (await GetAsync(offering.Id, cancellationToken))!;
    }

    // The procedure would not take the message (suspended, in an incident): counted on the request for the offering's
    // page; the first failure also goes in the trail, the rounds after it (one a minute) only in the log.
    private async Task RecordStallAsync(GrantTerminationRequest open, Exception error, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var request = await db.Set<GrantTerminationRequest>().SingleOrDefaultAsync(r => r.OfferingId == open.OfferingId, cancellationToken);
        var offering = await db.Set<GrantOffering>().AsNoTracking().SingleOrDefaultAsync(o => o.Id == open.OfferingId, cancellationToken);
        if (request is not { IsOpen: true } || offering is null)
        {
            return;
        }

        // A suspended instance's waits are not matched, so the engine's answer alone does not tell suspension from an
        // incident on an earlier step: the instance says which.
        var instanceId = await FindInstanceIdAsync(offering, cancellationToken);
        var instance = instanceId is { } id ? await engine.GetInstanceAsync(id, cancellationToken) : null;
        var incident = instanceId is { } withIncidents ? (await engine.GetIncidentsAsync(withIncidents, cancellationToken)).FirstOrDefault(i => i.ResolvedAt is null) : null;
        var message = (error, instance?.State, incident) switch
        {
            (InstanceSuspendedException, _, _) or (_, InstanceState.Suspended, _) => $"{GrantTerminationRequest.CauseSuspended}: {error.Message}",
            (_, _, { } step) => $"{GrantTerminationRequest.CauseIncident}: {step.ElementId}: {step.Message}",
            (WorkflowNotFoundException, _, _) => $"{GrantTerminationRequest.CauseNotWaiting}: {error.Message}",
            (DomainRuleException rule, _, _) => $"{rule.RuleCode}: {rule.Message}",
            _ => $"{error.GetType().Name}: {error.Message}",
        };
        if (request.RecordFailure(message, clock.GetUtcNow()))
        {
            await trail.AppendAsync(db, Record(ProcedureActor, offering, "termination.stalled",
                new { requestedBy = request.RequestedBy, requestedAs = request.RequestedAs, error = request.LastError }), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The offering's termination request while it is open (null when there is none or it completed), for the owner
    /// grantor, staff of its centre and supervisors: the page says it is under way, or that it stalled and why.
    /// </summary>
    public async Task<GrantTerminationRequest?> OpenTerminationAsync(GrantActor actor, GrantOffering offering, CancellationToken cancellationToken = default)
    {
        if (!await IsPartyAsync(actor, offering, cancellationToken))
        {
            return null;
        }

        await using var db = database.Create();
        return await db.Set<GrantTerminationRequest>().AsNoTracking()
            .SingleOrDefaultAsync(r => r.OfferingId == offering.Id && r.CompletedAt == null, cancellationToken);
    }

    // Who sees the offering's own papers (the termination letter, an open request): its grantor, its centre's staff, supervisors.
    private async Task<bool> IsPartyAsync(GrantActor actor, GrantOffering offering, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(offering);
        return actor.IsSupervisor || actor.IsStaffOf(offering.CentreId) || await IsOwnerAsync(actor, offering, cancellationToken);
    }

    private async Task CloseRequestAsync(Guid offeringId, string outcome, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var request = await db.Set<GrantTerminationRequest>().SingleOrDefaultAsync(r => r.OfferingId == offeringId, cancellationToken);
        if (request is { IsOpen: true })
        {
            request.Complete(outcome, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The 终止申请函 of the offering (null when none was uploaded) for those who see the offering's own documents: the
    /// owner grantor, staff of its centre and supervisors; never bidders or the public.
    /// </summary>
    public async Task<GrantTerminationLetterView?> TerminationLetterAsync(GrantActor actor, GrantOffering offering, CancellationToken cancellationToken = default)
    {
        if (!await IsPartyAsync(actor, offering, cancellationToken))
        {
            return null;
        }

        await using var db = database.Create();
        var letter = await (from r in db.Set<GrantTerminationRequest>().AsNoTracking()
                            join d in db.Set<Document>().AsNoTracking() on r.LetterDocumentId equals (Guid?)d.Id
                            where r.OfferingId == offering.Id
                            select d).FirstOrDefaultAsync(cancellationToken);
        return letter is null ? null : new GrantTerminationLetterView(letter.Id, letter.Name, letter.Sm3, letter.Length, letter.UploadedAt, letter.UploadedBy);
    }

    /// <summary>
    /// False when the instance runs a procedure version without the return path (the review screen then says so instead
    /// of offering it); true otherwise, also for an instance it cannot find (<see cref="ReturnAsync"/> refuses that).
    /// </summary>
    public Task<bool> SupportsReturnAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        HasHandlerAsync(instanceId, GrantReturnHandler.HandlerName, whenUnknown: true, cancellationToken);

    /// <summary>Whether the offering's procedure version can withdraw it (the page offers 撤回 only then).</summary>
    public Task<bool> SupportsWithdrawalAsync(GrantOffering offering, CancellationToken cancellationToken = default) =>
        OfferingHasHandlerAsync(offering, GrantWithdrawHandler.HandlerName, cancellationToken);

    /// <summary>Whether the offering's procedure version can terminate it (the page offers 终止出让 only then).</summary>
    public Task<bool> SupportsTerminationAsync(GrantOffering offering, CancellationToken cancellationToken = default) =>
        OfferingHasHandlerAsync(offering, GrantTerminateHandler.HandlerName, cancellationToken);

    private async Task<bool> OfferingHasHandlerAsync(GrantOffering offering, string handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offering);
        return await FindInstanceIdAsync(offering, cancellationToken) is { } id && await HasHandlerAsync(id, handler, whenUnknown: false, cancellationToken);
    }

    // The instance's own version decides, not the current code: the handlers set every variable on any version.
    private async Task<bool> HasHandlerAsync(Guid instanceId, string handler, bool whenUnknown, CancellationToken cancellationToken)
    {
        if (await engine.GetInstanceAsync(instanceId, cancellationToken) is not { } instance)
        {
            return whenUnknown;
        }

        var deployed = await definitions.GetAsync(instance.ProcessId, instance.ProcessVersion, cancellationToken);
        return deployed is not null && deployed.Model.Elements.Values.Any(e => e is ServiceTask t && t.Handler == handler);
    }

    // The lot of a sale returned or withdrawn before its notice must never close: its close would publish the reserve,
    // which a resubmission usually gives again. Done again on resubmission, in case the process stopped in between.
    // The reason names the trail record that says why (the return's own reason stays with the offering).
    private async Task ShelveLotAsync(GrantOffering offering, string reason, string actor, CancellationToken cancellationToken)
    {
        if (offering.LotId is { } lotId)
        {
            await bidding.ShelveAsync(lotId, reason, actor, cancellationToken);
        }
    }

    /// <summary>
    /// What happened to the offering, oldest first, from the trail: submissions, returns with their reasons,
    /// resubmissions, the withdrawal, the notice and a termination with its reason. For the grantor, staff and supervisors (the page shows it to them only).
    /// </summary>
    public async Task<IReadOnlyList<GrantHistoryEntry>> HistoryAsync(GrantOffering offering, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offering);
        string[] actions = [.. HistoryActions.Select(a => "grants." + a)];
        await using var db = database.Create();
        var entries = await db.Set<AuditEntry>().AsNoTracking()
            .Where(e => e.SubjectType == "grant-offering" && e.SubjectId == offering.Id.ToString() && actions.Contains(e.Action))
            .OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        return [.. entries.Select(e => new GrantHistoryEntry(e.OccurredAt, e.Action["grants.".Length..], e.Actor, ReasonOf(e.Data)))];
    }

    private static readonly string[] HistoryActions = ["offering.submitted", "offering.returned", "offering.resubmitted", "offering.withdrawn", "notice.published", "offering.terminated",
        GrantLotOpeningGate.ShelvedAction];

    private static string? ReasonOf(string data)
    {
        using var json = System.Text.Json.JsonDocument.Parse(data);
        return json.RootElement.TryGetProperty("details", out var details) && details.ValueKind == System.Text.Json.JsonValueKind.Object
               && details.TryGetProperty("reason", out var reason) && reason.ValueKind == System.Text.Json.JsonValueKind.String
            ? reason.GetString()
            : null;
    }

    /// <summary>The review task of the grant procedures.</summary>
    public const string ReviewTask = "reviewOffering";

    private async Task<Guid> InstanceIdAsync(GrantOffering offering, CancellationToken cancellationToken) =>
        await FindInstanceIdAsync(offering, cancellationToken)
            ?? throw new DomainRuleException(GrantRules.WrongStage, $"Offering {offering.ProjectCode} has no running procedure.");

    /// <summary>The offering's procedure instance (null before its submission started one).</summary>
    public async Task<Guid?> FindInstanceIdAsync(GrantOffering offering, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offering);
        await using var db = database.Create();
        return await db.Set<Project>().AsNoTracking().Where(p => p.Id == offering.ProjectId).Select(p => p.ProcessInstanceId).FirstOrDefaultAsync(cancellationToken);
    }

    private static void RequireProjectTermsKept(GrantOffering current, GrantOfferingInput input)
    {
        if (input.Title.Trim() != current.Title || input.OwnerEntityId != current.OwnerEntityId || input.RegionCode != current.RegionCode
            || MethodOf(input.Mode) != MethodOf(current.Mode) || input.StartPrice != current.StartPrice || input.Deposit != current.Deposit)
        {
            throw new DomainRuleException(GrantRules.FixedAfterSubmission,
                $"Offering {current.ProjectCode} was submitted as a project: its title, owner, region, mode, start price and deposit stay; withdraw it and register a new one to change them.");
        }
    }

    // ---------------------------------------------------------------- bidders

    /// <summary>
    /// A bidder (company or natural person) applies before the application deadline; the deposit sub-account is opened so
    /// it can pay through its bank. Returns the application and the sub-account number.
    /// </summary>
    public async Task<(GrantApplication Application, string DepositAccount)> ApplyAsync(GrantActor actor, Guid offeringId, Guid entityId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var entity = (await membership.EntitiesOfAsync(actor.AccountId, cancellationToken)).FirstOrDefault(e => e.EntityId == entityId && e.IsVerified);
        if (!actor.IsBidder || entity is null)
        {
            throw new DomainRuleException(GrantRules.NotAllowed, "Only a bidder acting for a verified entity applies for it.");
        }

        var now = clock.GetUtcNow();
        GrantApplication application;
        GrantOffering offering;
        await using (var db = database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            offering = await FindAsync(db, offeringId, cancellationToken);
            if (offering.Stage != GrantStage.Announced || now > offering.ApplicationDeadline)
            {
                var closed = new DomainRuleException(GrantRules.ApplicationClosed, $"Applications for {offering.ProjectCode} are open from the notice until {GrantSchedule.Local(offering.ApplicationDeadline)}.");
                closed.Data[GrantRules.DataDeadline] = offering.ApplicationDeadline;
                throw closed;
            }

            if (entityId == offering.OwnerEntityId)
            {
                throw new DomainRuleException(GrantRules.OwnApplication, "The grantor cannot bid for its own offering.");
            }

            if (await db.Set<GrantApplication>().AnyAsync(a => a.OfferingId == offeringId && a.EntityId == entityId, cancellationToken))
            {
                throw new DomainRuleException(GrantRules.AlreadyApplied, "This entity has already applied.");
            }

            var check = await eligibility.CheckAsync(entityId, Array.Empty<string>(), now, cancellationToken);
            if (!check.IsEligible)
            {
                throw new DomainRuleException(GrantRules.NotEligible, string.Join("; ", check.Problems.Select(p => p.RuleCode + " " + p.Message)));
            }

            application = GrantApplication.Apply(offering, entityId, entity.Name, now, actor.UserName);
            db.Add(application);
            await trail.AppendAsync(db, Record(actor.UserName, offering, "application.submitted", new { applicationId = application.Id, entityId, entityName = entity.Name }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        var account = await deposits.OpenAccountAsync(offering.SectionId, entityId, entity.Name, actor.UserName, cancellationToken);
        return (application, account.Number);
    }

    /// <summary>
    /// Staff confirm an applicant's eligibility: approved only when its deposit arrived in full (or a guarantee was accepted)
    /// by the application deadline; the entity then takes part in the section and is admitted to the lot under a bidder
    /// number drawn by the engine. A rejection states its reason.
    /// </summary>
    public async Task<GrantApplication> DecideAsync(GrantActor actor, Guid applicationId, bool approve, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        GrantApplication application;
        GrantOffering offering;
        await using (var db = database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            application = await db.Set<GrantApplication>().SingleOrDefaultAsync(a => a.Id == applicationId, cancellationToken)
                ?? throw new DomainRuleException(GrantRules.NotFound, $"No application {applicationId}.");
            offering = await FindAsync(db, application.OfferingId, cancellationToken);
            if (!actor.IsStaffOf(offering.CentreId))
            {
                throw new DomainRuleException(GrantRules.NotAllowed, $"Only staff of the centre of {offering.ProjectCode} decide its applications.");
            }

            if (offering.Stage != GrantStage.Announced || now >= offering.BiddingEnds)
            {
                throw new DomainRuleException(GrantRules.WrongStage, "Applications are decided while the offering is announced, before the bidding ends.");
            }

            if (approve)
            {
                // The refund of this deposit takes the same lock before asking the guards (GrantDepositRefundGuard holds an
                // approved bidder): either it decided first and the deposit is read here as refunding, or it waits for
                // this approval and is refused.
                await DepositSectionLock.TakeAsync(db, offering.SectionId, cancellationToken);
                await RequireDepositAsync(offering, application.EntityId, cancellationToken);
                await participations.EnsureAsync(db, offering.SectionId, application.EntityId, ParticipationOrigin.Applied, actor.UserName, cancellationToken);
                application.Approve(actor.UserName, now);
            }
            else
            {
                application.Reject(reason ?? string.Empty, actor.UserName, now);
            }

            await trail.AppendAsync(db, Record(actor.UserName, offering, approve ? "application.approved" : "application.rejected",
                new { applicationId, entityId = application.EntityId, entityName = application.EntityName, reason = application.Reason }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            if (approve)
            {
                // Supervisors see the collusion warnings (deposits from one account, one legal representative...) of
                // the bidders admitted so far before the sale opens, not only when someone thinks to compute them.
                await warnings.ComputeAsync(db, offering.SectionId, $"the admission of application {applicationId}", cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }

        if (!approve)
        {
            return application;
        }

        var bidder = await bidding.AdmitAsync(offering.LotId!.Value, application.EntityId, application.EntityName, actor.UserName, cancellationToken);
        await using (var db = database.Create())
        {
            var stored = await db.Set<GrantApplication>().SingleAsync(a => a.Id == applicationId, cancellationToken);
            stored.Admitted(bidder.Number);
            await db.SaveChangesAsync(cancellationToken);
            return stored;
        }
    }

    /// <summary>The deposit arrived in full by the application deadline, or an accepted guarantee stands for it.</summary>
    private async Task RequireDepositAsync(GrantOffering offering, Guid entityId, CancellationToken cancellationToken)
    {
        var section = await depositQueries.SectionDepositsAsync(offering.SectionId, cancellationToken);
        var participant = section?.Participants.FirstOrDefault(p => p.EntityId == entityId);
        if (participant is { State: DepositState.Guaranteed })
        {
            return;
        }

        if (participant is { State: DepositState.Refunding or DepositState.Refunded or DepositState.Forfeited })
        {
            throw new DomainRuleException(GrantRules.DepositReleased,
                $"The bidder's deposit is no longer held ({participant.State}): its eligibility cannot be confirmed.");
        }

        var payments = section?.Payments.Where(p => p.EntityId == entityId && p.SectionId == offering.SectionId).ToList() ?? [];
        var arrived = payments.Sum(p => p.Amount);
        var inTime = payments.Where(p => p.ReceivedAt <= offering.ApplicationDeadline).Sum(p => p.Amount);
        if (participant is not { State: DepositState.Paid } || arrived < offering.Deposit)
        {
            throw DepositProblem(new DomainRuleException(GrantRules.DepositNotArrived,
                $"The deposit of {offering.Deposit:N2} has not arrived in full in the sub-account: {arrived:N2} arrived."), offering, arrived, inTime);
        }

        if (inTime < offering.Deposit)
        {
            throw DepositProblem(new DomainRuleException(GrantRules.DepositNotPaid,
                $"The deposit of {offering.Deposit:N2} had to arrive by the application deadline {GrantSchedule.Local(offering.ApplicationDeadline)}; {inTime:N2} arrived by then."), offering, arrived, inTime);
        }
    }

    private static DomainRuleException DepositProblem(DomainRuleException error, GrantOffering offering, decimal arrived, decimal inTime)
    {
        error.Data[GrantRules.DataRequired] = offering.Deposit;
        error.Data[GrantRules.DataArrived] = arrived;
        error.Data[GrantRules.DataInTime] = inTime;
        error.Data[GrantRules.DataDeadline] = offering.ApplicationDeadline;
        return error;
    }

    // ---------------------------------------------------------------- the confirmation

    /// <summary>
    /// The grantor or the winner signs the 成交确认书 online (recorded). When both have signed, the winner's deposit is
    /// counted towards the price in the deposit ledger (not refunded) and the procedure is told.
    /// </summary>
    public async Task<GrantOffering> SignAsync(GrantActor actor, Guid offeringId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var entities = (await membership.EntitiesOfAsync(actor.AccountId, cancellationToken)).Where(e => e.IsVerified).Select(e => e.EntityId).ToHashSet();
        var now = clock.GetUtcNow();
        var offering = await ChangeAsync(offeringId, null, async (db, o) =>
        {
            string party;
            if (actor.IsGrantor && entities.Contains(o.OwnerEntityId))
            {
                o.SignAsGrantor(actor.UserName, now);
                party = "grantor";
            }
            else if (actor.IsBidder && o.WinnerEntityId is { } winner && entities.Contains(winner))
            {
                o.SignAsWinner(actor.UserName, now);
                party = "winner";
            }
            else
            {
                throw new DomainRuleException(GrantRules.NotAParty, "Only the grantor and the winner sign the confirmation.");
            }

            await trail.AppendAsync(db, Record(actor.UserName, o, "confirmation.signed", new { party, confirmationId = o.ConfirmationId, winnerEntityId = o.WinnerEntityId }), cancellationToken);
        }, cancellationToken);

        if (!offering.IsSigned || offering.DepositConvertedAt is not null)
        {
            return offering;
        }

        await deposits.ConvertToPriceAsync(offering.SectionId, offering.WinnerEntityId!.Value, $"成交确认书 {offering.ProjectCode}", actor.UserName, cancellationToken);
        offering = await ChangeAsync(offeringId, null, async (db, o) =>
        {
            o.MarkDepositConverted(clock.GetUtcNow());
            await trail.AppendAsync(db, Record(actor.UserName, o, "deposit.converted-to-price", new { entityId = o.WinnerEntityId, o.Deposit, o.Price }), cancellationToken);
        }, cancellationToken);
        try
        {
            await engine.CorrelateMessageAsync(new MessageCorrelation(GrantMessages.ConfirmationSigned) { BusinessKey = offering.ProjectCode, UserId = actor.UserName }, cancellationToken);
        }
        catch (WorkflowNotFoundException)
        {
            // Not waiting (a procedure revised by an administrator): the signatures and the conversion are recorded.
        }

        return offering;
    }

    // ---------------------------------------------------------------- the lot's close

    /// <summary>
    /// The hook on the engine's close: every announced offering whose lot has closed gets <see cref="GrantMessages.LotClosed"/>
    /// (the procedure also re-reads the lot on its own timer, so a lost message only delays it). Returns how many were told.
    /// </summary>
    public async Task<int> CorrelateClosedLotsAsync(CancellationToken cancellationToken = default)
    {
        List<(string Code, Guid LotId)> open;
        await using (var db = database.Create())
        {
            open = [.. (await db.Set<GrantOffering>().AsNoTracking().Where(o => o.Stage == GrantStage.Announced && o.LotId != null)
                .Select(o => new { o.ProjectCode, o.LotId }).ToListAsync(cancellationToken)).Select(o => (o.ProjectCode, o.LotId!.Value))];
        }

        var told = 0;
        foreach (var (code, lotId) in open)
        {
            var lot = await bidding.Store.FindLotAsync(lotId, cancellationToken);
            if (lot?.Phase != LotPhase.Closed)
            {
                continue;
            }

            try
            {
                await engine.CorrelateMessageAsync(new MessageCorrelation(GrantMessages.LotClosed) { BusinessKey = code, UserId = ProcedureActor }, cancellationToken);
                told++;
            }
            catch (Exception e) when (e is WorkflowNotFoundException or WorkflowConflictException)
            {
                // Already past the wait (its own timer read the close first) or busy: nothing to tell now.
            }
        }

        return told;
    }

    // ---------------------------------------------------------------- reads

    public async Task<GrantOffering?> GetAsync(Guid offeringId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<GrantOffering>().AsNoTracking().SingleOrDefaultAsync(o => o.Id == offeringId, cancellationToken);
    }

    /// <summary>The offering sold as the bidding engine's lot <paramref name="lotId"/> (a resubmission makes a new lot: the latest holds it).</summary>
    public async Task<GrantOffering?> FindByLotAsync(Guid lotId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<GrantOffering>().AsNoTracking().FirstOrDefaultAsync(o => o.LotId == lotId, cancellationToken);
    }

    public async Task<GrantOffering?> FindByProjectCodeAsync(string projectCode, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<GrantOffering>().AsNoTracking().SingleOrDefaultAsync(o => o.ProjectCode == projectCode, cancellationToken);
    }

    /// <summary>
    /// The offerings of a trade type the actor may see: a grantor those of the entities it acts for (by project owner, not
    /// by role), staff those of their centre, supervisors all, bidders (and anyone else) the announced and closed ones.
    /// </summary>
    public async Task<IReadOnlyList<GrantOffering>> ListAsync(GrantActor actor, string tradeType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = database.Create();
        var query = db.Set<GrantOffering>().AsNoTracking().Where(o => o.TradeType == tradeType);
        if (actor.IsSupervisor)
        {
        }
        else if (actor.IsStaff)
        {
            query = query.Where(o => o.CentreId == actor.CentreId);
        }
        else if (actor.IsGrantor)
        {
            var own = (await parties.ActingForAsync(actor.AccountId, cancellationToken)).Select(p => p.EntityId).ToList();
            query = query.Where(o => own.Contains(o.OwnerEntityId));
        }
        else
        {
            query = query.Where(o => o.Stage != GrantStage.Draft && o.Stage != GrantStage.Submitted && o.Stage != GrantStage.Returned && o.Stage != GrantStage.Withdrawn);
        }

        return await query.OrderByDescending(o => o.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Whether the actor may read the offering's page (the same scope as <see cref="ListAsync"/>): staff only their centre's,
    /// even once public (another centre's is on the public portal page); a grantor its own and the public ones.
    /// </summary>
    public async Task<bool> MayReadAsync(GrantActor actor, GrantOffering offering, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(offering);
        if (actor.IsSupervisor)
        {
            return true;
        }

        if (actor.IsStaff)
        {
            return actor.IsStaffOf(offering.CentreId);
        }

        if (actor.IsGrantor && (await parties.ActingForAsync(actor.AccountId, cancellationToken)).Any(p => p.EntityId == offering.OwnerEntityId))
        {
            return true;
        }

        return IsPublic(offering);
    }

    /// <summary>Whether anyone may see the offering: from its notice on (never a draft, one under review, returned or withdrawn).</summary>
    public static bool IsPublic(GrantOffering offering)
    {
        ArgumentNullException.ThrowIfNull(offering);
        return offering.Stage is not (GrantStage.Draft or GrantStage.Submitted or GrantStage.Returned or GrantStage.Withdrawn);
    }

    public async Task<bool> IsOwnerAsync(GrantActor actor, GrantOffering offering, CancellationToken cancellationToken = default) =>
        actor.IsGrantor && (await parties.ActingForAsync(actor.AccountId, cancellationToken)).Any(p => p.EntityId == offering.OwnerEntityId);

    /// <summary>
    /// The applications as the actor may see them: staff of the offering's centre and supervisors every applicant, a bidder
    /// those of the entities it acts for, anyone else (the grantor included) none. A bidder number hides who bids until the
    /// result (domain.md §4): before the lot has closed it is shown only to the bidder it belongs to — not to staff, the
    /// supervisor or the grantor, who would otherwise read each bid in the room as a company's.
    /// </summary>
    public async Task<IReadOnlyList<GrantApplicationView>> ApplicationsForAsync(GrantActor actor, GrantOffering offering, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(offering);
        var own = (await BidderEntitiesAsync(actor, cancellationToken)).Select(e => e.EntityId).ToHashSet();
        var seesAll = actor.IsStaffOf(offering.CentreId) || actor.IsSupervisor;
        var revealed = BidderNumbersRevealed(offering);
        return [.. (await ApplicationsAsync(offering.Id, cancellationToken))
            .Where(a => seesAll || own.Contains(a.EntityId))
            .Select(a => new GrantApplicationView(a.Id, a.EntityId, a.EntityName, a.AppliedAt, a.State, a.Reason,
                revealed || own.Contains(a.EntityId) ? a.BidderNumber : null))];
    }

    /// <summary>Whether the bidder numbers may be tied to the entities behind them: once the lot has closed (the result is derived).</summary>
    public static bool BidderNumbersRevealed(GrantOffering offering)
    {
        ArgumentNullException.ThrowIfNull(offering);
        return offering.ClosedAt is not null;
    }

    /// <summary>
    /// Whether the winner's name is public: once the 出让结果公示 is out. Before it the public and the other bidders know
    /// the winner by its bidder number only, as on the auction floor.
    /// </summary>
    public static bool WinnerNamePublic(GrantOffering offering)
    {
        ArgumentNullException.ThrowIfNull(offering);
        return offering.ResultPublishedAt is not null;
    }

    /// <summary>Every application of the offering with its bidder number, unfiltered: for the procedure's own steps, not for a page.</summary>
    public async Task<IReadOnlyList<GrantApplication>> ApplicationsAsync(Guid offeringId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<GrantApplication>().AsNoTracking().Where(a => a.OfferingId == offeringId).OrderBy(a => a.AppliedAt).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The announced offerings of both grant trades a bidder may still act on, soonest moment first: applications still
    /// open, or the bidding started and the lot not closed. Within the public scope of <see cref="ListAsync"/> (announced
    /// is public), without those of the bidder's own entities (it cannot apply for them) and those it applied for (they
    /// are its applications, <see cref="ApplicationsOfBidderAsync"/>).
    /// </summary>
    public async Task<IReadOnlyList<GrantOffering>> OpenToBidderAsync(GrantActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var own = (await BidderEntitiesAsync(actor, cancellationToken)).Select(e => e.EntityId).ToList();
        if (own.Count == 0)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        await using var db = database.Create();
        var applied = db.Set<GrantApplication>().Where(a => own.Contains(a.EntityId)).Select(a => a.OfferingId);
        var announced = await db.Set<GrantOffering>().AsNoTracking()
            .Where(o => (o.TradeType == TradeTypes.LandRights || o.TradeType == TradeTypes.MineralRights) && o.Stage == GrantStage.Announced && o.ClosedAt == null
                && !own.Contains(o.OwnerEntityId) && !applied.Contains(o.Id))
            .ToListAsync(cancellationToken);
        // The dates are compared here, not in SQL: announced offerings are few, and SQLite keeps instants as ticks.
        return [.. announced.Where(o => now <= o.ApplicationDeadline || IsBiddingLive(o, now)).OrderBy(o => NextMoment(o, now)?.At ?? DateTimeOffset.MaxValue)];
    }

    /// <summary>
    /// The applications of the entities the bidder acts for, across the offerings, newest first, each with its offering
    /// and its own deposit sub-account: the bidder's workspace. Another entity's application is never among them.
    /// </summary>
    public async Task<IReadOnlyList<GrantBidderApplication>> ApplicationsOfBidderAsync(GrantActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var own = (await BidderEntitiesAsync(actor, cancellationToken)).Select(e => e.EntityId).ToList();
        if (own.Count == 0)
        {
            return [];
        }

        List<GrantApplication> applications;
        Dictionary<Guid, GrantOffering> offerings;
        await using (var db = database.Create())
        {
            applications = await db.Set<GrantApplication>().AsNoTracking().Where(a => own.Contains(a.EntityId)).ToListAsync(cancellationToken);
            var offeringIds = applications.Select(a => a.OfferingId).Distinct().ToList();
            offerings = await db.Set<GrantOffering>().AsNoTracking().Where(o => offeringIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        }

        if (applications.Count == 0)
        {
            return [];
        }

        var deposits = (await depositQueries.OfEntitiesAsync(own, cancellationToken)).Select(d => d.Deposit).ToLookup(d => (d.SectionId, d.EntityId));
        return [.. applications
            .Where(a => offerings.ContainsKey(a.OfferingId))
            .OrderByDescending(a => a.AppliedAt)
            .Select(a => new GrantBidderApplication(
                offerings[a.OfferingId],
                new GrantApplicationView(a.Id, a.EntityId, a.EntityName, a.AppliedAt, a.State, a.Reason, a.BidderNumber),
                deposits[(a.SectionId, a.EntityId)].FirstOrDefault()))];
    }

    /// <summary>Whether the bidding of an announced offering runs: opened and its lot not closed.</summary>
    public static bool IsBiddingLive(GrantOffering offering, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(offering);
        return offering.Stage == GrantStage.Announced && offering.ClosedAt is null && now >= offering.BiddingOpens;
    }

    /// <summary>
    /// The next moment of an announced offering still ahead of <paramref name="now"/>: the application deadline, the
    /// opening or the scheduled end of the bidding, whichever comes first (a listing may open before applications close);
    /// null once they all passed or the offering is no longer announced.
    /// </summary>
    public static GrantMoment? NextMoment(GrantOffering offering, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(offering);
        if (offering.Stage != GrantStage.Announced || offering.ClosedAt is not null)
        {
            return null;
        }

        return new[]
            {
                new GrantMoment(GrantMomentKind.ApplicationDeadline, offering.ApplicationDeadline),
                new GrantMoment(GrantMomentKind.BiddingOpens, offering.BiddingOpens),
                new GrantMoment(GrantMomentKind.BiddingEnds, offering.BiddingEnds),
            }
            .Where(m => m.At > now).OrderBy(m => m.At).FirstOrDefault();
    }

    /// <summary>The verified entities (companies or natural persons) the bidder acts for.</summary>
    public async Task<IReadOnlyList<EntityMembershipInfo>> BidderEntitiesAsync(GrantActor actor, CancellationToken cancellationToken = default) =>
        actor.IsBidder ? [.. (await membership.EntitiesOfAsync(actor.AccountId, cancellationToken)).Where(e => e.IsVerified)] : [];

    public Task<SectionDeposits?> DepositsAsync(GrantOffering offering, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offering);
        return depositQueries.SectionDepositsAsync(offering.SectionId, cancellationToken);
    }

    // ---------------------------------------------------------------- helpers

    internal static async Task<GrantOffering> FindAsync(TradingDbContext db, Guid offeringId, CancellationToken cancellationToken) =>
        await db.Set<GrantOffering>().SingleOrDefaultAsync(o => o.Id == offeringId, cancellationToken)
        ?? throw new DomainRuleException(GrantRules.NotFound, $"No offering {offeringId}.");

    internal static AuditRecord Record(string actor, GrantOffering offering, string action, object? data = null) => new(
        actor, offering.CentreId, "grant-offering", offering.Id.ToString(), "grants." + action,
        new { offeringId = offering.Id, projectId = offering.ProjectId, projectCode = offering.ProjectCode, sectionId = offering.SectionId, tradeType = offering.TradeType, ownerEntityId = offering.OwnerEntityId, details = data });

    private async Task<GrantOffering> ChangeAsync(Guid offeringId, int? expectedVersion, Func<TradingDbContext, GrantOffering, Task> change, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var offering = await FindAsync(db, offeringId, cancellationToken);
        if (expectedVersion is { } version)
        {
            Expect(offering, version);
        }

        await change(db, offering);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainRuleException(GrantRules.Changed, "The offering was changed meanwhile; reload it.");
        }

        await tx.CommitAsync(cancellationToken);
        return offering;
    }

    private static void Expect(GrantOffering offering, int expectedVersion)
    {
        if (offering.Version != expectedVersion)
        {
            throw new DomainRuleException(GrantRules.Changed, "The offering was changed meanwhile; reload it.");
        }
    }

    private async Task<GrantOffering> RequireOwnAsync(GrantActor actor, Guid offeringId, CancellationToken cancellationToken)
    {
        var offering = await GetAsync(offeringId, cancellationToken) ?? throw new DomainRuleException(GrantRules.NotFound, $"No offering {offeringId}.");
        if (!await IsOwnerAsync(actor, offering, cancellationToken))
        {
            throw new DomainRuleException(GrantRules.NotAllowed, "Only the grantor's own users change and submit its offering.");
        }

        return offering;
    }

    private async Task RequireDemoCentreAsync(GrantOffering offering, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var isDemo = await db.Set<TradingCentre>().AsNoTracking().Where(c => c.Id == offering.CentreId).Select(c => c.IsDemo).FirstOrDefaultAsync(cancellationToken);
        if (!isDemo)
        {
            throw new DomainRuleException(GrantRules.DemoOnly, $"{offering.ProjectCode} is not a demo project: its dates follow the law.");
        }
    }

    private async Task<ProjectActor> ProjectActorAsync(GrantActor actor, CancellationToken cancellationToken) =>
        new(actor.UserName, actor.Roles, actor.CentreId, await parties.ActingForAsync(actor.AccountId, cancellationToken));

    private async Task<int> ProjectRevisionAsync(Guid projectId, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        return await db.Set<Project>().AsNoTracking().Where(p => p.Id == projectId).Select(p => p.Revision).FirstAsync(cancellationToken);
    }

    private static ProjectInput ProjectInputOf(string tradeType, GrantOfferingInput input, Guid? sectionId) =>
        new(tradeType, MethodOf(input.Mode), input.Title.Trim(), input.OwnerEntityId, null, null, StateFunded: false, input.RegionCode,
            tradeType == TradeTypes.MineralRights ? "矿业权出让" : "国有建设用地使用权出让",
            [new SectionEdit(sectionId, new SectionDraft(input.Title.Trim(), input.StartPrice, input.Deposit, DepositForms.Transfer))]);

    private static void RequireGrantType(string tradeType)
    {
        if (tradeType is not (TradeTypes.LandRights or TradeTypes.MineralRights))
        {
            throw new ArgumentOutOfRangeException(nameof(tradeType), tradeType, "Grants are land-rights or mineral-rights.");
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Experts;

/// <summary>Messages the experts part sends to a project's procedure (business key = project code).</summary>
public static class ExpertMessages
{
    /// <summary>Every seat confirmed; variables <see cref="CommitteeId"/> (string) and <see cref="Evaluators"/> (user names).</summary>
    public const string CommitteeConfirmed = "experts.committee-confirmed";

    public const string CommitteeId = "committeeId";
    public const string Evaluators = "evaluators";
}

/// <summary>Trail actions of the committees (notifications are derived from them).</summary>
public static class CommitteeActions
{
    public const string Requested = "experts.committee.requested";
    public const string InvitationSent = "experts.invitation.sent";
    public const string InvitationConfirmed = "experts.invitation.confirmed";
    public const string InvitationDeclined = "experts.invitation.declined";
    public const string InvitationTimedOut = "experts.invitation.timed-out";
    public const string MemberReplaced = "experts.member.replaced";
    public const string Redrawn = "experts.committee.redrawn";
    public const string Short = "experts.committee.short";
    public const string Confirmed = "experts.committee.confirmed";
}

/// <summary>
/// 随机抽取、智能回避: the tenderee's committee request, the draw (CSPRNG, every round recorded), the experts' answers,
/// the redraw of a declined, unanswered or replaced seat, and the message to the procedure once every seat is confirmed.
/// Each command runs in one transaction with its trail records; the committee row's version makes two nodes' timers or
/// answers exclusive. Implements <see cref="IEvaluationCommittees"/> for the evaluation part.
/// </summary>
public sealed partial class CommitteeService(
    ITradingDatabase database,
    IAuditTrail trail,
    IUserDirectory users,
    IEntityMembership membership,
    IProjectParticipants participants,
    IDrawRandom random,
    IOptions<ExpertsOptions> options,
    TimeProvider time,
    IServiceProvider services,
    ILogger<CommitteeService> logger) : IEvaluationCommittees
{
    /// <summary>The actor of the platform's own steps (timer redraws).</summary>
    public const string SystemActor = "system:experts";

    private ExpertsOptions Options => options.Value;

    /// <summary>
    /// Checks the composition (≥5, odd, representatives ≤ 1/3), that the representatives act for the tenderee and that
    /// the actor is the tenderee (or its agency, or the centre's staff) and that the evaluation method is set
    /// (<see cref="IEvaluationMethodCheck"/>), then draws every specialty at once. A specialty without enough eligible
    /// experts refuses the request (<see cref="ExpertRules.PoolTooSmall"/>) and draws nothing.
    /// </summary>
    public async Task<ExpertCommittee> RequestAsync(CommitteeRequest request, ExpertsActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var reps = (request.RepresentativeUserNames ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct(StringComparer.Ordinal).ToList();
        CommitteeComposition.Check(request.Specialties, reps.Count);
        var now = time.GetUtcNow();
        if (request.EvaluationStartsAt <= now + TimeSpan.FromMinutes(5))
        {
            throw new DomainRuleException(ExpertRules.EvaluationTimeInvalid, $"The evaluation must start after {now:O}.");
        }

        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var project = await db.Set<Project>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == request.ProjectId, cancellationToken)
            ?? throw new DomainRuleException(ExpertRules.ProjectNotFound, $"No project {request.ProjectId}.");
        await RequireTendereeAsync(project, actor, cancellationToken);
        if (await db.Set<ExpertCommittee>().AnyAsync(c => c.ProjectId == project.Id, cancellationToken))
        {
            throw new DomainRuleException(ExpertRules.CommitteeExists, $"Project {project.Code} already has a committee.");
        }

        // The evaluation opens on the committee's confirmation with the method the tender documents set: without it the
        // drawn experts would wait on an incident, so the draw waits for the method instead.
        if (services.GetService<IEvaluationMethodCheck>() is { } methods && !await methods.IsMethodSetAsync(db, project.Id, cancellationToken))
        {
            throw new DomainRuleException(ExpertRules.EvaluationMethodRequired, $"Project {project.Code} has no evaluation method yet: set it before requesting the committee.");
        }

        var representatives = new List<TendereeRepresentative>();
        foreach (var userName in reps)
        {
            var account = await users.FindByUserNameAsync(userName, cancellationToken);
            if (account is null || !await ActsForTendereeAsync(project, account.AccountId, cancellationToken))
            {
                throw new DomainRuleException(ExpertRules.RepresentativeNotTenderee, $"'{userName}' does not act for the tenderee of {project.Code}.");
            }

            representatives.Add(new TendereeRepresentative(Guid.NewGuid(), account.UserName, account.DisplayName ?? account.UserName));
        }

        var committee = new ExpertCommittee(
            Guid.NewGuid(), project.Id, project.Code, project.Name, project.CentreId, project.OwnerEntityId, project.OwnerName,
            request.Specialties.Select(s => s with { Specialty = s.Specialty }).ToList(), representatives,
            request.EvaluationStartsAt, request.EvaluationStartsAt - Options.UnsealBeforeEvaluation, now, actor.UserName);
        db.Add(committee);
        var pool = await db.Set<Expert>().AsNoTracking().ToListAsync(cancellationToken);
        var facts = await FactsAsync(db, committee, now, cancellationToken);
        var drawnSoFar = new HashSet<Guid>();
        foreach (var wanted in committee.Specialties)
        {
            var round = ExpertDraw.Run(pool, wanted.Specialty, wanted.Count, facts with { AlreadyInvited = drawnSoFar }, random,
                committee.Rounds.Count + 1, now, actor.UserName, DrawCause.Initial);
            if (round.Drawn.Count < wanted.Count)
            {
                throw new DomainRuleException(ExpertRules.PoolTooSmall,
                    $"Only {round.Drawn.Count} of {wanted.Count} experts of {wanted.Specialty} are eligible ({round.Candidates.Count} in the pool, {round.Excluded.Count} avoided).");
            }

            drawnSoFar.UnionWith(round.Drawn);
            AddRound(db, committee, round, pool, now);
        }

        await trail.AppendAsync(db, Record(actor.UserName, committee, CommitteeActions.Requested, new
        {
            size = committee.Size,
            experts = committee.ExpertSeats,
            representatives = representatives.Count,
            specialties = committee.Specialties,
            evaluationStartsAt = committee.EvaluationStartsAt,
            requestedBy = actor.UserName,
        }), cancellationToken);
        await AppendInvitationsAsync(db, committee, committee.Invitations, actor.UserName, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return committee;
    }

    /// <summary>The drawn expert confirms (<paramref name="confirm"/>) or declines (with a reason) before the invitation's
    /// time; a decline redraws the seat at once. When every seat is confirmed the procedure is told.</summary>
    public async Task<ExpertCommittee> RespondAsync(Guid invitationId, bool confirm, string? reason, ExpertsActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var committee = await ChangeAsync(async (db, now) =>
        {
            var invitation = await db.Set<CommitteeInvitation>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == invitationId, cancellationToken)
                ?? throw new DomainRuleException(ExpertRules.NotFound, $"No invitation {invitationId}.");
            if (invitation.UserName != actor.UserName)
            {
                throw new DomainRuleException(ExpertRules.NotAllowed, "Only the invited expert answers an invitation.");
            }

            var committee = await LoadAsync(db, invitation.CommitteeId, cancellationToken);
            var seat = committee.Invitations.Single(i => i.Id == invitationId);
            if (seat.State != InvitationState.Invited || now > seat.RespondBy)
            {
                throw new DomainRuleException(ExpertRules.InvitationNotOpen, $"Invitation {invitationId} is {seat.State} (answer by {seat.RespondBy:O}).");
            }

            if (!confirm && string.IsNullOrWhiteSpace(reason))
            {
                throw new DomainRuleException(ExpertRules.ReasonRequired, "A decline needs a reason.");
            }

            seat.Answer(confirm ? InvitationState.Confirmed : InvitationState.Declined, now, reason);
            if (confirm)
            {
                // A confirmed member becomes a party of the project (its evaluation tasks and documents are scoped to it).
                await participants.AddExpertAsync(db, committee.ProjectId, seat.UserName, null, actor.UserName, cancellationToken);
            }

            await trail.AppendAsync(db, Record(actor.UserName, committee, confirm ? CommitteeActions.InvitationConfirmed : CommitteeActions.InvitationDeclined,
                new { invitationId, reason = confirm ? null : reason?.Trim() }), cancellationToken);
            if (!confirm)
            {
                await RedrawAsync(db, committee, seat, DrawCause.Declined, actor.UserName, now, cancellationToken);
            }

            return committee;
        }, cancellationToken);
        await TellProcedureAsync(committee, cancellationToken);
        return committee;
    }

    /// <summary>
    /// The timer's round: invitations not answered by their time are closed as timed out and their seats redrawn (one
    /// committee per transaction; a committee another node changed meanwhile is left to the next round), then committees
    /// complete but not yet taken by their procedure are offered the message again. Returns the invitations it closed.
    /// </summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        List<Guid> committees;
        await using (var db = database.Create())
        {
            committees = await db.Set<CommitteeInvitation>().AsNoTracking()
                .Where(i => i.State == InvitationState.Invited && i.RespondBy < now)
                .Select(i => i.CommitteeId).Distinct().ToListAsync(cancellationToken);
        }

        var closed = 0;
        foreach (var committeeId in committees)
        {
            try
            {
                var committee = await ChangeAsync(async (db, at) =>
                {
                    var committee = await LoadAsync(db, committeeId, cancellationToken);
                    foreach (var seat in committee.Invitations.Where(i => i.State == InvitationState.Invited && i.RespondBy < at).ToList())
                    {
                        seat.Answer(InvitationState.TimedOut, at, null);
                        closed++;
                        await trail.AppendAsync(db, Record(SystemActor, committee, CommitteeActions.InvitationTimedOut, new { invitationId = seat.Id }), cancellationToken);
                        await RedrawAsync(db, committee, seat, DrawCause.TimedOut, SystemActor, at, cancellationToken);
                    }

                    return committee;
                }, cancellationToken);
                await TellProcedureAsync(committee, cancellationToken);
            }
            catch (DomainRuleException ex) when (ex.RuleCode == ExpertRules.Changed)
            {
                LogCommitteeBusy(committeeId);
            }
        }

        List<ExpertCommittee> untold;
        await using (var db = database.Create())
        {
            var since = now - Options.TellProcedureFor;
            untold = await db.Set<ExpertCommittee>().AsNoTracking().Include(c => c.Invitations)
                .Where(c => c.State == CommitteeState.Confirmed && c.ProcedureToldAt == null && c.ConfirmedAt != null)
                .ToListAsync(cancellationToken);
            untold = untold.Where(c => c.ConfirmedAt >= since).ToList();
        }

        foreach (var committee in untold)
        {
            await TellProcedureAsync(committee, cancellationToken);
        }

        return closed;
    }

    /// <summary>Staff draw again for seats a short pool could not fill (after experts were added or reinstated).</summary>
    public async Task<ExpertCommittee> RetryShortAsync(Guid committeeId, ExpertsActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsStaff)
        {
            throw new DomainRuleException(ExpertRules.NotAllowed, "Only staff draw again for a short committee.");
        }

        var committee = await ChangeAsync(async (db, now) =>
        {
            var committee = await LoadAsync(db, committeeId, cancellationToken);
            if (committee.State != CommitteeState.Short)
            {
                throw new DomainRuleException(ExpertRules.CommitteeClosed, $"Committee {committeeId} is {committee.State}, not short.");
            }

            foreach (var wanted in committee.Specialties)
            {
                var missing = wanted.Count - committee.Invitations.Count(i => i.Specialty == wanted.Specialty && i.HoldsSeat);
                if (missing > 0)
                {
                    await DrawSeatsAsync(db, committee, wanted.Specialty, missing, DrawCause.Retry, actor.UserName, now, cancellationToken);
                }
            }

            return committee;
        }, cancellationToken);
        await TellProcedureAsync(committee, cancellationToken);
        return committee;
    }

    public async Task<EvaluationCommittee?> GetConfirmedCommitteeAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var committee = await db.Set<ExpertCommittee>().AsNoTracking().Include(c => c.Invitations)
            .FirstOrDefaultAsync(c => c.ProjectId == projectId, cancellationToken);
        return committee?.ConfirmedAt is null ? null : new EvaluationCommittee(committee.Id, committee.ProjectId, committee.Members());
    }

    public async Task<EvaluationCommittee> ReplaceMemberAsync(Guid committeeId, Guid expertId, string reason, string requestedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        var committee = await ChangeAsync(async (db, now) =>
        {
            var committee = await LoadAsync(db, committeeId, cancellationToken);
            var seat = committee.Invitations.FirstOrDefault(i => i.ExpertId == expertId && i.HoldsSeat)
                ?? throw new DomainRuleException(ExpertRules.MemberNotFound, $"Expert {expertId} holds no seat on committee {committeeId}.");
            seat.Answer(InvitationState.Replaced, now, reason);
            await trail.AppendAsync(db, Record(requestedBy, committee, CommitteeActions.MemberReplaced, new { invitationId = seat.Id, expertId, reason = reason.Trim() }), cancellationToken);
            await RedrawAsync(db, committee, seat, DrawCause.Replacement, requestedBy, now, cancellationToken);
            return committee;
        }, cancellationToken);
        return new EvaluationCommittee(committee.Id, committee.ProjectId, committee.Members());
    }

    /// <summary>The project's committee (with its invitations), or null; no access check (callers check).</summary>
    public async Task<ExpertCommittee?> FindByProjectAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<ExpertCommittee>().AsNoTracking().Include(c => c.Invitations).FirstOrDefaultAsync(c => c.ProjectId == projectId, cancellationToken);
    }

    public static async Task<ExpertCommittee?> FindByProjectCodeAsync(TradingDbContext db, string projectCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Set<ExpertCommittee>().AsNoTracking().Include(c => c.Invitations).FirstOrDefaultAsync(c => c.ProjectCode == projectCode, cancellationToken);
    }

    /// <summary>
    /// The draw record as <paramref name="viewer"/> may see it: the project's supervisors always whole (names, every round
    /// with its candidates and the excluded with their reasons); the tenderee's users, the staff of the project's centre
    /// or a centre above and administrators see counts and states only until <see cref="ExpertCommittee.UnsealAt"/>, then
    /// the members' names (never the excluded ones). Anybody else is refused.
    /// </summary>
    public async Task<CommitteeRecordView> RecordAsync(Guid projectId, ExpertsActor viewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        await using var db = database.Create();
        // Access before existence: an outsider must not learn whether a draw was requested (names are secret until the result).
        // Who reads the project is the project's rule (IProjectAuthorization): supervisors of its region see the whole
        // record, staff of its centre or a centre above and administrators the sealed one; experts and bidders never.
        var project = await db.Set<Project>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        var access = services.GetRequiredService<IProjectAuthorization>();
        var scope = project is null ? null : await access.ScopeAsync(project.Id, cancellationToken);
        var parties = scope is null ? ProjectParty.None : access.StandingOf(new ProjectPrincipal(viewer.UserName, viewer.Roles, viewer.CentreId, []), scope).Parties;
        var full = (parties & ProjectParty.Supervisor) != 0;
        const ProjectParty sealedReaders = ProjectParty.CentreStaff | ProjectParty.ParentCentreStaff | ProjectParty.Administrator;
        if (project is null || (!full && (parties & sealedReaders) == 0 && !await ActsForTendereeAsync(project, viewer.AccountId, cancellationToken)))
        {
            throw new DomainRuleException(ExpertRules.NotAllowed, "Only the project's supervisors, staff and tenderee read the draw record.");
        }

        var committee = await db.Set<ExpertCommittee>().AsNoTracking().Include(c => c.Invitations).FirstOrDefaultAsync(c => c.ProjectId == projectId, cancellationToken)
            ?? throw new DomainRuleException(ExpertRules.NotFound, $"Project {projectId} has no committee.");

        var now = time.GetUtcNow();
        var names = full || !committee.NamesSealedAt(now);
        IReadOnlyDictionary<Guid, string> pool = full
            ? await db.Set<Expert>().AsNoTracking().ToDictionaryAsync(e => e.Id, e => e.DisplayName, cancellationToken)
            : new Dictionary<Guid, string>();
        return new CommitteeRecordView(committee, full, names, pool);
    }

    /// <summary>The invitations of the signed-in expert, newest first, with the committee each belongs to.</summary>
    public async Task<IReadOnlyList<(CommitteeInvitation Invitation, ExpertCommittee Committee)>> InvitationsOfAsync(ExpertsActor expert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expert);
        await using var db = database.Create();
        var mine = await db.Set<CommitteeInvitation>().AsNoTracking().Where(i => i.UserName == expert.UserName).ToListAsync(cancellationToken);
        var ids = mine.Select(i => i.CommitteeId).Distinct().ToList();
        var committees = await db.Set<ExpertCommittee>().AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        return mine.OrderByDescending(i => i.InvitedAt).Select(i => (i, committees[i.CommitteeId])).ToList();
    }

    /// <summary>Whether <paramref name="accountId"/> acts for the project's owner or its agency.</summary>
    public async Task<bool> ActsForTendereeAsync(Project project, string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        return await membership.IsMemberAsync(project.OwnerEntityId, accountId, cancellationToken)
            || (project.AgencyEntityId is { } agency && await membership.IsMemberAsync(agency, accountId, cancellationToken));
    }

    private async Task RequireTendereeAsync(Project project, ExpertsActor actor, CancellationToken cancellationToken)
    {
        if ((actor.IsStaff && actor.CentreId == project.CentreId) || await ActsForTendereeAsync(project, actor.AccountId, cancellationToken))
        {
            return;
        }

        throw new DomainRuleException(ExpertRules.NotAllowed, $"Only the tenderee of {project.Code}, its agency or the centre's staff request its committee.");
    }

    private async Task RedrawAsync(TradingDbContext db, ExpertCommittee committee, CommitteeInvitation seat, DrawCause cause, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var round = await DrawSeatsAsync(db, committee, seat.Specialty, 1, cause, actor, now, cancellationToken);
        await trail.AppendAsync(db, Record(actor, committee, CommitteeActions.Redrawn, new
        {
            replacing = seat.Id,
            cause = cause.ToString(),
            round = round.Number,
            drawn = round.Drawn.Count,
        }), cancellationToken);
    }

    private async Task<DrawRound> DrawSeatsAsync(TradingDbContext db, ExpertCommittee committee, string specialty, int count, DrawCause cause, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pool = await db.Set<Expert>().AsNoTracking().ToListAsync(cancellationToken);
        var facts = await FactsAsync(db, committee, now, cancellationToken);
        var round = ExpertDraw.Run(pool, specialty, count, facts, random, committee.Rounds.Count + 1, now, actor, cause);
        var before = committee.Invitations.Count;
        AddRound(db, committee, round, pool, now);
        await AppendInvitationsAsync(db, committee, committee.Invitations.Skip(before).ToList(), actor, cancellationToken);
        if (committee.State == CommitteeState.Short)
        {
            await trail.AppendAsync(db, Record(actor, committee, CommitteeActions.Short, new { specialty, wanted = count, drawn = round.Drawn.Count }), cancellationToken);
        }

        return round;
    }

    private void AddRound(TradingDbContext db, ExpertCommittee committee, DrawRound round, IReadOnlyList<Expert> pool, DateTimeOffset now)
    {
        // Never later than the evaluation's start; but once the start has passed with a seat still open the evaluation
        // waits for the committee, and a replacement drawn then gets the whole window (a past time could not be met).
        var respondBy = now + Options.ResponseWindow;
        if (respondBy > committee.EvaluationStartsAt && committee.EvaluationStartsAt > now)
        {
            respondBy = committee.EvaluationStartsAt;
        }

        var byId = pool.ToDictionary(e => e.Id);
        var invitations = round.Drawn.Select((id, order) => new CommitteeInvitation(
            Guid.NewGuid(), committee.Id, id, byId[id].UserName, byId[id].DisplayName, round.Specialty, round.Number, order + 1, now, respondBy)).ToList();
        db.AddRange(invitations);
        committee.AddRound(round, invitations);
    }

    private async Task AppendInvitationsAsync(TradingDbContext db, ExpertCommittee committee, IEnumerable<CommitteeInvitation> invitations, string actor, CancellationToken cancellationToken)
    {
        foreach (var invitation in invitations)
        {
            await trail.AppendAsync(db, Record(actor, committee, CommitteeActions.InvitationSent, new
            {
                invitationId = invitation.Id,
                userName = invitation.UserName,
                respondBy = invitation.RespondBy,
                evaluationStartsAt = committee.EvaluationStartsAt,
            }), cancellationToken);
        }
    }

    /// <summary>Runs a change of one committee in its own transaction; settles its state and records a newly complete committee.</summary>
    private async Task<ExpertCommittee> ChangeAsync(Func<TradingDbContext, DateTimeOffset, Task<ExpertCommittee>> change, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var committee = await change(db, now);
        committee.Settle();
        if (committee.State == CommitteeState.Confirmed && db.Entry(committee).Property(c => c.State).OriginalValue != CommitteeState.Confirmed)
        {
            committee.Confirmed(now);
            await trail.AppendAsync(db, Record(SystemActor, committee, CommitteeActions.Confirmed, new
            {
                size = committee.Size,
                requestedBy = committee.RequestedBy,
            }), cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainRuleException(ExpertRules.Changed, $"Committee {committee.Id} changed meanwhile.");
        }

        await tx.CommitAsync(cancellationToken);
        return committee;
    }

    private static async Task<ExpertCommittee> LoadAsync(TradingDbContext db, Guid committeeId, CancellationToken cancellationToken) =>
        await db.Set<ExpertCommittee>().Include(c => c.Invitations).FirstOrDefaultAsync(c => c.Id == committeeId, cancellationToken)
            ?? throw new DomainRuleException(ExpertRules.NotFound, $"No committee {committeeId}.");

    /// <summary>What this project's draws avoid: its bidders, the tenderee's side, recent committees of the same tenderee, the already invited.</summary>
    private async Task<DrawFacts> FactsAsync(TradingDbContext db, ExpertCommittee committee, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var project = await db.Set<Project>().AsNoTracking().FirstAsync(p => p.Id == committee.ProjectId, cancellationToken);
        var bidderIds = await db.Set<Participation>().AsNoTracking().Where(p => p.ProjectId == committee.ProjectId)
            .Select(p => new { p.EntityId, p.EntityName }).Distinct().ToListAsync(cancellationToken);
        var partyIds = bidderIds.Select(b => b.EntityId).Append(project.OwnerEntityId).ToList();
        if (project.AgencyEntityId is { } agencyId)
        {
            partyIds.Add(agencyId);
        }

        var entities = await db.Set<MarketEntity>().AsNoTracking().Where(e => partyIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
        var bidders = bidderIds.Select(b => entities.TryGetValue(b.EntityId, out var e)
                ? new BidderFacts(b.EntityId, e.Name, e.Identifier, e.Verified?.LegalRepresentative)
                : new BidderFacts(b.EntityId, b.EntityName, null, null))
            .ToList();
        var tenderee = new List<PartyFacts> { Party(project.OwnerEntityId, project.OwnerName) };
        if (project.AgencyEntityId is { } agency)
        {
            tenderee.Add(Party(agency, project.AgencyName ?? string.Empty));
        }

        var recent = new HashSet<Guid>();
        if (Options.SameTendereeCooldownDays > 0)
        {
            var since = now.AddDays(-Options.SameTendereeCooldownDays);
            var others = await db.Set<ExpertCommittee>().AsNoTracking().Include(c => c.Invitations)
                .Where(c => c.OwnerEntityId == committee.OwnerEntityId && c.Id != committee.Id)
                .ToListAsync(cancellationToken);
            foreach (var other in others.Where(c => c.EvaluationStartsAt >= since && c.EvaluationStartsAt <= now + TimeSpan.FromDays(365)))
            {
                recent.UnionWith(other.Invitations.Where(i => i.State is InvitationState.Confirmed or InvitationState.Invited).Select(i => i.ExpertId));
            }
        }

        var invited = committee.Invitations.Select(i => i.ExpertId).ToHashSet();
        var supervisor = project.SupervisingDepartment is { } department ? new SupervisorFacts(department.Name, department.CreditCode) : null;
        var today = DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var barred = await CreditService.BarredExpertsAsync(db, today, cancellationToken);
        return new DrawFacts(bidders, tenderee, recent, invited, today, supervisor, barred);

        PartyFacts Party(Guid id, string name) => entities.TryGetValue(id, out var e) ? new PartyFacts(id, e.Name, e.Identifier) : new PartyFacts(id, name, null);
    }

    /// <summary>
    /// Offers <c>experts.committee-confirmed</c> to the project's procedure after the commit. A procedure that is not
    /// waiting for it yet is offered it again by the timer (<see cref="RunDueAsync"/>) for <see cref="ExpertsOptions.TellProcedureFor"/>;
    /// the procedure may also read the committee with the <c>expertsCommitteeState</c> service task.
    /// </summary>
    private async Task TellProcedureAsync(ExpertCommittee committee, CancellationToken cancellationToken)
    {
        if (committee.State != CommitteeState.Confirmed || committee.ProcedureToldAt is not null || services.GetService<IWorkflowEngine>() is not { } engine)
        {
            return;
        }

        try
        {
            var result = await engine.CorrelateMessageAsync(new MessageCorrelation(ExpertMessages.CommitteeConfirmed)
            {
                BusinessKey = committee.ProjectCode,
                UserId = SystemActor,
                Variables = new Dictionary<string, object?>
                {
                    [ExpertMessages.CommitteeId] = committee.Id.ToString(),
                    [ExpertMessages.Evaluators] = committee.Members().Select(m => m.UserName).ToList(),
                },
            }, cancellationToken);
            if (result.Delivered > 0)
            {
                await using var db = database.Create();
                await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
                var row = await db.Set<ExpertCommittee>().FirstAsync(c => c.Id == committee.Id, cancellationToken);
                row.ProcedureTold(time.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
        }
        catch (WorkflowNotFoundException)
        {
            // Not waiting yet: the timer offers it again.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMessageLost(ex, committee.ProjectCode);
        }
    }

    internal static AuditRecord Record(string actor, ExpertCommittee committee, string action, object? data) =>
        new(actor, committee.CentreId, "expert-committee", committee.Id.ToString(), action, new
        {
            committeeId = committee.Id,
            projectId = committee.ProjectId,
            projectCode = committee.ProjectCode,
            projectName = committee.ProjectName,
            details = data,
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Committee {CommitteeId} changed on another node during the timer round; the next round takes it")]
    private partial void LogCommitteeBusy(Guid committeeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The procedure of {ProjectCode} did not take experts.committee-confirmed; the timer offers it again")]
    private partial void LogMessageLost(Exception exception, string projectCode);
}

/// <summary>What a viewer may see of a committee's draw (see <see cref="CommitteeService.RecordAsync"/>).</summary>
public sealed record CommitteeRecordView(ExpertCommittee Committee, bool Full, bool NamesVisible, IReadOnlyDictionary<Guid, string> PoolNames);

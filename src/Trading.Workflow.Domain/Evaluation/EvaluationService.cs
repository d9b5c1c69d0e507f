using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Evaluation;

/// <summary>An evaluation with its members and sheets, as read for one viewer.</summary>
public sealed record EvaluationView(Evaluation Evaluation, IReadOnlyList<EvaluationMember> Members, IReadOnlyList<EvaluationSheet> Sheets)
{
    public IEnumerable<EvaluationMember> Active => Members.Where(m => m.IsActive).OrderBy(m => m.Position);

    public EvaluationMember? ActiveMember(string userName) => Members.FirstOrDefault(m => m.IsActive && m.UserName == userName);

    public EvaluationSheet? SheetOf(EvaluationMember member) => Sheets.FirstOrDefault(s => s.MemberId == member.Id);
}

/// <summary>
/// The remote evaluation (远程评标) shared by every sealed-bid trade: the tenderee's method, the evaluation opened on
/// the committee and the decrypted bids, each member's sheet (draft, submit), requests for more time (more than a
/// third extends, 条例 48), the replacement of a member (条例 48: the work is voided and redone by the replacement, whose
/// task the engine reassigns), aggregation, the chair's report and every member's confirmation (条例 53). Each command
/// commits with its trail record (<c>evaluation.*</c>, data naming evaluationId and projectId).
/// </summary>
public sealed class EvaluationService(
    ITradingDatabase database,
    IProjectAuthorization authorization,
    IProjectParticipants participants,
    IAuditTrail trail,
    IServiceProvider services,
    IOptions<EvaluationOptions> options,
    TimeProvider time)
{
    public const string Platform = "system:evaluation";

    public DateTimeOffset Now => time.GetUtcNow();

    // The experts part implements the committees; resolved when needed, so a host without it still starts and an
    // evaluation asked for without it fails with a rule the procedure shows as an incident.
    private IEvaluationCommittees Committees => services.GetService<IEvaluationCommittees>()
        ?? throw new DomainRuleException(EvaluationRules.CommitteeRequired, "No expert pool is installed to provide the evaluation committee.");

    // ---------------------------------------------------------------- method (tenderee, before evaluation)

    public async Task<EvaluationPlan?> PlanAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<EvaluationPlan>().AsNoTracking().SingleOrDefaultAsync(p => p.ProjectId == projectId, cancellationToken);
    }

    /// <summary>The tenderee (or its agency) sets the method before evaluation; refused once the evaluation opened.</summary>
    public async Task<EvaluationPlan> SetMethodAsync(Guid projectId, EvaluationMethod method, string actor, CancellationToken cancellationToken = default)
    {
        if (!await authorization.CanAsync(actor, projectId, ProjectAction.Manage, null, cancellationToken))
        {
            throw new DomainRuleException(EvaluationRules.NotAllowed, "Only the tenderee or its agency sets the evaluation method.");
        }

        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var project = await db.Set<Project>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == projectId, cancellationToken)
                      ?? throw new DomainRuleException(EvaluationRules.NotFound, $"No project {projectId}.");
        var plan = await db.Set<EvaluationPlan>().SingleOrDefaultAsync(p => p.ProjectId == projectId, cancellationToken);
        if (plan is null)
        {
            plan = EvaluationPlan.Create(projectId, method, actor, Now);
            db.Add(plan);
        }
        else
        {
            plan.Change(method, actor, Now);
        }

        await trail.AppendAsync(db, new AuditRecord(actor, project.CentreId, "project", projectId.ToString(), "evaluation.method.set",
            new { projectId, projectCode = project.Code, method = method.Kind.ToString(), method.Formula, method.K, method.CandidateCount }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return plan;
    }

    // ---------------------------------------------------------------- open (procedure)

    /// <summary>
    /// Opens the project's evaluation in the caller's transaction (the engine command of <c>evaluation.open</c>): the
    /// committee confirmed by the experts part, the method (locked from now on), and every decrypted bid of the project's
    /// closed openings. Refused while a trade's <see cref="IProcedureHold"/> holds the project. Idempotent: an evaluation
    /// already opened is returned.
    /// </summary>
    public async Task<(Evaluation Evaluation, IReadOnlyList<EvaluationMember> Members)> OpenAsync(
        TradingDbContext db, string projectCode, Guid? committeeId, Guid? instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var project = await db.Set<Project>().AsNoTracking().Include(p => p.Sections).SingleOrDefaultAsync(p => p.Code == projectCode, cancellationToken)
                      ?? throw new DomainRuleException(EvaluationRules.NotFound, $"No project {projectCode}.");
        var existing = await db.Set<Evaluation>().SingleOrDefaultAsync(e => e.ProjectId == project.Id, cancellationToken);
        if (existing is not null)
        {
            return (existing, await db.Set<EvaluationMember>().Where(m => m.EvaluationId == existing.Id).OrderBy(m => m.Position).ToListAsync(cancellationToken));
        }

        await ProcedureHolds.CheckAsync(services, db, project.Id, null, cancellationToken);
        var committee = await Committees.GetConfirmedCommitteeAsync(project.Id, cancellationToken);
        if (committee is null || committee.Members.Count == 0 || (committeeId is { } id && committee.Id != id))
        {
            throw new DomainRuleException(EvaluationRules.CommitteeRequired, "The project has no confirmed evaluation committee.");
        }

        var plan = await db.Set<EvaluationPlan>().SingleOrDefaultAsync(p => p.ProjectId == project.Id, cancellationToken)
                   ?? throw new DomainRuleException(EvaluationRules.MethodRequired, "The tenderee has not set the evaluation method.");
        plan.Lock(Now);

        var sections = new List<EvaluatedSection>();
        foreach (var section in project.Sections.OrderBy(s => s.Number))
        {
            var session = await db.Set<OpeningSession>().AsNoTracking()
                .SingleOrDefaultAsync(s => s.SectionId == section.Id && s.State == OpeningState.Closed, cancellationToken);
            if (session is null)
            {
                continue;
            }

            var bids = (await db.Set<OpeningBid>().AsNoTracking().Where(b => b.SessionId == session.Id && b.State == OpeningBidState.Decrypted)
                .ToListAsync(cancellationToken)).OrderBy(b => b.ArrivedAt).ThenBy(b => b.BidId).ToList();
            var bidIds = bids.Select(b => b.BidId).ToList();
            var items = await db.Set<OpenedBidItem>().AsNoTracking().Where(i => bidIds.Contains(i.BidId)).ToListAsync(cancellationToken);
            // Each bidder's deposit as the signed opening record states it, so the committee's rules read it from the bid.
            var record = await db.Set<OpeningRecord>().AsNoTracking().SingleOrDefaultAsync(r => r.SessionId == session.Id, cancellationToken);
            var deposits = record is null
                ? new Dictionary<Guid, string>()
                : record.Content.Entries.GroupBy(e => e.EntityId).ToDictionary(g => g.Key, g => g.First().Deposit);
            sections.Add(new EvaluatedSection(section.Id, section.Code, section.Subject, session.Id, [.. bids.Select(b => new EvaluatedBid(
                b.BidId, section.Id, b.EntityId, b.EntityName, b.Letter!.Price, b.Letter.DurationDays, b.Letter.Quality, b.Letter.Remarks,
                [.. items.Where(i => i.BidId == b.BidId).OrderBy(i => i.Position).Select(i => new EvaluatedBidItem(i.Id, i.Name, i.Kind, i.PlaintextSm3, i.Length))],
                deposits.GetValueOrDefault(b.EntityId)))]));
        }

        var evaluation = Evaluation.Open(project.Id, project.Code, project.Name, project.CentreId, committee.Id, instanceId, plan.Method,
            [.. sections.Where(s => s.Bids.Count > 0)], Now, options.Value.Duration);
        db.Add(evaluation);
        var members = committee.Members.Select((m, i) => EvaluationMember.Join(evaluation.Id, m.ExpertId, m.UserName, m.DisplayName, m.IsTendereeRepresentative, i + 1, Now)).ToList();
        foreach (var member in members)
        {
            db.Add(member);
            db.Add(EvaluationSheet.Start(evaluation.Id, member.Id, Now));
            await participants.AddExpertAsync(db, project.Id, member.UserName, null, Platform, cancellationToken);
        }

        await AppendAsync(db, Platform, evaluation, "evaluation.opened",
            new { committeeId = committee.Id, members = members.Select(m => m.UserName), sections = evaluation.Sections.Select(s => s.Code), method = evaluation.Method.Kind.ToString() },
            cancellationToken);
        return (evaluation, members);
    }

    // ---------------------------------------------------------------- queries

    public async Task<EvaluationView?> GetAsync(Guid evaluationId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await ViewAsync(db, await db.Set<Evaluation>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == evaluationId, cancellationToken), cancellationToken);
    }

    public async Task<EvaluationView?> ForProjectAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await ViewAsync(db, await db.Set<Evaluation>().AsNoTracking().SingleOrDefaultAsync(e => e.ProjectId == projectId, cancellationToken), cancellationToken);
    }

    public async Task<EvaluationView?> ForProjectCodeAsync(string projectCode, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await ViewAsync(db, await db.Set<Evaluation>().AsNoTracking().SingleOrDefaultAsync(e => e.ProjectCode == projectCode, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// What a member's workbench shows: only an active member of the committee, only while the evaluation runs (not
    /// once the report is confirmed). Throws <see cref="EvaluationRules.NotAMember"/> otherwise.
    /// </summary>
    public async Task<(EvaluationView View, EvaluationMember Member)> WorkbenchAsync(string userName, Guid evaluationId, CancellationToken cancellationToken = default)
    {
        var view = await GetAsync(evaluationId, cancellationToken) ?? throw new DomainRuleException(EvaluationRules.NotFound, $"No evaluation {evaluationId}.");
        var member = view.ActiveMember(userName);
        if (member is null || view.Evaluation.State == EvaluationState.Confirmed)
        {
            throw new DomainRuleException(EvaluationRules.NotAMember, "Only the committee's members see this evaluation, and only while it runs.");
        }

        return (view, member);
    }

    /// <summary>
    /// Whether the viewer may see scores and rejections: a member during the evaluation, supervisors always, the other
    /// parties of the project (tenderee, staff, bidders) only once every member confirmed the report.
    /// </summary>
    public async Task<bool> MaySeeScoresAsync(EvaluationActor actor, EvaluationView view, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(view);
        if (actor.IsSupervisor && await authorization.CanAsync(actor.UserName, view.Evaluation.ProjectId, ProjectAction.ViewProject, null, cancellationToken))
        {
            return true;
        }

        if (view.Evaluation.State == EvaluationState.Confirmed)
        {
            return await authorization.CanAsync(actor.UserName, view.Evaluation.ProjectId, ProjectAction.ViewProject, null, cancellationToken)
                   || await authorization.CanAsync(actor.UserName, view.Evaluation.ProjectId, ProjectAction.Act, null, cancellationToken);
        }

        return view.ActiveMember(actor.UserName) is not null;
    }

    // ---------------------------------------------------------------- a member's sheet

    public Task<EvaluationSheet> SaveDraftAsync(string userName, Guid evaluationId, IReadOnlyList<BidReview> reviews, CancellationToken cancellationToken = default) =>
        SheetCommandAsync(userName, evaluationId, "evaluation.sheet.saved", (evaluation, sheet) => sheet.Save(reviews, evaluation.Method, evaluation.Sections, Now), cancellationToken);

    /// <summary>Saves (when <paramref name="reviews"/> is given) and submits the member's sheet: it is locked from then on.</summary>
    public Task<EvaluationSheet> SubmitAsync(string userName, Guid evaluationId, IReadOnlyList<BidReview>? reviews = null, CancellationToken cancellationToken = default) =>
        SheetCommandAsync(userName, evaluationId, "evaluation.sheet.submitted", (evaluation, sheet) =>
        {
            if (reviews is not null)
            {
                sheet.Save(reviews, evaluation.Method, evaluation.Sections, Now);
            }

            sheet.Submit(evaluation.Method, evaluation.Sections, Now);
        }, cancellationToken);

    private async Task<EvaluationSheet> SheetCommandAsync(string userName, Guid evaluationId, string action, Action<Evaluation, EvaluationSheet> change, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var (evaluation, member) = await ActiveMemberAsync(db, userName, evaluationId, cancellationToken);
        evaluation.Require(EvaluationState.Scoring, EvaluationRules.NotScoring, "The sheets are closed: the results are aggregated.");
        var sheet = await db.Set<EvaluationSheet>().SingleAsync(s => s.MemberId == member.Id, cancellationToken);
        change(evaluation, sheet);
        await AppendAsync(db, userName, evaluation, action, new { memberId = member.Id }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return sheet;
    }

    // ---------------------------------------------------------------- more time (条例 48)

    /// <summary>
    /// Records a member's request for more time; when more than a third of the active members asked, the due time moves
    /// by <see cref="EvaluationOptions.Extension"/>, the requests start over, and the procedure's <c>evaluationDue</c>
    /// follows. Returns whether this request extended the evaluation.
    /// </summary>
    public async Task<bool> AskForMoreTimeAsync(string userName, Guid evaluationId, CancellationToken cancellationToken = default)
    {
        bool extended;
        Evaluation evaluation;
        DateTimeOffset previousDue;
        await using (var db = database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            (evaluation, var member) = await ActiveMemberAsync(db, userName, evaluationId, cancellationToken);
            evaluation.Require(EvaluationState.Scoring, EvaluationRules.NotScoring, "Only an evaluation under way is extended.");
            member.AskForTime(Now);
            var active = await db.Set<EvaluationMember>().Where(m => m.EvaluationId == evaluationId && m.State == MemberState.Active).ToListAsync(cancellationToken);
            var asking = active.Count(m => m.AskedForTimeAt is not null);
            await AppendAsync(db, userName, evaluation, "evaluation.time.requested", new { memberId = member.Id, asking, members = active.Count }, cancellationToken);
            extended = Evaluation.ExtensionDue(asking, active.Count);
            previousDue = evaluation.DueAt;
            if (extended)
            {
                evaluation.Extend(options.Value.Extension);
                foreach (var m in active)
                {
                    m.ClearTimeRequest();
                }

                await AppendAsync(db, Platform, evaluation, "evaluation.extended",
                    new { asking, members = active.Count, dueAt = evaluation.DueAt, extensions = evaluation.Extensions }, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        if (extended && evaluation.InstanceId is { } instance && services.GetService<IWorkflowEngine>() is { } engine)
        {
            await engine.SetVariablesAsync(instance, new Dictionary<string, object?> { [EvaluationVariables.EvaluationDue] = Iso(evaluation.DueAt) }, Platform, cancellationToken);

            // The tasks already created with the old limit (each member's evaluation task, the report) move with it;
            // later tasks read the new evaluationDue. A task is known by its due date: the old limit, to the second.
            var reason = $"evaluation.extended: {Iso(previousDue)} → {Iso(evaluation.DueAt)}";
            foreach (var task in await engine.GetTasksAsync(new TaskQuery { InstanceId = instance }, cancellationToken))
            {
                if (task.State == UserTaskState.Open && task.Due is { } due && Math.Abs((due - previousDue).TotalSeconds) < 1)
                {
                    await engine.SetTaskDueAsync(task.Id, evaluation.DueAt, reason, Platform, cancellationToken);
                }
            }
        }

        return extended;
    }

    // ---------------------------------------------------------------- replacement (条例 48)

    /// <summary>
    /// Replaces a member (staff of the centre or a supervisor): the experts part draws the replacement, the member's
    /// sheet is voided, and once the replacement is confirmed (at once, or later by <see cref="SyncMembersAsync"/>) the
    /// replacement joins with a new sheet and the open evaluation task is reassigned to it.
    /// </summary>
    public async Task<EvaluationView> ReplaceMemberAsync(EvaluationActor actor, Guid evaluationId, Guid expertId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainRuleException(EvaluationRules.NotAllowed, "A replacement states its reason.");
        }

        var view = await GetAsync(evaluationId, cancellationToken) ?? throw new DomainRuleException(EvaluationRules.NotFound, $"No evaluation {evaluationId}.");
        var staffOfCentre = actor.IsStaff && actor.CentreId == view.Evaluation.CentreId;
        if (!staffOfCentre && !(actor.IsSupervisor && await authorization.CanAsync(actor.UserName, view.Evaluation.ProjectId, ProjectAction.ViewProject, null, cancellationToken)))
        {
            throw new DomainRuleException(EvaluationRules.NotAllowed, "Only the centre's staff or a supervisor replaces a member.");
        }

        view.Evaluation.Require(EvaluationState.Scoring, EvaluationRules.NotScoring, "Members are replaced while the evaluation is scoring.");
        var leaving = view.Members.FirstOrDefault(m => m.IsActive && m.ExpertId == expertId)
                      ?? throw new DomainRuleException(EvaluationRules.NotAMember, "This expert is not an active member.");
        await Committees.ReplaceMemberAsync(view.Evaluation.CommitteeId, expertId, reason.Trim(), actor.UserName, cancellationToken);

        await using (var db = database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var evaluation = await db.Set<Evaluation>().SingleAsync(e => e.Id == evaluationId, cancellationToken);
            var member = await db.Set<EvaluationMember>().SingleAsync(m => m.Id == leaving.Id, cancellationToken);
            member.Replace(reason.Trim(), Now);
            var sheet = await db.Set<EvaluationSheet>().SingleAsync(s => s.MemberId == member.Id, cancellationToken);
            sheet.Void(Now);
            await AppendAsync(db, actor.UserName, evaluation, "evaluation.member.replaced",
                new { memberId = member.Id, expertId, userName = member.UserName, reason = reason.Trim(), voidedSheetId = sheet.Id }, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        return await SyncMembersAsync(evaluationId, cancellationToken);
    }

    /// <summary>
    /// Brings the replacements the committee has confirmed into the evaluation: each takes the place (position) of a
    /// replaced member, starts a new sheet, becomes a party of the project, and receives the replaced member's open
    /// evaluation task (<see cref="IWorkflowEngine.AssignTaskAsync"/>). Safe to call at any time.
    /// </summary>
    public async Task<EvaluationView> SyncMembersAsync(Guid evaluationId, CancellationToken cancellationToken = default)
    {
        var view = await GetAsync(evaluationId, cancellationToken) ?? throw new DomainRuleException(EvaluationRules.NotFound, $"No evaluation {evaluationId}.");
        if (view.Evaluation.State != EvaluationState.Scoring)
        {
            return view;
        }

        var committee = await Committees.GetConfirmedCommitteeAsync(view.Evaluation.ProjectId, cancellationToken);
        var known = view.Members.Select(m => m.ExpertId).ToHashSet();
        var joining = committee?.Members.Where(m => !known.Contains(m.ExpertId)).ToList() ?? [];
        var vacant = view.Members.Where(m => !m.IsActive && view.Members.All(o => !o.IsActive || o.Position != m.Position)).OrderBy(m => m.Position).ToList();
        var handovers = new List<(string From, string To)>();
        if (joining.Count > 0 && vacant.Count > 0)
        {
            await using var db = database.Create();
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var evaluation = await db.Set<Evaluation>().SingleAsync(e => e.Id == evaluationId, cancellationToken);
            foreach (var (newcomer, seat) in joining.Zip(vacant))
            {
                var member = EvaluationMember.Join(evaluationId, newcomer.ExpertId, newcomer.UserName, newcomer.DisplayName, newcomer.IsTendereeRepresentative, seat.Position, Now);
                db.Add(member);
                db.Add(EvaluationSheet.Start(evaluationId, member.Id, Now));
                await participants.AddExpertAsync(db, evaluation.ProjectId, member.UserName, null, Platform, cancellationToken);
                await AppendAsync(db, Platform, evaluation, "evaluation.member.joined", new { memberId = member.Id, expertId = member.ExpertId, userName = member.UserName, replaces = seat.UserName }, cancellationToken);
                handovers.Add((seat.UserName, member.UserName));
            }

            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        if (handovers.Count > 0 && view.Evaluation.InstanceId is { } instance && services.GetService<IWorkflowEngine>() is { } engine)
        {
            var open = await engine.GetTasksAsync(new TaskQuery { InstanceId = instance }, cancellationToken);
            foreach (var (from, to) in handovers)
            {
                foreach (var task in open.Where(t => t.Assignee == from))
                {
                    await engine.AssignTaskAsync(task.Id, to, Platform, cancellationToken);
                }
            }
        }

        return (await GetAsync(evaluationId, cancellationToken))!;
    }

    /// <summary>Evaluations still scoring with a seat whose member was replaced and whose replacement has not joined yet.</summary>
    public async Task<IReadOnlyList<Guid>> AwaitingReplacementsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var scoring = db.Set<Evaluation>().Where(e => e.State == EvaluationState.Scoring).Select(e => e.Id);
        var members = await db.Set<EvaluationMember>().AsNoTracking().Where(m => scoring.Contains(m.EvaluationId))
            .Select(m => new { m.EvaluationId, m.Position, m.State }).ToListAsync(cancellationToken);
        return [.. members.GroupBy(m => m.EvaluationId)
            .Where(g => g.Any(m => m.State == MemberState.Replaced && !g.Any(o => o.State == MemberState.Active && o.Position == m.Position)))
            .Select(g => g.Key)];
    }

    // ---------------------------------------------------------------- aggregation, report, confirmation

    /// <summary>
    /// In the caller's transaction (<c>evaluation.aggregate</c>): every active member has submitted; the results are
    /// aggregated (<see cref="EvaluationAggregation"/>) and the first active member in the committee's order chairs.
    /// </summary>
    public async Task<(Evaluation Evaluation, IReadOnlyList<string> Members)> AggregateAsync(TradingDbContext db, Guid evaluationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var evaluation = await db.Set<Evaluation>().SingleOrDefaultAsync(e => e.Id == evaluationId, cancellationToken)
                         ?? throw new DomainRuleException(EvaluationRules.NotFound, $"No evaluation {evaluationId}.");
        var members = await db.Set<EvaluationMember>().Where(m => m.EvaluationId == evaluationId).ToListAsync(cancellationToken);
        var active = members.Where(m => m.IsActive).OrderBy(m => m.Position).ToList();
        if (evaluation.State != EvaluationState.Scoring)
        {
            return (evaluation, [.. active.Select(m => m.UserName)]);
        }

        var sheets = await db.Set<EvaluationSheet>().Where(s => s.EvaluationId == evaluationId).ToListAsync(cancellationToken);
        var activeIds = active.Select(m => m.Id).ToHashSet();
        var counted = sheets.Where(s => activeIds.Contains(s.MemberId)).ToList();
        if (active.Count == 0 || counted.Count != active.Count || counted.Any(s => s.State != SheetState.Submitted))
        {
            throw new DomainRuleException(EvaluationRules.SheetsOutstanding, "Every member submits a sheet before the results are aggregated.");
        }

        var outcomes = EvaluationAggregation.Aggregate(evaluation.Method, evaluation.Sections, counted);
        evaluation.Aggregate(outcomes, active[0].UserName, Now);
        await AppendAsync(db, Platform, evaluation, "evaluation.aggregated",
            new { chair = active[0].UserName, candidates = outcomes.Sum(o => o.Candidates(evaluation.Method.CandidateCount).Count) }, cancellationToken);
        return (evaluation, [.. active.Select(m => m.UserName)]);
    }

    public async Task<Evaluation> WriteReportAsync(string userName, Guid evaluationId, string summary, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var (evaluation, _) = await ActiveMemberAsync(db, userName, evaluationId, cancellationToken);
        if (evaluation.ChairUserName != userName)
        {
            throw new DomainRuleException(EvaluationRules.NotChair, "Only the chair writes the report.");
        }

        evaluation.WriteReport(summary, Now);
        await AppendAsync(db, userName, evaluation, "evaluation.report.written", new { }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return evaluation;
    }

    /// <summary>A member answers the report: agrees, dissents with reasons, or refuses without reasons (counts as agreeing, 条例 53).</summary>
    public async Task<EvaluationMember> ConfirmAsync(string userName, Guid evaluationId, ReportConfirmation confirmation, string? dissent, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var (evaluation, member) = await ActiveMemberAsync(db, userName, evaluationId, cancellationToken);
        evaluation.Require(EvaluationState.Confirming, EvaluationRules.NotConfirming, "The report is not waiting for confirmations.");
        member.Confirm(confirmation, dissent, Now);
        await AppendAsync(db, userName, evaluation, "evaluation.report.answered", new { memberId = member.Id, confirmation = confirmation.ToString() }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return member;
    }

    /// <summary>In the caller's transaction (<c>evaluation.close</c>): every active member answered; the report is final.</summary>
    public async Task<Evaluation> CloseAsync(TradingDbContext db, Guid evaluationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var evaluation = await db.Set<Evaluation>().SingleOrDefaultAsync(e => e.Id == evaluationId, cancellationToken)
                         ?? throw new DomainRuleException(EvaluationRules.NotFound, $"No evaluation {evaluationId}.");
        if (evaluation.State == EvaluationState.Confirmed)
        {
            return evaluation;
        }

        var active = await db.Set<EvaluationMember>().Where(m => m.EvaluationId == evaluationId && m.State == MemberState.Active).ToListAsync(cancellationToken);
        if (active.Any(m => m.Confirmation == ReportConfirmation.None))
        {
            throw new DomainRuleException(EvaluationRules.ConfirmationsOutstanding, "Every member answers the report before it is final (条例 53).");
        }

        evaluation.Confirm(Now);
        await AppendAsync(db, Platform, evaluation, "evaluation.report.confirmed",
            new { candidates = evaluation.CandidateCount, dissents = active.Count(m => m.Confirmation == ReportConfirmation.Dissented) }, cancellationToken);
        return evaluation;
    }

    // ---------------------------------------------------------------- helpers

    public static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task<EvaluationView?> ViewAsync(TradingDbContext db, Evaluation? evaluation, CancellationToken cancellationToken)
    {
        if (evaluation is null)
        {
            return null;
        }

        var members = await db.Set<EvaluationMember>().AsNoTracking().Where(m => m.EvaluationId == evaluation.Id).ToListAsync(cancellationToken);
        var sheets = await db.Set<EvaluationSheet>().AsNoTracking().Where(s => s.EvaluationId == evaluation.Id).ToListAsync(cancellationToken);
        return new EvaluationView(evaluation, [.. members.OrderBy(m => m.Position).ThenBy(m => m.JoinedAt)], sheets);
    }

    private static async Task<(Evaluation Evaluation, EvaluationMember Member)> ActiveMemberAsync(TradingDbContext db, string userName, Guid evaluationId, CancellationToken cancellationToken)
    {
        var evaluation = await db.Set<Evaluation>().SingleOrDefaultAsync(e => e.Id == evaluationId, cancellationToken)
                         ?? throw new DomainRuleException(EvaluationRules.NotFound, $"No evaluation {evaluationId}.");
        var member = await db.Set<EvaluationMember>().SingleOrDefaultAsync(m => m.EvaluationId == evaluationId && m.UserName == userName && m.State == MemberState.Active, cancellationToken)
                     ?? throw new DomainRuleException(EvaluationRules.NotAMember, "Only the committee's active members act in this evaluation.");
        return (evaluation, member);
    }

    private Task AppendAsync(TradingDbContext db, string actor, Evaluation evaluation, string action, object detail, CancellationToken cancellationToken) =>
        trail.AppendAsync(db, new AuditRecord(actor, evaluation.CentreId, "evaluation", evaluation.Id.ToString(), action,
            new { evaluationId = evaluation.Id, projectId = evaluation.ProjectId, projectCode = evaluation.ProjectCode, detail }), cancellationToken);
}

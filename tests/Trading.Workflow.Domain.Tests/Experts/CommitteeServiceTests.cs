using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Tests.Projects;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.Experts;

/// <summary>The pool and the draw on real databases: requests, avoidance against the project's bidders, answers,
/// redraws on decline and on timeout, sealing, and the message to the procedure.</summary>
public sealed class CommitteeServiceTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Pool_RegistersEditsSuspendsAndAssesses_WithTheTrail_AndRefusesAStaleVersion(DatabaseProvider provider)
    {
        await using var host = await ExpertsHost.StartAsync(provider);
        var expert = await host.ExpertAsync("expert1", past: [new PastEmployer("演示旧单位", null, new DateOnly(2022, 1, 1), new DateOnly(2024, 6, 30))],
            relationships: [new DeclaredRelationship(RelationshipKind.Kin, "兄弟", "王五", null, new DateOnly(2026, 1, 1))]);

        var edited = await host.Pool.UpdateAsync(expert.Id, expert.Version, ExpertsHost.Profile("expert1", "B01", "演示造价咨询有限公司"), ExpertsHost.ExpertActor("expert1"));
        var stale = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Pool.UpdateAsync(expert.Id, expert.Version, ExpertsHost.Profile("expert1"), ExpertsHost.ExpertActor("expert1")));
        var other = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Pool.UpdateAsync(expert.Id, edited.Version, ExpertsHost.Profile("expert1"), ExpertsHost.ExpertActor("expert2")));
        var suspended = await host.Pool.ChangeStatusAsync(expert.Id, edited.Version, ExpertStatus.Suspended, "年度考核不合格", ExpertsHost.Staff);
        var assessed = await host.Pool.AssessAsync(expert.Id, suspended.Version, 55, true, "评审意见与评分不一致", host.Project.Id, host.Project.Code, ExpertsHost.Staff);
        var selfSuspend = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Pool.ChangeStatusAsync(expert.Id, assessed.Version, ExpertStatus.Active, "自行恢复", ExpertsHost.ExpertActor("expert1")));

        Assert.Equal((ExpertRules.Changed, ExpertRules.NotAllowed, ExpertRules.NotAllowed), (stale.RuleCode, other.RuleCode, selfSuspend.RuleCode));
        var read = await host.Pool.GetAsync(expert.Id, ExpertsHost.Supervisor);
        Assert.Equal((ExpertStatus.Suspended, "年度考核不合格", "B01", "演示造价咨询有限公司"),
            (read.Status, read.StatusReason, Assert.Single(read.Profile.Specialties), read.Profile.Employer.Name));
        var assessment = Assert.Single(read.Assessments);
        Assert.Equal((55, true, host.Project.Code), (assessment.Score, assessment.Penalty, assessment.ProjectCode));
        Assert.Single(await host.Pool.ListAsync(new ExpertQuery("造价", "B", ExpertStatus.Suspended), ExpertsHost.Staff));
        Assert.Empty(await host.Pool.ListAsync(new ExpertQuery(Specialty: "A"), ExpertsHost.Staff));
        await using var db = host.Projects.Database.Database.Create();
        var actions = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action.StartsWith("experts.expert.")).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
        Assert.Equal(["experts.expert.registered", "experts.expert.updated", "experts.expert.suspended", "experts.expert.assessed"], actions);
    }

    [Fact]
    public async Task Pool_RefusesAnAccountWithoutTheExpertRole_AndAnInvalidProfile()
    {
        await using var host = await ExpertsHost.StartAsync(DatabaseProvider.Sqlite);

        var notExpert = await Assert.ThrowsAsync<DomainRuleException>(() => host.Pool.RegisterAsync("tenderee", ExpertsHost.Profile("x"), ExpertsHost.Staff));
        host.AccountList.Add("e", Trading.Workflow.Domain.Accounts.PlatformRoles.Expert);
        var badCode = await Assert.ThrowsAsync<DomainRuleException>(() => host.Pool.RegisterAsync("e", ExpertsHost.Profile("x", employerCode: "91350100M000100Y40"), ExpertsHost.Staff));
        var future = await Assert.ThrowsAsync<DomainRuleException>(() => host.Pool.RegisterAsync("e",
            ExpertsHost.Profile("x", past: [new PastEmployer("甲", null, new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1))]), ExpertsHost.Staff));
        var byExpert = await Assert.ThrowsAsync<DomainRuleException>(() => host.Pool.RegisterAsync("e", ExpertsHost.Profile("x"), ExpertsHost.ExpertActor("e")));

        Assert.Equal([ExpertRules.AccountNotExpert, ExpertRules.CreditCodeInvalid, ExpertRules.EmploymentDatesInvalid, ExpertRules.NotAllowed],
            [notExpert.RuleCode, badCode.RuleCode, future.RuleCode, byExpert.RuleCode]);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Request_ForAProjectWithItsSupervisingDepartment_AvoidsOnlyThatDepartmentsStaff(DatabaseProvider provider)
    {
        const string first17 = "11530100MB0000000";
        var bureauCode = first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
        var input = ProjectsHost.Input() with { SupervisingDepartmentName = "演示市住房和城乡建设局", SupervisingDepartmentCreditCode = bureauCode };
        await using var host = await ExpertsHost.StartAsync(provider, project: input);
        Assert.Equal(new DepartmentRef("演示市住房和城乡建设局", bureauCode), host.Project.SupervisingDepartment);
        var clean = await host.ExpertsAsync(2);
        var bureau = await host.ExpertAsync("bureau", employer: "演示市住房和城乡建设局", supervising: true);
        var bureauByCode = await host.ExpertAsync("bureau-code", employer: "演示市住建局", employerCode: bureauCode, supervising: true);
        var transport = await host.ExpertAsync("transport", employer: "演示市交通运输局", supervising: true);
        var water = await host.ExpertAsync("water", employer: "演示市水务局", supervising: true);

        var committee = await host.Committees.RequestAsync(host.Request(4, "tenderee2"), ExpertsHost.Tenderee);

        var round = Assert.Single(committee.Rounds);
        Assert.Equal(new[] { bureau.Id, bureauByCode.Id }.Order(), round.Excluded.Select(x => x.ExpertId).Order());
        Assert.All(round.Excluded, x =>
        {
            Assert.Equal(ExclusionReason.SupervisingDepartmentStaff, x.Reasons.Single());
            Assert.Equal("演示市住房和城乡建设局", x.Detail);
        });
        // Other departments' staff are no longer avoided: with 4 seats and 4 eligible, both are drawn.
        Assert.Equal(new[] { clean[0].Id, clean[1].Id, transport.Id, water.Id }.Order(), round.Drawn.Order());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Request_DrawsAvoidingTheBiddersAndTheTenderee_AndRecordsTheRound(DatabaseProvider provider)
    {
        await using var host = await ExpertsHost.StartAsync(provider);
        var bidder = await host.BidderAsync("演示建设集团有限公司", "91350100M000100Y4", representative: "张建国");
        var clean = await host.ExpertsAsync(6);
        var employee = await host.ExpertAsync("employee", employer: "演示建设集团 有限公司");
        var byCode = await host.ExpertAsync("bycode", employer: "旧称", employerCode: bidder.Identifier);
        var former = await host.ExpertAsync("former", past: [new PastEmployer(bidder.Name, null, new DateOnly(2022, 1, 1), new DateOnly(2025, 1, 1))]);
        var kin = await host.ExpertAsync("kin", relationships: [new DeclaredRelationship(RelationshipKind.Kin, "配偶", "张建国", null, new DateOnly(2026, 1, 1))]);
        var tendereeStaff = await host.ExpertAsync("school", employer: "演示市第一中学");
        var supervising = await host.ExpertAsync("bureau", employer: "演示市住房和城乡建设局", supervising: true);
        var suspended = await host.ExpertAsync("suspended");
        await host.Pool.ChangeStatusAsync(suspended.Id, suspended.Version, ExpertStatus.Suspended, "请假", ExpertsHost.Staff);
        var avoided = new[] { employee, byCode, former, kin, tendereeStaff, supervising, suspended }.Select(e => e.Id).ToHashSet();

        var committee = await host.Committees.RequestAsync(host.Request(4, "tenderee2"), ExpertsHost.Tenderee);

        var round = Assert.Single(committee.Rounds);
        Assert.Equal(13, round.Candidates.Count);
        Assert.Equal(avoided.Order(), round.Excluded.Select(x => x.ExpertId).Order());
        Assert.Equal(ExclusionReason.EmployerIsBidder, round.Excluded.Single(x => x.ExpertId == byCode.Id).Reasons.Single());
        Assert.Equal(ExclusionReason.RelationshipWithBidder, round.Excluded.Single(x => x.ExpertId == kin.Id).Reasons.Single());
        Assert.Equal(ExclusionReason.TendereeStaff, round.Excluded.Single(x => x.ExpertId == tendereeStaff.Id).Reasons.Single());
        Assert.Equal(ExclusionReason.SupervisingDepartmentStaff, round.Excluded.Single(x => x.ExpertId == supervising.Id).Reasons.Single());
        // The project records no supervising department: every supervising department's staff is avoided, and the record says so.
        Assert.Null(host.Project.SupervisingDepartment);
        Assert.Contains(Avoidance.NoSupervisorRecorded, round.Excluded.Single(x => x.ExpertId == supervising.Id).Detail, StringComparison.Ordinal);
        Assert.Equal(4, round.Drawn.Count);
        Assert.All(round.Drawn, id => Assert.Contains(id, clean.Select(c => c.Id)));
        Assert.Equal((5, CommitteeState.Drawing, "tenderee2"), (committee.Size, committee.State, Assert.Single(committee.Representatives).UserName));
        var stored = await host.Committees.FindByProjectAsync(host.Project.Id);
        Assert.Equal(round.Drawn, stored!.Invitations.OrderBy(i => i.Order).Select(i => i.ExpertId));
        Assert.Equal(avoided.Order(), Assert.Single(stored.Rounds).Excluded.Select(x => x.ExpertId).Order());
        Assert.Equal(ExpertsHost.Start.AddHours(2), stored.Invitations[0].RespondBy);
    }

    [Fact]
    public async Task Request_IsRefused_ForBadCompositions_ForeignRepresentatives_AnOutsider_AndAShortPool()
    {
        await using var host = await ExpertsHost.StartAsync(DatabaseProvider.Sqlite);
        await host.ExpertsAsync(4);

        var even = await Assert.ThrowsAsync<DomainRuleException>(() => host.Committees.RequestAsync(host.Request(6), ExpertsHost.Tenderee));
        var reps = await Assert.ThrowsAsync<DomainRuleException>(() => host.Committees.RequestAsync(host.Request(3, "tenderee", "tenderee2"), ExpertsHost.Tenderee));
        var foreign = await Assert.ThrowsAsync<DomainRuleException>(() => host.Committees.RequestAsync(host.Request(4, "outsider"), ExpertsHost.Tenderee));
        var outsider = await Assert.ThrowsAsync<DomainRuleException>(() => host.Committees.RequestAsync(host.Request(5), ExpertsHost.Tenderee with { AccountId = "outsider-id" }));
        var shortPool = await Assert.ThrowsAsync<DomainRuleException>(() => host.Committees.RequestAsync(host.Request(5), ExpertsHost.Tenderee));

        Assert.Equal([ExpertRules.CommitteeNotOdd, ExpertRules.TooManyRepresentatives, ExpertRules.RepresentativeNotTenderee, ExpertRules.NotAllowed, ExpertRules.PoolTooSmall],
            [even.RuleCode, reps.RuleCode, foreign.RuleCode, outsider.RuleCode, shortPool.RuleCode]);
        Assert.Null(await host.Committees.FindByProjectAsync(host.Project.Id));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Decline_RedrawsTheSeatAtOnce_FromThoseNotYetInvited(DatabaseProvider provider)
    {
        await using var host = await ExpertsHost.StartAsync(provider);
        await host.ExpertsAsync(7);
        var committee = await host.Committees.RequestAsync(host.Request(5), ExpertsHost.Tenderee);
        var first = committee.Invitations[0];

        var refusedWithoutReason = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Committees.RespondAsync(first.Id, false, " ", ExpertsHost.ExpertActor(first.UserName)));
        var notMine = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Committees.RespondAsync(first.Id, true, null, ExpertsHost.ExpertActor("someone")));
        var after = await host.Committees.RespondAsync(first.Id, false, "与投标人存在利害关系，申请回避", ExpertsHost.ExpertActor(first.UserName));

        Assert.Equal((ExpertRules.ReasonRequired, ExpertRules.NotAllowed), (refusedWithoutReason.RuleCode, notMine.RuleCode));
        Assert.Equal(2, after.Rounds.Count);
        var redraw = after.Rounds[1];
        Assert.Equal((DrawCause.Declined, 1), (redraw.Cause, redraw.Drawn.Count));
        Assert.Equal(5, redraw.Excluded.Count(x => x.Reasons.Contains(ExclusionReason.AlreadyInvited)));
        Assert.DoesNotContain(redraw.Drawn[0], committee.Invitations.Select(i => i.ExpertId));
        Assert.Equal(5, after.Invitations.Count(i => i.HoldsSeat));
        Assert.Equal(InvitationState.Declined, after.Invitations.Single(i => i.Id == first.Id).State);
        Assert.Equal(CommitteeState.Drawing, after.State);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task NoAnswerInTime_TheTimerClosesTheInvitation_AndRedraws_AndALateAnswerIsRefused(DatabaseProvider provider)
    {
        await using var host = await ExpertsHost.StartAsync(provider);
        await host.ExpertsAsync(6);
        var committee = await host.Committees.RequestAsync(host.Request(5), ExpertsHost.Tenderee);
        foreach (var invitation in committee.Invitations.Skip(1))
        {
            await host.Committees.RespondAsync(invitation.Id, true, null, ExpertsHost.ExpertActor(invitation.UserName));
        }

        Assert.Equal(0, await host.Committees.RunDueAsync());
        host.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        var late = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Committees.RespondAsync(committee.Invitations[0].Id, true, null, ExpertsHost.ExpertActor(committee.Invitations[0].UserName)));
        var closed = await host.Committees.RunDueAsync();
        var again = await host.Committees.RunDueAsync();

        Assert.Equal((ExpertRules.InvitationNotOpen, 1, 0), (late.RuleCode, closed, again));
        var after = (await host.Committees.FindByProjectAsync(host.Project.Id))!;
        Assert.Equal(InvitationState.TimedOut, after.Invitations.Single(i => i.Id == committee.Invitations[0].Id).State);
        Assert.Equal(DrawCause.TimedOut, after.Rounds[^1].Cause);
        var replacement = after.Invitations.Single(i => i.Round == 2);
        Assert.Equal(host.Clock.GetUtcNow().AddHours(2), replacement.RespondBy);

        var confirmed = await host.Committees.RespondAsync(replacement.Id, true, null, ExpertsHost.ExpertActor(replacement.UserName));
        Assert.Equal(CommitteeState.Confirmed, confirmed.State);
        Assert.Equal(5, (await host.Committees.GetConfirmedCommitteeAsync(host.Project.Id))!.Members.Count);
    }

    [Fact]
    public async Task APoolWithNobodyLeft_LeavesTheCommitteeShort_UntilStaffDrawAgain()
    {
        await using var host = await ExpertsHost.StartAsync(DatabaseProvider.Sqlite);
        await host.ExpertsAsync(5);
        var committee = await host.Committees.RequestAsync(host.Request(5), ExpertsHost.Tenderee);

        var after = await host.Committees.RespondAsync(committee.Invitations[0].Id, false, "出差", ExpertsHost.ExpertActor(committee.Invitations[0].UserName));
        await host.ExpertAsync("late-joiner");
        var tenderee = await Assert.ThrowsAsync<DomainRuleException>(() => host.Committees.RetryShortAsync(committee.Id, ExpertsHost.Tenderee));
        var retried = await host.Committees.RetryShortAsync(committee.Id, host.CentreStaff);

        Assert.Equal(CommitteeState.Short, after.State);
        Assert.Equal(ExpertRules.NotAllowed, tenderee.RuleCode);
        Assert.Equal((CommitteeState.Drawing, DrawCause.Retry, "late-joiner"),
            (retried.State, retried.Rounds[^1].Cause, retried.Invitations.Single(i => i.Round == retried.Rounds[^1].Number).UserName));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Names_AreSealedFromTendereeAndStaff_UntilTheUnsealTime_SupervisorsAlwaysSeeTheWholeRecord(DatabaseProvider provider)
    {
        await using var host = await ExpertsHost.StartAsync(provider);
        await host.ExpertsAsync(5);
        await host.ExpertAsync("conflicted", employer: "演示市第一中学");
        // Before the request an outsider is refused as after it: the refusal does not tell whether a draw exists.
        var outsiderBefore = await Assert.ThrowsAsync<DomainRuleException>(() => host.Committees.RecordAsync(host.Project.Id, ExpertsHost.Tenderee with { AccountId = "outsider-id" }));
        var noDrawYet = await Assert.ThrowsAsync<DomainRuleException>(() => host.Committees.RecordAsync(host.Project.Id, host.CentreStaff));
        await host.Committees.RequestAsync(host.Request(5), ExpertsHost.Tenderee);

        var tenderee = await host.Committees.RecordAsync(host.Project.Id, ExpertsHost.Tenderee);
        var staff = await host.Committees.RecordAsync(host.Project.Id, host.CentreStaff);
        var supervisor = await host.Committees.RecordAsync(host.Project.Id, ExpertsHost.Supervisor);
        var outsider = await Assert.ThrowsAsync<DomainRuleException>(() => host.Committees.RecordAsync(host.Project.Id, ExpertsHost.Tenderee with { AccountId = "outsider-id" }));
        var otherCentre = await Assert.ThrowsAsync<DomainRuleException>(() => host.Committees.RecordAsync(host.Project.Id, ExpertsHost.Staff with { CentreId = Guid.NewGuid() }));
        // The project's rule decides who reads: a supervisor of another city is no supervisor of this project; the
        // province centre's staff read it as staff of a centre above; a drawn expert never.
        var otherCitySupervisor = await Assert.ThrowsAsync<DomainRuleException>(
            () => host.Committees.RecordAsync(host.Project.Id, ExpertsHost.Supervisor with { CentreId = host.Projects.OtherCity.Id }));
        var citySupervisor = await host.Committees.RecordAsync(host.Project.Id, ExpertsHost.Supervisor with { CentreId = host.Project.CentreId });
        var provinceStaff = await host.Committees.RecordAsync(host.Project.Id, ExpertsHost.Staff with { CentreId = host.Projects.Province.Id });
        var expert = await Assert.ThrowsAsync<DomainRuleException>(() => host.Committees.RecordAsync(host.Project.Id, ExpertsHost.ExpertActor("expert1")));
        host.Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(30));
        var unsealed = await host.Committees.RecordAsync(host.Project.Id, ExpertsHost.Tenderee);

        Assert.Equal((false, false), (tenderee.NamesVisible, tenderee.Full));
        Assert.Equal((false, false), (staff.NamesVisible, staff.Full));
        Assert.Equal((true, true), (supervisor.NamesVisible, supervisor.Full));
        Assert.Equal("conflicted", supervisor.PoolNames[Assert.Single(supervisor.Committee.Rounds[0].Excluded).ExpertId]);
        Assert.Empty(tenderee.PoolNames);
        Assert.Equal((ExpertRules.NotAllowed, ExpertRules.NotAllowed), (outsider.RuleCode, otherCentre.RuleCode));
        Assert.Equal((ExpertRules.NotAllowed, ExpertRules.NotAllowed), (otherCitySupervisor.RuleCode, expert.RuleCode));
        Assert.Equal((true, true), (citySupervisor.NamesVisible, citySupervisor.Full));
        Assert.Equal((false, false), (provinceStaff.NamesVisible, provinceStaff.Full));
        Assert.Equal((ExpertRules.NotAllowed, ExpertRules.NotFound), (outsiderBefore.RuleCode, noDrawYet.RuleCode));
        Assert.Equal((true, false), (unsealed.NamesVisible, unsealed.Full));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task EveryoneConfirmed_TellsTheProcedure_WithCommitteeIdAndEvaluators_AndNotifiesTheInvitedBySmsAndVoice(DatabaseProvider provider)
    {
        await using var host = await ExpertsHost.StartAsync(provider);
        var engine = host.Services.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.Parse(WaitingProcedure));
        var instance = await engine.StartAsync("experts-test", host.Project.Code);
        await host.ExpertsAsync(4);
        var committee = await host.Committees.RequestAsync(host.Request(4, "tenderee2"), ExpertsHost.Tenderee);

        await host.ConfirmAllAsync(committee);

        var variables = (await host.Services.GetRequiredService<IWorkflowStore>().GetVariablesAsync(instance.Id))!;
        Assert.Equal(committee.Id.ToString(), variables[ExpertMessages.CommitteeId]?.ToString());
        var evaluators = Assert.IsAssignableFrom<System.Collections.IEnumerable>(variables[ExpertMessages.Evaluators]).Cast<object>().Select(o => o.ToString()).ToList();
        Assert.Equal(committee.Invitations.Select(i => i.UserName).Append("tenderee2").Order(), evaluators.Order());
        Assert.Equal(true, variables[ExpertsCommitteeStateHandler.Confirmed]);
        Assert.NotNull((await host.Committees.FindByProjectAsync(host.Project.Id))!.ProcedureToldAt);

        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using var db = host.Projects.Database.Database.Create();
        var invited = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == CommitteeActions.InvitationSent).ToListAsync();
        Assert.Equal(4, invited.Count);
        Assert.Contains(invited, n => n.UserId == committee.Invitations[0].UserName);
        var channels = await db.Set<NotificationDelivery>().AsNoTracking().Where(d => invited.Select(n => n.Id).Contains(d.NotificationId)).Select(d => d.Channel).ToListAsync();
        Assert.Equal(8, channels.Count);
        Assert.Equal(4, channels.Count(c => c == NotificationChannels.Voice));
        Assert.Single(await db.Set<Notification>().AsNoTracking().Where(n => n.Template == CommitteeActions.Confirmed && n.UserId == "tenderee").ToListAsync());
        var register = host.Services.GetRequiredService<Trading.Workflow.Domain.Access.IProjectPartyRegister>();
        Assert.Equal(committee.Invitations.Select(i => i.UserName).Order(), (await register.ExpertsOfAsync(host.Project.Id)).Order());
    }

    [Fact]
    public async Task AConfirmedCommitteeBeforeTheProcedureWaits_IsToldByTheTimer()
    {
        await using var host = await ExpertsHost.StartAsync(DatabaseProvider.Sqlite);
        var engine = host.Services.GetRequiredService<IWorkflowEngine>();
        await host.ExpertsAsync(5);
        var committee = await host.Committees.RequestAsync(host.Request(5), ExpertsHost.Tenderee);
        await host.ConfirmAllAsync(committee);

        Assert.Null((await host.Committees.FindByProjectAsync(host.Project.Id))!.ProcedureToldAt);
        await engine.DeployAsync(BpmnParser.Parse(WaitingProcedure));
        var instance = await engine.StartAsync("experts-test", host.Project.Code);
        await host.Committees.RunDueAsync();

        Assert.NotNull((await host.Committees.FindByProjectAsync(host.Project.Id))!.ProcedureToldAt);
        Assert.Equal(committee.Id.ToString(), (await host.Services.GetRequiredService<IWorkflowStore>().GetVariablesAsync(instance.Id))![ExpertMessages.CommitteeId]?.ToString());
    }

    [Fact]
    public async Task ReplaceMember_VoidsTheSeat_AndDrawsAReplacementWhoMustConfirm()
    {
        await using var host = await ExpertsHost.StartAsync(DatabaseProvider.Sqlite);
        await host.ExpertsAsync(6);
        var committee = await host.Committees.RequestAsync(host.Request(5), ExpertsHost.Tenderee);
        await host.ConfirmAllAsync(committee);

        var replaced = committee.Invitations[2];
        var after = await host.Committees.ReplaceMemberAsync(committee.Id, replaced.ExpertId, "评审中发现应回避", "staff");

        Assert.Equal(4, after.Members.Count);
        Assert.DoesNotContain(after.Members, m => m.ExpertId == replaced.ExpertId);
        var stored = (await host.Committees.FindByProjectAsync(host.Project.Id))!;
        Assert.Equal((CommitteeState.Drawing, DrawCause.Replacement), (stored.State, stored.Rounds[^1].Cause));
        var newcomer = stored.Invitations.Single(i => i.State == InvitationState.Invited);
        await host.Committees.RespondAsync(newcomer.Id, true, null, ExpertsHost.ExpertActor(newcomer.UserName));
        Assert.Contains((await host.Committees.GetConfirmedCommitteeAsync(host.Project.Id))!.Members, m => m.ExpertId == newcomer.ExpertId);
    }

    [Fact]
    public async Task AnExpertWhoSatForTheSameTendereeRecently_IsAvoided()
    {
        await using var host = await ExpertsHost.StartAsync(DatabaseProvider.Sqlite);
        await host.ExpertsAsync(6);
        var first = await host.Committees.RequestAsync(host.Request(5), ExpertsHost.Tenderee);
        await host.ConfirmAllAsync(first);

        var second = await host.Projects.Projects.RegisterAsync(Projects.ProjectsHost.Tenderee(host.Projects.City), Projects.ProjectsHost.Input(name: "演示学校食堂改造工程"));
        await host.SetMethodAsync(second);
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Committees.RequestAsync(new CommitteeRequest(second.Id, [new SpecialtyCount("A01", 5)], [], ExpertsHost.Start.AddDays(3)), ExpertsHost.Tenderee));

        Assert.Equal(ExpertRules.PoolTooSmall, refused.RuleCode);
        Assert.Contains("5 avoided", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Request_WithTheEvaluationInstalled_IsRefusedUntilTheTendereeSetTheEvaluationMethod_AndDrawsNothing(DatabaseProvider provider)
    {
        await using var host = await ExpertsHost.StartAsync(provider, setMethod: false);
        await host.ExpertsAsync(6);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Committees.RequestAsync(host.Request(5), ExpertsHost.Tenderee));
        Assert.Equal(ExpertRules.EvaluationMethodRequired, refused.RuleCode);
        Assert.Null(await host.Committees.FindByProjectAsync(host.Project.Id));
        await using (var db = host.Projects.Database.Database.Create())
        {
            Assert.Empty(await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action.StartsWith("experts.committee.")).Select(e => e.Action).ToListAsync());
        }

        // An outsider is told it may not request, not what the project lacks.
        var outsider = await Assert.ThrowsAsync<DomainRuleException>(() => host.Committees.RequestAsync(host.Request(5), ExpertsHost.Tenderee with { UserName = "outsider", AccountId = "outsider-id" }));
        Assert.Equal(ExpertRules.NotAllowed, outsider.RuleCode);

        await host.SetMethodAsync(host.Project);
        var committee = await host.Committees.RequestAsync(host.Request(5), ExpertsHost.Tenderee);

        Assert.Equal(5, committee.Invitations.Count);
    }

    private const string WaitingProcedure = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="d" targetNamespace="http://trading.workflow/tests">
          <bpmn:message id="msg_confirmed" name="experts.committee-confirmed" />
          <bpmn:process id="experts-test" isExecutable="true">
            <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:intermediateCatchEvent id="waitCommittee"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
              <bpmn:messageEventDefinition id="waitCommittee_def" messageRef="msg_confirmed" /></bpmn:intermediateCatchEvent>
            <bpmn:serviceTask id="readCommittee" tw:handler="expertsCommitteeState"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:serviceTask>
            <bpmn:userTask id="evaluate" name="评标"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:userTask>
            <bpmn:endEvent id="end"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="waitCommittee" />
            <bpmn:sequenceFlow id="f2" sourceRef="waitCommittee" targetRef="readCommittee" />
            <bpmn:sequenceFlow id="f3" sourceRef="readCommittee" targetRef="evaluate" />
            <bpmn:sequenceFlow id="f4" sourceRef="evaluate" targetRef="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;
}

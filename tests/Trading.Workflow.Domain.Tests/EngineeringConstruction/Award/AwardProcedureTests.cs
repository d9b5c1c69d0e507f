using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Domain.Printing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction.Award;

/// <summary>
/// The award fragment on the real engine and a real database (SQLite file and PostgreSQL): publicity on the portal for
/// 3 日, objections only during it and the award waiting for their answers, the reminder on the answer's last day,
/// complaints after the answer, the supervisor's suspension of the instance, the award with its notices at one instant,
/// the contract's 30 日 and 10% bond, and the winner report's 15 日 with reminders and escalations.
/// </summary>
public sealed class AwardProcedureTests
{
    // The report is confirmed on Mon 2 Nov 2026 at 10:00; the candidates are published at once, until 24:00 Thu 5 Nov.
    private static DateTimeOffset At(int month, int day, int hour = 10, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static readonly DateTimeOffset ReportAt = At(11, 2);
    private static readonly DateTimeOffset PublicityEnd = At(11, 6, 0);

    /// <summary>A state-funded project whose publicity ran out, awarded to rank 1 on Fri 6 Nov 09:00, the award task completed.</summary>
    private static async Task<(Trading.Workflow.Domain.Projects.Project Project, Guid InstanceId, Guid Section)> AwardedToRankOneAsync(AwardTestBed bed, int sequence)
    {
        var (project, instanceId) = await bed.StartAsync(sequence, stateFunded: true, ReportAt);
        var section = project.Sections[0].Id;
        await bed.Host.AdvanceToAsync(At(11, 6, 9));
        await bed.Awards.AwardAsync(project.Id, [new AwardChoice(section, bed.Host.Bidders[0].Id, null)], TenderHost.Tenderee);
        await bed.CompleteAsync(instanceId, "aw_awardDecision");
        return (project, instanceId, section);
    }

    private static async Task<DomainRuleException> RefusedAsync(Func<Task> action) => await Assert.ThrowsAsync<DomainRuleException>(action);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Publicity_PublishedOnThePortal_ForThreeDays_ThenTheAwardTask(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var (project, instanceId) = await bed.StartAsync(401, stateFunded: true, ReportAt);

        var view = (await bed.Awards.GetAsync(project.Id))!;
        Assert.Equal(AwardStage.Publicity, view.Award.Stage);
        Assert.Equal(PublicityEnd, view.Award.PublicityEndsAt);
        Assert.False(view.Award.PublishedLate);
        Assert.Equal(3, view.Award.Candidates.Count);
        Assert.Equal([1, 2, 3], view.Award.Candidates.Select(c => c.Rank));
        await using (var db = bed.Host.Database.Database.Create())
        {
            var notice = await db.Set<Notice>().AsNoTracking().SingleAsync(n => n.Id == view.Award.PublicityNoticeId);
            Assert.Equal(NoticeKind.CandidatePublicity, notice.Kind);
            Assert.Equal(NoticeState.Published, notice.State);
            Assert.Contains(bed.Host.Bidders[1].Name, notice.BodyHtml, StringComparison.Ordinal);
            Assert.Contains("4,350,000.00", notice.BodyHtml, StringComparison.Ordinal);
            Assert.Contains("异议", notice.BodyHtml, StringComparison.Ordinal);
        }

        Assert.Equal("2026-11-06T00:00:00+08:00", (await bed.VariablesAsync(instanceId))[AwardVariables.PublicityEndsAt]);
        await bed.Host.AdvanceToAsync(PublicityEnd.AddMinutes(-1));
        Assert.Empty(await bed.OpenTasksAsync(instanceId));
        await bed.Host.AdvanceToAsync(PublicityEnd);
        Assert.Equal(["aw_awardDecision"], await bed.OpenTasksAsync(instanceId));
        Assert.Contains("engineering-construction.publicity.published", await bed.TrailAsync(project.Id));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Objection_DuringPublicity_AwardRefusedUntilAnswered_RemindedOnTheLastDay_AnswerShownToTheObjector(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var (project, instanceId) = await bed.StartAsync(402, stateFunded: true, ReportAt);
        var bidder2 = bed.Host.Bidders[1];

        bed.Host.Clock.Set(At(11, 3, 15));
        var objection = await bed.Awards.RaiseObjectionAsync(project.Id, bidder2.Id, "第一名的项目经理在建工程未完工。", TenderHost.Bidder(2));
        Assert.Equal(At(11, 7, 0), objection.AnswerDueAt);
        Assert.Equal(["aw_answerObjections"], await bed.OpenTasksAsync(instanceId));

        // The publicity is over but the objection is open: the award is refused (条例 54).
        await bed.Host.AdvanceToAsync(At(11, 6, 0, 30));
        Assert.Contains("engineering-construction.result-objection.reminded", await bed.TrailAsync(project.Id));
        var refused = await RefusedAsync(() => bed.Awards.AwardAsync(project.Id, [new AwardChoice(project.Sections[0].Id, bed.Host.Bidders[0].Id, null)], TenderHost.Tenderee));
        Assert.Equal(AwardRules.ObjectionOpen, refused.RuleCode);

        await bed.Awards.AnswerObjectionAsync(objection.Id, "经核查，该项目经理的在建工程已于 10 月竣工验收。", TenderHost.Tenderee);
        var seen = (await bed.Awards.GetAsync(project.Id))!.Objections.Single();
        Assert.Equal("经核查，该项目经理的在建工程已于 10 月竣工验收。", seen.Answer);
        Assert.False(seen.IsOpen);
        await bed.CompleteAsync(instanceId, "aw_answerObjections");
        Assert.Equal(["aw_awardDecision"], await bed.OpenTasksAsync(instanceId));

        await bed.Awards.AwardAsync(project.Id, [new AwardChoice(project.Sections[0].Id, bed.Host.Bidders[0].Id, null)], TenderHost.Tenderee);
        Assert.Equal(AwardStage.Awarded, (await bed.Awards.GetAsync(project.Id))!.Award.Stage);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Objection_Unanswered_EscalatedOnceAtTheDueDate_ToTheCentresSupervisorsAndTheObjector(DatabaseProvider provider)
    {
        var supervisors = new CentreSupervisors();
        await using var bed = await AwardTestBed.StartAsync(provider, configure: s => s.AddSingleton<INotificationRecipientDirectory>(supervisors));
        var (project, instanceId) = await bed.StartAsync(406, stateFunded: true, ReportAt);
        supervisors.Centre = project.CentreId;
        bed.Host.Clock.Set(At(11, 3, 15));
        var objection = await bed.Awards.RaiseObjectionAsync(project.Id, bed.Host.Bidders[2].Id, "评分有误。", TenderHost.Bidder(3));
        const string overdue = "engineering-construction.result-objection.overdue";

        await bed.Host.AdvanceToAsync(objection.AnswerDueAt.AddMinutes(-1));
        Assert.DoesNotContain(overdue, await bed.TrailAsync(project.Id));
        Assert.Empty(await bed.Awards.OverdueObjectionsAsync(project.CentreId));

        await bed.Host.AdvanceToAsync(objection.AnswerDueAt);
        Assert.Single(await bed.TrailAsync(project.Id), a => a == overdue);
        var listed = Assert.Single(await bed.Awards.OverdueObjectionsAsync(project.CentreId));
        Assert.Equal((OverdueObjectionKind.Result, project.Id, bed.Host.Bidders[2].Name, objection.AnswerDueAt), (listed.Kind, listed.ProjectId, listed.Objector, listed.AnswerDueAt));
        Assert.Empty(await bed.Awards.OverdueObjectionsAsync(Guid.NewGuid()));

        // The tenderee leaves the task with the objection still open: the task is offered again and its timer, already
        // due, fires at once, but the objection was escalated already.
        await bed.CompleteAsync(instanceId, "aw_answerObjections");
        await bed.Host.AdvanceToAsync(objection.AnswerDueAt.AddDays(2));
        Assert.Equal(["aw_answerObjections"], await bed.OpenTasksAsync(instanceId));
        Assert.Single(await bed.TrailAsync(project.Id), a => a == overdue);

        await bed.Host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using var db = bed.Host.Database.Database.Create();
        var entry = await db.Set<AuditEntry>().AsNoTracking().SingleAsync(e => e.Action == overdue);
        Assert.Equal("system:procedure", entry.Actor);
        var sent = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == AwardNotificationRules.ObjectionOverdue).ToListAsync();
        Assert.Equal(["bidder3", "supervisor1"], sent.Select(n => n.UserId).Order());
        Assert.All(sent, n => Assert.Contains(bed.Host.Bidders[2].Name, n.Body, StringComparison.Ordinal));
        Assert.All(sent, n => Assert.Contains("2026-11-07 00:00", n.Body, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Objection_OutsidePublicity_OrByANonBidder_IsRefused(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var (project, _) = await bed.StartAsync(403, stateFunded: true, ReportAt);

        bed.Host.Clock.Set(At(11, 3));
        var notBidder = await RefusedAsync(() => bed.Awards.RaiseObjectionAsync(project.Id, bed.Host.Owner.Id, "异议", TenderHost.Tenderee));
        Assert.Equal(AwardRules.NotABidder, notBidder.RuleCode);
        var notMember = await RefusedAsync(() => bed.Awards.RaiseObjectionAsync(project.Id, bed.Host.Bidders[0].Id, "异议", TenderHost.Bidder(2)));
        Assert.Equal(AwardRules.NotAllowed, notMember.RuleCode);

        bed.Host.Clock.Set(PublicityEnd);
        var late = await RefusedAsync(() => bed.Awards.RaiseObjectionAsync(project.Id, bed.Host.Bidders[1].Id, "异议", TenderHost.Bidder(2)));
        Assert.Equal(AwardRules.OutsidePublicity, late.RuleCode);
        Assert.Empty((await bed.Awards.GetAsync(project.Id))!.Objections);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Complaint_TheTendereeNeverAnswers_TheObjectorComplainsOnceTheAnswerPeriodHasPassed(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var (project, _) = await bed.StartAsync(405, stateFunded: true, ReportAt);
        bed.Host.Clock.Set(At(11, 3));
        var objection = await bed.Awards.RaiseObjectionAsync(project.Id, bed.Host.Bidders[2].Id, "评分有误。", TenderHost.Bidder(3));

        bed.Host.Clock.Set(objection.AnswerDueAt.AddMinutes(-1));
        Assert.Equal(AwardRules.ComplaintBeforeAnswer, (await RefusedAsync(() => bed.Awards.FileComplaintAsync(objection.Id, "投诉", TenderHost.Bidder(3)))).RuleCode);

        // The bug: with no answer ever, every complaint was refused as "before the answer".
        bed.Host.Clock.Set(objection.AnswerDueAt.AddHours(1));
        var complaint = await bed.Awards.FileComplaintAsync(objection.Id, "招标人逾期未答复异议。", TenderHost.Bidder(3));
        Assert.True((await bed.Awards.GetAsync(project.Id))!.Complaints.Single(c => c.Id == complaint.Id).IsOpen);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Complaint_FollowsTheAnswer_WithinTenDays_OnlyByTheObjector_DecidedBySupervisor(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var (project, _) = await bed.StartAsync(404, stateFunded: true, ReportAt);
        bed.Host.Clock.Set(At(11, 3));
        var objection = await bed.Awards.RaiseObjectionAsync(project.Id, bed.Host.Bidders[2].Id, "评分有误。", TenderHost.Bidder(3));

        var early = await RefusedAsync(() => bed.Awards.FileComplaintAsync(objection.Id, "投诉", TenderHost.Bidder(3)));
        Assert.Equal(AwardRules.ComplaintBeforeAnswer, early.RuleCode);

        bed.Host.Clock.Set(At(11, 4));
        await bed.Awards.AnswerObjectionAsync(objection.Id, "评分无误。", TenderHost.Tenderee);
        var other = await RefusedAsync(() => bed.Awards.FileComplaintAsync(objection.Id, "投诉", TenderHost.Bidder(2)));
        Assert.Equal(AwardRules.ComplaintNotObjector, other.RuleCode);

        bed.Host.Clock.Set(At(11, 17, 0, 5));
        var late = await RefusedAsync(() => bed.Awards.FileComplaintAsync(objection.Id, "投诉", TenderHost.Bidder(3)));
        Assert.Equal(AwardRules.ComplaintTooLate, late.RuleCode);

        bed.Host.Clock.Set(At(11, 16, 23));
        var complaint = await bed.Awards.FileComplaintAsync(objection.Id, "对答复不服，请求复核评分。", TenderHost.Bidder(3));
        var notSupervisor = await RefusedAsync(() => bed.Awards.DecideComplaintAsync(complaint.Id, "驳回", TenderHost.Tenderee));
        Assert.Equal(AwardRules.SupervisorOnly, notSupervisor.RuleCode);
        await bed.Host.Services.GetRequiredService<ComplaintService>().AcceptAsync(complaint.Id, AwardTestBed.Supervisor);
        await bed.Awards.DecideComplaintAsync(complaint.Id, "经调查，评分符合招标文件，投诉不成立。", AwardTestBed.Supervisor);
        var view = (await bed.Awards.GetAsync(project.Id))!;
        Assert.False(view.Complaints.Single().IsOpen);
        Assert.Contains("engineering-construction.complaint.filed", await bed.TrailAsync(project.Id));
        Assert.Contains("engineering-construction.complaint.decided", await bed.TrailAsync(project.Id));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Suspension_BySupervisor_SuspendsTheInstance_RefusesTheAward_UntilResumed(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var (project, instanceId) = await bed.StartAsync(405, stateFunded: true, ReportAt);
        bed.Host.Clock.Set(At(11, 3));

        var notSupervisor = await RefusedAsync(() => bed.Awards.SuspendAsync(project.Id, null, "暂停", TenderHost.Tenderee));
        Assert.Equal(AwardRules.SupervisorOnly, notSupervisor.RuleCode);
        await bed.Awards.SuspendAsync(project.Id, null, "接到举报，责令暂停招标投标活动（条例 62）。", AwardTestBed.Supervisor);
        Assert.Equal(InstanceState.Suspended, (await bed.Engine.GetInstanceAsync(instanceId))!.State);

        // The publicity's timer waits while the instance is suspended; every award action is refused.
        await bed.Host.AdvanceToAsync(At(11, 6, 9));
        Assert.Empty(await bed.OpenTasksAsync(instanceId));
        var refused = await RefusedAsync(() => bed.Awards.AwardAsync(project.Id, [new AwardChoice(project.Sections[0].Id, bed.Host.Bidders[0].Id, null)], TenderHost.Tenderee));
        Assert.Equal(AwardRules.Suspended, refused.RuleCode);

        await bed.Awards.ResumeAsync(project.Id, "调查结束，恢复招标投标活动。", AwardTestBed.Supervisor);
        Assert.Equal(InstanceState.Active, (await bed.Engine.GetInstanceAsync(instanceId))!.State);
        await bed.Host.AdvanceToAsync(At(11, 6, 10));
        Assert.Equal(["aw_awardDecision"], await bed.OpenTasksAsync(instanceId));
        var view = (await bed.Awards.GetAsync(project.Id))!;
        Assert.False(view.Award.Suspended);
        Assert.NotNull(view.Suspensions.Single().ResumedAt);
        var trail = await bed.TrailAsync(project.Id);
        Assert.Contains("engineering-construction.procedure.suspended", trail);
        Assert.Contains("engineering-construction.procedure.resumed", trail);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Award_StateFunded_RankOneOnly_NoticesToEveryBidderAtOneInstant_ResultPublished(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var (project, instanceId) = await bed.StartAsync(406, stateFunded: true, ReportAt);
        var section = project.Sections[0].Id;

        bed.Host.Clock.Set(At(11, 5, 16));
        var early = await RefusedAsync(() => bed.Awards.AwardAsync(project.Id, [new AwardChoice(section, bed.Host.Bidders[0].Id, null)], TenderHost.Tenderee));
        Assert.Equal(AwardRules.PublicityNotOver, early.RuleCode);

        await bed.Host.AdvanceToAsync(At(11, 6, 9));
        var second = await RefusedAsync(() => bed.Awards.AwardAsync(project.Id, [new AwardChoice(section, bed.Host.Bidders[1].Id, "报价更合理")], TenderHost.Tenderee));
        Assert.Equal(AwardRules.StateFundedRankOne, second.RuleCode);
        var bidderTried = await RefusedAsync(() => bed.Awards.AwardAsync(project.Id, [new AwardChoice(section, bed.Host.Bidders[0].Id, null)], TenderHost.Bidder(1)));
        Assert.Equal(AwardRules.NotAllowed, bidderTried.RuleCode);

        await bed.Awards.AwardAsync(project.Id, [new AwardChoice(section, bed.Host.Bidders[0].Id, null)], TenderHost.Tenderee);
        var view = (await bed.Awards.GetAsync(project.Id))!;
        Assert.Equal(3, view.Notices.Count);
        Assert.Single(view.Notices.Select(n => n.IssuedAt).Distinct());
        Assert.Equal(At(11, 6, 9), view.Notices[0].IssuedAt);
        Assert.Equal(bed.Host.Bidders[0].Id, view.Notices.Single(n => n.Kind == AwardNoticeKind.Award).EntityId);
        Assert.Equal(new[] { bed.Host.Bidders[1].Id, bed.Host.Bidders[2].Id }.Order(), view.Notices.Where(n => n.Kind == AwardNoticeKind.Result).Select(n => n.EntityId).Order());
        Assert.All(view.Notices, n => Assert.True(n.IsPrinted));
        Assert.Equal(3, bed.Printing.Issued.Count);
        Assert.Single(bed.Printing.Issued, i => i.Spec.Kind == OfficialDocumentKinds.AwardNotice && i.Spec.Title == "中标通知书");
        Assert.Equal(2, bed.Printing.Issued.Count(i => i.Spec.Kind == OfficialDocumentKinds.ResultNotice));
        // Named by what it is, the project, the section and the recipient: no English kind, no GUID.
        Assert.Equal($"中标通知书-{project.Code}-{project.Sections[0].Code}-{bed.Host.Bidders[0].Name}.pdf",
            bed.Printing.Issued.Single(i => i.Spec.Kind == OfficialDocumentKinds.AwardNotice).Spec.FileName);
        Assert.Contains($"中标结果通知书-{project.Code}-{project.Sections[0].Code}-{bed.Host.Bidders[1].Name}.pdf", bed.Printing.Issued.Select(i => i.Spec.FileName));
        Assert.Equal(At(12, 8, 0), view.Award.ContractDueAt); // 6 Nov + 30 = Sun 6 Dec → Mon 7 Dec, 24:00
        Assert.Equal(At(11, 24, 0), view.Award.WinnerReportDueAt); // 6 Nov + 15 = Sat 21 Nov → Mon 23 Nov, 24:00
        await using (var db = bed.Host.Database.Database.Create())
        {
            var result = await db.Set<Notice>().AsNoTracking().SingleAsync(n => n.Id == view.Award.ResultNoticeId);
            Assert.Equal(NoticeKind.Result, result.Kind);
            Assert.Equal(NoticeState.Published, result.State);
            Assert.Contains(bed.Host.Bidders[0].Name, result.BodyHtml, StringComparison.Ordinal);
        }

        var again = await RefusedAsync(() => bed.Awards.AwardAsync(project.Id, [new AwardChoice(section, bed.Host.Bidders[0].Id, null)], TenderHost.Tenderee));
        Assert.Equal(AwardRules.AlreadyAwarded, again.RuleCode);
        _ = instanceId;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Award_NotStateFunded_TendereesChoiceWithReason_NothingIssuedWhenPrintingFails(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var (project, _) = await bed.StartAsync(407, stateFunded: false, ReportAt);
        var section = project.Sections[0].Id;
        await bed.Host.AdvanceToAsync(At(11, 6, 9));

        var noReason = await RefusedAsync(() => bed.Awards.AwardAsync(project.Id, [new AwardChoice(section, bed.Host.Bidders[1].Id, null)], TenderHost.Tenderee));
        Assert.Equal(AwardRules.ReasonRequired, noReason.RuleCode);

        // A notice that cannot be printed issues nothing: the award, its notices and their PDFs commit together.
        var choice = new AwardChoice(section, bed.Host.Bidders[1].Id, "第二名施工组织设计更优，工期更短。");
        bed.Printing.Fail = true;
        await Assert.ThrowsAsync<IOException>(() => bed.Awards.AwardAsync(project.Id, [choice], TenderHost.Tenderee));
        var refused = (await bed.Awards.GetAsync(project.Id))!;
        Assert.Equal(AwardStage.Publicity, refused.Award.Stage);
        Assert.Empty(refused.Notices);
        Assert.Empty(refused.Sections);

        bed.Printing.Fail = false;
        await bed.Awards.AwardAsync(project.Id, [choice], TenderHost.Tenderee);
        var view = (await bed.Awards.GetAsync(project.Id))!;
        Assert.Equal(2, view.Sections.Single().WinnerRank);
        Assert.Equal(4_350_000m, view.Sections.Single().ContractPrice);
        Assert.Equal("第二名施工组织设计更优，工期更短。", view.Sections.Single().Reason);
        Assert.All(view.Notices, n => Assert.True(n.IsPrinted));
        Assert.Equal(0, await bed.Awards.PrintNoticesAsync(project.Id, "tenderee"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Contract_RemindedOnDays20And27_EscalatedAfter30_BondAboveTenPercentRefused_ThenSigned(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var (project, instanceId, section) = await AwardedToRankOneAsync(bed, 408);
        Assert.Equal(["aw_uploadContracts", "aw_winnerReport"], await bed.OpenTasksAsync(instanceId));
        var variables = await bed.VariablesAsync(instanceId);
        Assert.Equal("2026-12-08T00:00:00+08:00", variables[AwardVariables.ContractDueAt]); // 6 Nov + 30 = Sun 6 Dec → Mon 7 Dec, 24:00
        Assert.Equal("2026-11-26T09:00:00+08:00", variables[AwardVariables.ContractReminder1At]);
        Assert.Equal("2026-12-03T09:00:00+08:00", variables[AwardVariables.ContractReminder2At]);

        await bed.Host.AdvanceToAsync(At(11, 26, 9));
        await bed.Host.AdvanceToAsync(At(12, 3, 9));
        var reminded = (await bed.TrailAsync(project.Id)).Count(a => a == "engineering-construction.contract.reminded");
        Assert.Equal(2, reminded);

        var contract = await bed.UploadAsync(project.Id, "施工合同（已签署）.pdf");
        var bond = await RefusedAsync(() => bed.Awards.UploadContractAsync(project.Id, section, contract, 420_000.01m, TenderHost.Tenderee));
        Assert.Equal(AwardRules.BondAboveCap, bond.RuleCode);
        var early = await RefusedAsync(() => bed.Awards.UploadContractAsync(project.Id, section, contract, 1m, TenderHost.Bidder(1)));
        Assert.Equal(AwardRules.NotAllowed, early.RuleCode);

        await bed.Host.AdvanceToAsync(At(12, 8, 0, 1));
        Assert.Contains("engineering-construction.contract.overdue", await bed.TrailAsync(project.Id));
        var supervision = await bed.Awards.SupervisionAsync(null);
        Assert.Single(Assert.Single(supervision, s => s.Award.ProjectId == project.Id).LateContracts);

        var signed = await bed.Awards.UploadContractAsync(project.Id, section, contract, 420_000m, TenderHost.Tenderee);
        Assert.True(signed.ContractLate);
        Assert.Equal(420_000m, signed.PerformanceBond);
        await bed.CompleteAsync(instanceId, "aw_uploadContracts");
        Assert.Equal(AwardStage.ContractsSigned, (await bed.Awards.GetAsync(project.Id))!.Award.Stage);
        Assert.Equal("2026-12-08T00:01:00+08:00", (await bed.VariablesAsync(instanceId))[AwardVariables.ContractSignedAt]);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task WinnerReport_RemindedOnDay10_EscalatedAfter15Days_SubmittedThenTheProcedureEnds(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var (project, instanceId, section) = await AwardedToRankOneAsync(bed, 409);

        await bed.Host.AdvanceToAsync(At(11, 16, 9));
        Assert.Contains("engineering-construction.winner-report.reminded", await bed.TrailAsync(project.Id));
        await bed.Host.AdvanceToAsync(At(11, 24, 0, 1));
        Assert.Contains("engineering-construction.winner-report.overdue", await bed.TrailAsync(project.Id));
        Assert.True(Assert.Single(await bed.Awards.SupervisionAsync(null), s => s.Award.ProjectId == project.Id).WinnerReportLate);

        var report = await bed.UploadAsync(project.Id, "招标投标情况书面报告.pdf");
        await bed.Awards.SubmitWinnerReportAsync(project.Id, report, TenderHost.Tenderee);
        var twice = await RefusedAsync(() => bed.Awards.SubmitWinnerReportAsync(project.Id, report, TenderHost.Tenderee));
        Assert.Equal(AwardRules.ReportAlreadySubmitted, twice.RuleCode);
        await bed.CompleteAsync(instanceId, "aw_winnerReport");

        var contract = await bed.UploadAsync(project.Id, "施工合同.pdf");
        await bed.Awards.UploadContractAsync(project.Id, section, contract, 0m, TenderHost.Tenderee);
        await bed.CompleteAsync(instanceId, "aw_uploadContracts");
        Assert.Equal(InstanceState.Completed, (await bed.Engine.GetInstanceAsync(instanceId))!.State);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Award_WithThePlatformsPrinting_StoresEveryNoticeAsAPdfWithItsSm3(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider, realPrinting: true);
        var (project, _) = await bed.StartAsync(410, stateFunded: true, ReportAt);
        await bed.Host.AdvanceToAsync(At(11, 6, 9));
        await bed.Awards.AwardAsync(project.Id, [new AwardChoice(project.Sections[0].Id, bed.Host.Bidders[0].Id, null)], TenderHost.Tenderee);

        var view = (await bed.Awards.GetAsync(project.Id))!;
        var printing = bed.Host.Services.GetRequiredService<IOfficialDocuments>();
        Assert.Equal(3, view.Notices.Count);
        foreach (var notice in view.Notices)
        {
            var issued = await printing.FindAsync(notice.IssuedDocumentId!.Value);
            Assert.NotNull(issued);
            Assert.Equal(notice.Sm3, issued.Sm3);
            Assert.Equal(notice.Kind == AwardNoticeKind.Award ? OfficialDocumentKinds.AwardNotice : OfficialDocumentKinds.ResultNotice, issued.Kind);
            Assert.Matches("^[0-9a-f]{64}$", notice.Sm3!);
            await using var db = bed.Host.Database.Database.Create();
            var stored = await db.Set<Trading.Workflow.Domain.Documents.Document>().AsNoTracking().SingleAsync(d => d.Id == notice.DocumentId);
            Assert.EndsWith(".pdf", stored.Name, StringComparison.Ordinal);
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// The shipped <c>workflows/engineering-construction/engineering-tender.bpmn</c> run by the real engine on a real
/// database (SQLite file, PostgreSQL) with the slice's real handlers and the platform calendar: the documents' sale, an
/// objection that suspends the deadline timer until answered, a clarification that moves the timer, and the deadline
/// going to the opening or to a re-tender.
/// </summary>
public sealed class EngineeringTenderProcedureTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static TenderSchedule Schedule(Guid document, Guid boq) =>
        new([document], boq, At(11, 4), At(11, 9, 17), At(11, 24, 9, 30)); // issued Wed 4 Nov: the 20th day is Tue 24 Nov

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task OpenTender_ObjectionSuspendsAndClarificationMovesTheDeadline_ThenOpens(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var (project, instanceId) = await host.StartProjectAsync(101);
        Assert.Equal(["scheduleTender"], await host.OpenTaskElementsAsync(instanceId));

        var document = await host.UploadAsync(project.Id, "招标文件.pdf");
        var boq = await host.UploadAsync(project.Id, "工程量清单.pdf");
        await host.Tenders.ScheduleAsync(project.Id, Schedule(document, boq), TenderHost.Tenderee);
        var task = Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId }));

        // The tender notice is not published yet: the step is refused and the task stays open.
        var refused = await Assert.ThrowsAsync<WorkflowHandlerException>(() => host.Engine.CompleteTaskAsync(task.Id, null, "tenderee").AsTask());
        Assert.Equal(TenderRules.NoticeNotPublished, Assert.IsType<DomainRuleException>(refused.InnerException).RuleCode);
        Assert.Equal(["scheduleTender"], await host.OpenTaskElementsAsync(instanceId));

        await host.PublishNoticeAsync(project);
        await host.Engine.CompleteTaskAsync(task.Id, null, "tenderee");
        Assert.Contains(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "saleStarts" && t.Due == At(11, 4));

        await host.AdvanceToAsync(At(11, 4));
        Assert.Equal(TenderStage.OnSale, (await host.Tenders.FindAsync(project.Id))!.Stage);
        Assert.Equal(At(11, 24, 9, 30), DeadlineTimer(await host.Engine.GetTimersAsync(instanceId)));

        host.Clock.Set(At(11, 4, 10));
        for (var i = 0; i < 3; i++)
        {
            await host.Tenders.RecordDownloadAsync(project.Id, document, host.Bidders[i].Id, TenderHost.Bidder(i + 1));
        }

        var section = Assert.Single(project.Sections).Id;
        await using (var db = host.Database.Database.Create())
        {
            var participants = await host.Services.GetRequiredService<ParticipationService>().ListForSectionAsync(db, section);
            Assert.Equal(host.Bidders.Select(b => b.Id).Order(), participants.Select(p => p.EntityId).Order());
            Assert.All(participants, p => Assert.Equal(ParticipationOrigin.DocumentsDownloaded, p.Origin));
        }

        var sealedBids = host.Services.GetRequiredService<SealedBidService>();
        Assert.Equal(At(11, 24, 9, 30), (await sealedBids.FindWindowAsync(section))!.Deadline);

        await host.AdvanceToAsync(At(11, 10, 10));
        Assert.Equal(TenderStage.BidsOpen, (await host.Tenders.FindAsync(project.Id))!.Stage);

        // An objection (14 日 before the deadline) suspends the deadline: no deadline timer while it waits for the answer.
        var objection = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[0].Id, "工程量清单与图纸不一致。", TenderHost.Bidder(1));
        Assert.Equal(At(11, 14, 0), objection.AnswerDueAt);
        Assert.Equal(["answerObjections"], await host.OpenTaskElementsAsync(instanceId));
        var timers = await host.Engine.GetTimersAsync(instanceId);
        Assert.Null(DeadlineTimer(timers));
        Assert.Contains(timers, t => t.ElementId == "objectionReminder" && t.Due == At(11, 13, 0));

        await host.AdvanceToAsync(At(11, 13, 1));
        Assert.Equal(1, await CountTrailAsync(host, "engineering-construction.objection.reminded"));

        await host.Tenders.AnswerObjectionAsync(objection.Id, "已核对，以图纸为准，见澄清。", TenderHost.Tenderee);
        var answerTask = Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId }));
        await host.Engine.CompleteTaskAsync(answerTask.Id, null, "tenderee");
        Assert.Empty(await host.OpenTaskElementsAsync(instanceId));
        Assert.Equal(At(11, 24, 9, 30), DeadlineTimer(await host.Engine.GetTimersAsync(instanceId)));

        // A clarification 8 日 before the deadline moves it to the 15th 日 after the clarification, and the timer with it.
        host.Clock.Set(At(11, 16, 10));
        var clarification = await host.Tenders.PublishClarificationAsync(project.Id, "澄清第1号", "以施工图为准。", null, null, TenderHost.Tenderee);
        Assert.Equal(At(12, 1, 9, 30), clarification.DeadlineAfter);
        Assert.Equal(At(12, 1, 9, 30), DeadlineTimer(await host.Engine.GetTimersAsync(instanceId)));
        Assert.Equal(At(12, 1, 9, 30), (await sealedBids.FindWindowAsync(section))!.Deadline);
        Assert.Equal(1, await CountTrailAsync(host, "engineering-construction.clarification.published"));

        await host.AdvanceToAsync(At(11, 24, 9, 30));
        Assert.Empty(host.Opening.Calls);

        host.Opening.BidCount = 3;
        await host.AdvanceToAsync(At(12, 1, 9, 30));
        Assert.Equal(["openingStart"], host.Opening.Calls);
        Assert.Equal(TenderStage.Opening, (await host.Tenders.FindAsync(project.Id))!.Stage);

        await host.AdvanceToAsync(At(12, 1, 10, 0));
        Assert.Equal(["openingStart", "openingClose"], host.Opening.Calls);
        var tender = await host.Tenders.FindAsync(project.Id);
        Assert.Equal(TenderStage.Opened, tender!.Stage);
        Assert.Equal(3, tender.BidCount);
        Assert.Equal(["requestCommittee"], await host.OpenTaskElementsAsync(instanceId)); // no committee yet: the tenderee requests the draw
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task OpenTender_ObjectionUnanswered_EscalatedOnceAtTheDueDate_ToTheCentresSupervisorsAndTheObjector(DatabaseProvider provider)
    {
        var supervisors = new CentreSupervisors();
        await using var host = await TenderHost.StartAsync(provider, s => s.AddSingleton<INotificationRecipientDirectory>(supervisors));
        var (project, instanceId) = await host.StartProjectAsync(102);
        supervisors.Centre = project.CentreId;
        var document = await host.UploadAsync(project.Id, "招标文件.pdf");
        var boq = await host.UploadAsync(project.Id, "工程量清单.pdf");
        await host.Tenders.ScheduleAsync(project.Id, Schedule(document, boq), TenderHost.Tenderee);
        await host.PublishNoticeAsync(project);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        await host.AdvanceToAsync(At(11, 4));
        host.Clock.Set(At(11, 4, 10));
        await host.Tenders.RecordDownloadAsync(project.Id, document, host.Bidders[1].Id, TenderHost.Bidder(2));
        await host.AdvanceToAsync(At(11, 10, 10));

        var objection = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[1].Id, "工程量清单与图纸不一致。", TenderHost.Bidder(2));
        Assert.Equal(At(11, 14, 0), objection.AnswerDueAt);
        const string overdue = "engineering-construction.objection.overdue";

        var awards = host.Services.GetRequiredService<AwardService>();
        await host.AdvanceToAsync(objection.AnswerDueAt.AddMinutes(-1));
        Assert.Equal(0, await CountTrailAsync(host, overdue));
        Assert.Empty(await awards.OverdueObjectionsAsync(project.CentreId));

        await host.AdvanceToAsync(objection.AnswerDueAt);
        Assert.Equal(1, await CountTrailAsync(host, overdue));
        var listed = Assert.Single(await awards.OverdueObjectionsAsync(project.CentreId));
        Assert.Equal((OverdueObjectionKind.Documents, project.Id, host.Bidders[1].Name, objection.AnswerDueAt), (listed.Kind, listed.ProjectId, listed.Objector, listed.AnswerDueAt));
        Assert.Empty(await awards.OverdueObjectionsAsync(Guid.NewGuid()));

        // Left with the objection still open, the task comes back and its past-due timer fires again: no second record.
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        await host.AdvanceToAsync(At(11, 16));
        Assert.Equal(["answerObjections"], await host.OpenTaskElementsAsync(instanceId));
        var entry = Assert.Single(await TrailAsync(host, overdue));
        Assert.Equal("system:procedure", entry.Actor);
        Assert.Equal(project.Id.ToString(), entry.SubjectId);

        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using var db = host.Database.Database.Create();
        var sent = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == TenderNotificationRules.ObjectionOverdue).ToListAsync();
        Assert.Equal(["bidder2", "supervisor1"], sent.Select(n => n.UserId).Order());
        Assert.All(sent, n => Assert.Contains(host.Bidders[1].Name, n.Body, StringComparison.Ordinal));
        Assert.All(sent, n => Assert.Contains("2026-11-14 00:00", n.Body, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task OpenTender_TwoBidsAtTheDeadline_GoesToRetenderAndAnnouncesIt(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var (project, instanceId, document) = await ScheduledAsync(host, 102);
        await host.AdvanceToAsync(At(11, 4, 10));
        await host.Tenders.RecordDownloadAsync(project.Id, document, host.Bidders[0].Id, TenderHost.Bidder(1));

        host.Opening.BidCount = 2;
        await host.AdvanceToAsync(At(11, 24, 9, 30));

        var tender = await host.Tenders.FindAsync(project.Id);
        Assert.Equal(TenderStage.Retender, tender!.Stage);
        Assert.Equal(TenderRules.TooFewBids, tender.RetenderRule);
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instanceId))!.State);
        Assert.DoesNotContain("openingClose", host.Opening.Calls);
        var record = Assert.Single(await TrailAsync(host, "engineering-construction.tender.retendered"));
        Assert.Contains(host.Bidders[0].Id.ToString(), record.Data, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task DeadlineStep_FiredAgainForTheSameDeadline_CompletesWithoutChangingAnything(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var (project, instanceId, _) = await ScheduledAsync(host, 105);
        host.Opening.BidCount = 3;
        await host.AdvanceToAsync(At(11, 4));
        await host.AdvanceToAsync(At(11, 24, 9, 30));
        var reached = (await host.Tenders.FindAsync(project.Id))!;
        Assert.Equal(TenderStage.Opening, reached.Stage);
        Assert.Equal(1, await CountTrailAsync(host, "engineering-construction.tender.deadline-reached"));

        // The deadline step runs a second time for the same tender (as a second firing of the deadline timer would),
        // with another count from the opening: it completes, sets what was recorded, and changes nothing.
        host.Clock.Set(At(11, 24, 9, 31));
        await host.Engine.DeployAsync(BpmnParser.Parse(DeadlineAgainBpmn));
        var again = await host.Engine.StartAsync("engineering-construction.deadline-again", project.Code, new Dictionary<string, object?> { ["bidCount"] = 2 });

        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(again.Id))!.State);
        Assert.Empty(await host.Engine.GetIncidentsAsync(again.Id));
        var variables = await host.Engine.GetVariablesAsync(again.Id);
        Assert.Equal(3, Convert.ToInt32(variables[TenderVariables.BidCount], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(false, variables[TenderVariables.Retender]);
        var after = (await host.Tenders.FindAsync(project.Id))!;
        Assert.Equal(TenderStage.Opening, after.Stage);
        Assert.Equal(3, after.BidCount);
        Assert.Equal(reached.Version, after.Version);
        Assert.Equal(reached.UpdatedAt, after.UpdatedAt);
        Assert.Equal(1, await CountTrailAsync(host, "engineering-construction.tender.deadline-reached"));
        Assert.Empty(await host.Engine.GetIncidentsAsync(instanceId));
    }

    private const string DeadlineAgainBpmn = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="deadline-again-definitions" targetNamespace="http://trading.workflow/tests">
          <bpmn:process id="engineering-construction.deadline-again" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="atDeadline" />
            <bpmn:serviceTask id="atDeadline" tw:handler="tenderAtDeadline" />
            <bpmn:sequenceFlow id="f2" sourceRef="atDeadline" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task InvitedTender_NeedsThreeVerifiedInvitees_AndNoNotice(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var (project, instanceId) = await host.StartProjectAsync(103, TradeMethods.InvitedTender);
        var document = await host.UploadAsync(project.Id, "招标文件.pdf");

        var early = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.ScheduleAsync(project.Id, Schedule(document, document), TenderHost.Tenderee));
        Assert.Equal(TenderRules.TooFewInvitees, early.RuleCode);
        var two = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.InviteAsync(project.Id, [host.Bidders[0].Id, host.Bidders[1].Id], TenderHost.Tenderee));
        Assert.Equal(TenderRules.TooFewInvitees, two.RuleCode);
        var unverified = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.InviteAsync(project.Id, [host.Bidders[0].Id, host.Bidders[1].Id, Guid.NewGuid()], TenderHost.Tenderee));
        Assert.Equal(TenderRules.InviteeNotVerified, unverified.RuleCode);

        await host.Tenders.InviteAsync(project.Id, [.. host.Bidders.Select(b => b.Id)], TenderHost.Tenderee);
        await host.Tenders.ScheduleAsync(project.Id, Schedule(document, document), TenderHost.Tenderee);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        await host.AdvanceToAsync(At(11, 4, 10));

        Assert.Equal(TenderStage.OnSale, (await host.Tenders.FindAsync(project.Id))!.Stage);
        var outsider = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.RecordDownloadAsync(project.Id, document, host.Owner.Id, TenderHost.Tenderee));
        Assert.Equal(TenderRules.NotAdmitted, outsider.RuleCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Tenderee_ScheduleBreakingALimit_IsRefusedAndNothingChanges(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var (project, _) = await host.StartProjectAsync(104);
        var document = await host.UploadAsync(project.Id, "招标文件.pdf");

        var tooEarly = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Tenders.ScheduleAsync(project.Id, new TenderSchedule([document], null, At(11, 4), At(11, 9, 17), At(11, 23, 23, 59)), TenderHost.Tenderee));
        Assert.Equal(TenderRules.BidDeadlineTooEarly, tooEarly.RuleCode);
        var stranger = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Tenders.ScheduleAsync(project.Id, Schedule(document, document), TenderHost.Bidder(1)));
        Assert.Equal(TenderRules.NotAllowed, stranger.RuleCode);
        Assert.False((await host.Tenders.FindAsync(project.Id))!.IsScheduled);
    }

    /// <summary>A project whose tender is scheduled with its documents, its notice published and the schedule task done.</summary>
    private static async Task<(Trading.Workflow.Domain.Projects.Project Project, Guid InstanceId, Guid Document)> ScheduledAsync(TenderHost host, int sequence)
    {
        var (project, instanceId) = await host.StartProjectAsync(sequence);
        var document = await host.UploadAsync(project.Id, "招标文件.pdf");
        await host.Tenders.ScheduleAsync(project.Id, Schedule(document, await host.UploadAsync(project.Id, "清单.pdf")), TenderHost.Tenderee);
        await host.PublishNoticeAsync(project);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        return (project, instanceId, document);
    }

    private static DateTimeOffset? DeadlineTimer(IEnumerable<TimerInfo> timers) =>
        timers.SingleOrDefault(t => t.ElementId == "deadlineTimer")?.Due;

    private static async Task<int> CountTrailAsync(TenderHost host, string action) => (await TrailAsync(host, action)).Count;

    private static async Task<List<AuditEntry>> TrailAsync(TenderHost host, string action)
    {
        await using var db = host.Database.Database.Create();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == action).ToListAsync();
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// 条例 22: "作出答复前，应当暂停招标投标活动". An unanswered objection to a project's tender documents holds its bid
/// opening and its evaluation (the shared services refuse to start them), and nothing of another project; a bid deadline
/// reached while it is unanswered opens nothing, is recorded once and told to the tenderee and the centre's staff, and
/// the opening follows the answer.
/// </summary>
public sealed class TenderDocumentsHoldTests
{
    private static readonly DateTimeOffset Deadline = At(11, 24, 9, 30);

    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task OpeningAndEvaluation_RefusedWhileAnObjectionIsUnanswered_AllowedAfterTheAnswer_AnotherProjectNotHeld(DatabaseProvider provider)
    {
        var accounts = new EngineeringTenderFullProcedureTests.Accounts();
        await using var host = await TenderHost.StartAsync(provider, s =>
        {
            s.AddSingleton<IUserDirectory>(accounts);
            s.AddSingleton<IPlatformDirectory>(accounts);
        }, realOpening: true);
        var (held, _) = await ScheduledAsync(host, 201);
        var (other, _) = await ScheduledAsync(host, 202);
        await OnSaleAsync(host, held, other);
        host.Clock.Set(At(11, 10, 10));
        var objection = await host.Tenders.RaiseObjectionAsync(held.Id, host.Bidders[0].Id, "工程量清单与图纸不一致。", TenderHost.Bidder(1));
        var openings = host.Services.GetRequiredService<OpeningService>();
        var evaluations = host.Services.GetRequiredService<EvaluationService>();
        var heldSection = Assert.Single(held.Sections).Id;
        var otherSection = Assert.Single(other.Sections).Id;

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => StartOpeningAsync(host, heldSection));
        Assert.Equal(TenderRules.DocumentsObjectionOpen, refused.RuleCode);
        Assert.Contains("条例 22", refused.Message, StringComparison.Ordinal);
        Assert.Null(await openings.ForSectionAsync(heldSection));
        var evaluation = await Assert.ThrowsAsync<DomainRuleException>(() => OpenEvaluationAsync(host, held.Code));
        Assert.Equal(TenderRules.DocumentsObjectionOpen, evaluation.RuleCode);

        // The objection is to this project's documents only: the other project's opening starts.
        await StartOpeningAsync(host, otherSection);
        Assert.NotNull(await openings.ForSectionAsync(otherSection));

        await host.Tenders.AnswerObjectionAsync(objection.Id, "以图纸为准。", TenderHost.Tenderee);
        await StartOpeningAsync(host, heldSection);
        Assert.NotNull(await openings.ForSectionAsync(heldSection));
        // The hold no longer refuses: the evaluation goes on to its own next rule (no committee drawn in this test).
        var next = await Assert.ThrowsAsync<DomainRuleException>(() => OpenEvaluationAsync(host, held.Code));
        Assert.Equal(EvaluationRules.CommitteeRequired, next.RuleCode);
        Assert.Null(await evaluations.ForProjectAsync(held.Id));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task DeadlineReachedWithTheObjectionUnanswered_OpensNothing_RecordedOnceAndTold_ThenOpensAfterTheAnswer(DatabaseProvider provider)
    {
        var staff = new CentreStaff();
        await using var host = await TenderHost.StartAsync(provider, s => s.AddSingleton<INotificationRecipientDirectory>(staff));
        var (project, instanceId) = await ScheduledAsync(host, 203);
        await OnSaleAsync(host, project);
        staff.Centre = project.CentreId;
        await host.AdvanceToAsync(At(11, 10, 10));
        var objection = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[0].Id, "工程量清单与图纸不一致。", TenderHost.Bidder(1));
        var deadlineHeld = Assert.Single(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "deadlineHeld");
        Assert.Equal(Deadline, deadlineHeld.Due);

        await host.AdvanceToAsync(Deadline.AddMinutes(-1));
        Assert.Equal(0, await CountTrailAsync(host, "engineering-construction.opening.held"));

        await host.AdvanceToAsync(Deadline);
        Assert.Empty(host.Opening.Calls);
        Assert.Equal(["answerObjections"], await host.OpenTaskElementsAsync(instanceId));
        Assert.Equal(TenderStage.BidsOpen, (await host.Tenders.FindAsync(project.Id))!.Stage);
        // The bids stay sealed and the box stays closed at the deadline: no bid comes in while the opening is held.
        var section = Assert.Single(project.Sections).Id;
        Assert.Equal(Deadline, (await host.Services.GetRequiredService<SealedBidService>().FindWindowAsync(section))!.Deadline);
        var held = Assert.Single(await TrailAsync(host, "engineering-construction.opening.held"));
        Assert.Equal("system:procedure", held.Actor);
        Assert.Equal(project.Id.ToString(), held.SubjectId);

        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using (var db = host.Database.Database.Create())
        {
            var sent = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == TenderNotificationRules.OpeningHeld).ToListAsync();
            Assert.Equal(["staff1", "tenderee"], sent.Select(n => n.UserId).Order());
            Assert.All(sent, n => Assert.Contains("2026-11-24 09:30", n.Body, StringComparison.Ordinal));
        }

        // The tenderee goes on with the objection still open: the task comes back, its past-due timer fires again, and
        // the hold is not recorded twice.
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        await host.AdvanceToAsync(Deadline.AddHours(1));
        Assert.Equal(["answerObjections"], await host.OpenTaskElementsAsync(instanceId));
        Assert.Equal(1, await CountTrailAsync(host, "engineering-construction.opening.held"));
        Assert.Empty(host.Opening.Calls);

        // Answered after the deadline, changing nothing: the bids do not open at once (the bidders had no notice to be
        // online); the tenderee announces the opening time first.
        await host.Tenders.AnswerObjectionAsync(objection.Id, "以图纸为准。", TenderHost.Tenderee);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        Assert.Empty(host.Opening.Calls);
        Assert.Equal(["announceOpening"], await host.OpenTaskElementsAsync(instanceId));
        Assert.Equal(TenderStage.BidsOpen, (await host.Tenders.FindAsync(project.Id))!.Stage);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task DeadlineMovedByAClarificationWhileTheAnswerIsOpen_TheHoldIsRecordedAndToldAtTheMovedDeadline(DatabaseProvider provider)
    {
        var staff = new CentreStaff();
        await using var host = await TenderHost.StartAsync(provider, s => s.AddSingleton<INotificationRecipientDirectory>(staff));
        var (project, instanceId) = await ScheduledAsync(host, 204);
        await OnSaleAsync(host, project);
        staff.Centre = project.CentreId;
        await host.AdvanceToAsync(At(11, 10, 10));
        var objection = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[0].Id, "工程量清单与图纸不一致。", TenderHost.Bidder(1));

        // The tenderee amends the documents before answering: 15 日 from 12 Nov is 27 Nov (法 23).
        await host.AdvanceToAsync(At(11, 12, 10));
        await host.Tenders.PublishClarificationAsync(project.Id, "修改第1号", "工程量清单第3项更正。", null, null, TenderHost.Tenderee);
        var moved = At(11, 27, 9, 30);
        Assert.Equal(moved, (await host.Tenders.FindAsync(project.Id))!.BidDeadline);
        Assert.Equal(["answerObjections"], await host.OpenTaskElementsAsync(instanceId));

        // The timer armed at the old deadline fires: nothing is held yet, the procedure waits for the deadline in force.
        await host.AdvanceToAsync(Deadline);
        Assert.Equal(0, await CountTrailAsync(host, "engineering-construction.opening.held"));
        Assert.Equal(moved, Assert.Single(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "movedDeadlineHeld").Due);
        await host.AdvanceToAsync(moved.AddMinutes(-1));
        Assert.Equal(0, await CountTrailAsync(host, "engineering-construction.opening.held"));

        await host.AdvanceToAsync(moved);
        var held = Assert.Single(await TrailAsync(host, "engineering-construction.opening.held"));
        Assert.Contains("2026-11-27", held.Data, StringComparison.Ordinal);
        Assert.Empty(host.Opening.Calls);
        Assert.DoesNotContain(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "movedDeadlineHeld");
        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using (var db = host.Database.Database.Create())
        {
            var sent = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == TenderNotificationRules.OpeningHeld).ToListAsync();
            Assert.Equal(["staff1", "tenderee"], sent.Select(n => n.UserId).Order());
            Assert.All(sent, n => Assert.Contains("2026-11-27 09:30", n.Body, StringComparison.Ordinal));
        }

        // Answered after the moved deadline: the opening time is announced before anything opens.
        await host.AdvanceToAsync(moved.AddHours(2));
        await host.Tenders.AnswerObjectionAsync(objection.Id, "已按修改第1号更正。", TenderHost.Tenderee);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        Assert.Equal(["announceOpening"], await host.OpenTaskElementsAsync(instanceId));
        Assert.Empty(host.Opening.Calls);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AnsweredAfterTheDeadline_TheTendereeAnnouncesTheOpening_AtLeastADayAhead_BiddersAndStaffTold_OpensThen(DatabaseProvider provider)
    {
        var staff = new CentreStaff();
        await using var host = await TenderHost.StartAsync(provider, s => s.AddSingleton<INotificationRecipientDirectory>(staff));
        var (project, instanceId) = await ScheduledAsync(host, 205);
        await OnSaleAsync(host, project);
        staff.Centre = project.CentreId;
        var section = Assert.Single(project.Sections).Id;
        await host.SealAndSubmitAsync(project.Id, section, await host.BidderKeyAsync(1), "1000000.00");
        await host.AdvanceToAsync(At(11, 10, 10));
        var objection = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[0].Id, "工程量清单与图纸不一致。", TenderHost.Bidder(1));
        await host.AdvanceToAsync(Deadline.AddHours(1));
        var announcedAt = At(11, 24, 11);
        await host.AdvanceToAsync(announcedAt);
        await host.Tenders.AnswerObjectionAsync(objection.Id, "以图纸为准。", TenderHost.Tenderee);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        Assert.Equal(["announceOpening"], await host.OpenTaskElementsAsync(instanceId));

        // Less than a full day's notice is refused, and so is anyone but the tenderee; nothing is saved.
        var early = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.AnnounceOpeningAsync(project.Id, At(11, 25, 10, 59), TenderHost.Tenderee));
        Assert.Equal(TenderRules.OpeningTooSoon, early.RuleCode);
        Assert.Contains("2026-11-25T11:00:00+08:00", early.Message, StringComparison.Ordinal);
        var bidder = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.AnnounceOpeningAsync(project.Id, At(11, 26, 9, 30), TenderHost.Bidder(1)));
        Assert.Equal(TenderRules.NotAllowed, bidder.RuleCode);
        Assert.Null((await host.Tenders.FindAsync(project.Id))!.OpeningAt);

        var openingAt = At(11, 26, 9, 30);
        await host.Tenders.AnnounceOpeningAsync(project.Id, openingAt, TenderHost.Tenderee);
        var tender = (await host.Tenders.FindAsync(project.Id))!;
        Assert.Equal(openingAt, tender.OpeningTime);
        Assert.Equal(Deadline, tender.BidDeadline);
        // Once only: the time announced stands.
        var again = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.AnnounceOpeningAsync(project.Id, At(11, 27, 9, 30), TenderHost.Tenderee));
        Assert.Equal(TenderRules.OpeningNotToAnnounce, again.RuleCode);
        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using (var db = host.Database.Database.Create())
        {
            var sent = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == TenderNotificationRules.OpeningAnnounced).ToListAsync();
            // The bidder who bid (bidder2 acts for the second entity) and the centre's staff; not the bidders who did not
            // bid, nor the tenderee who announced it (its agency would be told).
            Assert.Equal(["bidder2", "staff1"], sent.Select(n => n.UserId).Order());
            Assert.All(sent, n => Assert.Contains("2026-11-26 09:30", n.Body, StringComparison.Ordinal));
        }

        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        Assert.Equal(openingAt, Assert.Single(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "deadlineTimer").Due);
        Assert.Equal(Deadline, (await host.Services.GetRequiredService<SealedBidService>().FindWindowAsync(section))!.Deadline);
        await host.AdvanceToAsync(openingAt.AddMinutes(-1));
        Assert.Empty(host.Opening.Calls);

        await host.AdvanceToAsync(openingAt);
        Assert.Equal(["openingStart"], host.Opening.Calls);
        Assert.Equal(TenderStage.Opening, (await host.Tenders.FindAsync(project.Id))!.Stage);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task AnsweredBeforeTheDeadline_OpensAtTheDeadline_NothingToAnnounce(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var (project, instanceId) = await ScheduledAsync(host, 206);
        await OnSaleAsync(host, project);
        await host.AdvanceToAsync(At(11, 10, 10));
        var objection = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[0].Id, "工程量清单与图纸不一致。", TenderHost.Bidder(1));
        await host.AdvanceToAsync(At(11, 12, 10));
        await host.Tenders.AnswerObjectionAsync(objection.Id, "以图纸为准。", TenderHost.Tenderee);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        Assert.Empty(await host.OpenTaskElementsAsync(instanceId));
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.AnnounceOpeningAsync(project.Id, At(11, 26, 9, 30), TenderHost.Tenderee));
        Assert.Equal(TenderRules.OpeningNotToAnnounce, refused.RuleCode);

        await host.AdvanceToAsync(Deadline);
        Assert.Equal(["openingStart"], host.Opening.Calls);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task AnsweredLate_ThenAClarificationInsteadOfAnOpeningTime_TheProcedureWaitsForTheMovedDeadline(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var (project, instanceId) = await ScheduledAsync(host, 207);
        await OnSaleAsync(host, project);
        await host.AdvanceToAsync(At(11, 10, 10));
        var objection = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[0].Id, "工程量清单与图纸不一致。", TenderHost.Bidder(1));
        await host.AdvanceToAsync(At(11, 24, 11));
        await host.Tenders.AnswerObjectionAsync(objection.Id, "修改工程量清单。", TenderHost.Tenderee);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        Assert.Equal(["announceOpening"], await host.OpenTaskElementsAsync(instanceId));

        // 15 日 from 24 Nov is 9 Dec (法 23): the announcement is no longer due, the procedure waits for that deadline.
        await host.Tenders.PublishClarificationAsync(project.Id, "修改第1号", "工程量清单第3项更正。", null, null, TenderHost.Tenderee);
        var moved = At(12, 9, 9, 30);
        Assert.Empty(await host.OpenTaskElementsAsync(instanceId));
        Assert.Equal(moved, Assert.Single(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "deadlineTimer").Due);
        await host.AdvanceToAsync(moved);
        Assert.Equal(["openingStart"], host.Opening.Calls);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task DeadlineMovedWhileTheAnswerIsOpen_AnsweredBeforeTheMovedDeadline_TheHoldsWaitEndsWithTheAnswer(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var (project, instanceId) = await ScheduledAsync(host, 208);
        await OnSaleAsync(host, project);
        await host.AdvanceToAsync(At(11, 10, 10));
        var objection = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[0].Id, "工程量清单与图纸不一致。", TenderHost.Bidder(1));
        await host.AdvanceToAsync(At(11, 12, 10));
        await host.Tenders.PublishClarificationAsync(project.Id, "修改第1号", "工程量清单第3项更正。", null, null, TenderHost.Tenderee);
        var moved = At(11, 27, 9, 30);
        await host.AdvanceToAsync(Deadline);
        Assert.Equal(moved, Assert.Single(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "movedDeadlineHeld").Due);

        // Answered before the moved deadline: the hold's wait ends with the task, and the procedure's own wait is the
        // only timer left (no timer that would fire at the moved deadline only to find nothing held).
        await host.AdvanceToAsync(At(11, 25, 10));
        await host.Tenders.AnswerObjectionAsync(objection.Id, "已按修改第1号更正。", TenderHost.Tenderee);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        var timer = Assert.Single(await host.Engine.GetTimersAsync(instanceId));
        Assert.Equal(("deadlineTimer", moved), (timer.ElementId, timer.Due));
        Assert.Empty(await host.OpenTaskElementsAsync(instanceId));

        await host.AdvanceToAsync(moved);
        Assert.Equal(["openingStart"], host.Opening.Calls);
        Assert.Equal(0, await CountTrailAsync(host, "engineering-construction.opening.held"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AnswerTaskComesBackWhileAnObjectionIsOpen_TheTendereeIsRemindedOncePerObjection(DatabaseProvider provider)
    {
        var staff = new CentreStaff();
        await using var host = await TenderHost.StartAsync(provider, s => s.AddSingleton<INotificationRecipientDirectory>(staff));
        var (project, instanceId) = await ScheduledAsync(host, 209);
        await OnSaleAsync(host, project);
        staff.Centre = project.CentreId;
        await host.AdvanceToAsync(At(11, 10, 10));
        var first = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[0].Id, "工程量清单与图纸不一致。", TenderHost.Bidder(1));
        await host.AdvanceToAsync(At(11, 11, 10));
        var second = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[1].Id, "技术标准引用已废止。", TenderHost.Bidder(2));
        // The day before the first is due only the first is reminded: the second's reminder waits for its own last day.
        await host.AdvanceToAsync(first.AnswerDueAt.AddDays(-1));
        Assert.Equal([first.Id], ObjectionIds(await TrailAsync(host, "engineering-construction.objection.reminded")));

        // The first answered, the task comes back for the second with its reminder timer; then the tenderee goes on
        // with the second still open (reminded by then), and the task comes back again without a second reminder.
        await host.AdvanceToAsync(first.AnswerDueAt.AddHours(-12));
        await host.Tenders.AnswerObjectionAsync(first.Id, "以图纸为准。", TenderHost.Tenderee);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        await host.AdvanceToAsync(second.AnswerDueAt.AddDays(-1));
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        await host.AdvanceToAsync(second.AnswerDueAt.AddHours(-1));
        Assert.Equal(["answerObjections"], await host.OpenTaskElementsAsync(instanceId));

        var reminded = await TrailAsync(host, "engineering-construction.objection.reminded");
        Assert.Equal(2, reminded.Count);
        Assert.Contains(reminded, e => e.Data.Contains(first.Id.ToString(), StringComparison.Ordinal));
        Assert.Contains(reminded, e => e.Data.Contains(second.Id.ToString(), StringComparison.Ordinal));
        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using var db = host.Database.Database.Create();
        var sent = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == TenderNotificationRules.ObjectionReminded).ToListAsync();
        Assert.Equal(["tenderee", "tenderee"], sent.Select(n => n.UserId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ObjectionsRaisedWhileTheHoldRuns_EachRemindedTheDayBeforeItsOwnDue_AndEscalatedAtIt_Once_OneAnsweredInTimeGetsNeither(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var (project, instanceId) = await ScheduledAsync(host, 210);
        await OnSaleAsync(host, project);
        const string reminded = "engineering-construction.objection.reminded";
        const string overdue = "engineering-construction.objection.overdue";

        // Mon 9 Nov starts the hold (answer due at the end of Thu 12 Nov); Tue 10 Nov and Wed 11 Nov come while it runs,
        // due at the end of Fri 13 Nov and, the 3rd 日 falling on Saturday, of Mon 16 Nov (Civil Code 203).
        await host.AdvanceToAsync(At(11, 9, 10));
        var answered = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[2].Id, "招标控制价未公布。", TenderHost.Bidder(3));
        await host.AdvanceToAsync(At(11, 10, 10));
        var first = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[0].Id, "工程量清单与图纸不一致。", TenderHost.Bidder(1));
        await host.AdvanceToAsync(At(11, 11, 10));
        var second = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[1].Id, "技术标准引用已废止。", TenderHost.Bidder(2));
        Assert.Equal((At(11, 13, 0), At(11, 14, 0), At(11, 17, 0)), (answered.AnswerDueAt, first.AnswerDueAt, second.AnswerDueAt));
        Assert.Equal(["answerObjections"], await host.OpenTaskElementsAsync(instanceId));

        // Answered before its reminder: neither a reminder nor an escalation when its times come (its due is the moment
        // the first's reminder is due).
        await host.AdvanceToAsync(At(11, 11, 12));
        await host.Tenders.AnswerObjectionAsync(answered.Id, "招标控制价已在交易平台公布。", TenderHost.Tenderee);
        await host.AdvanceToAsync(answered.AnswerDueAt.AddDays(-1));
        Assert.Empty(await TrailAsync(host, reminded));

        // Each of the other two: reminded at the start of the last day of its own period, escalated at its end, once.
        await host.AdvanceToAsync(first.AnswerDueAt.AddDays(-1).AddMinutes(-1));
        Assert.Empty(await TrailAsync(host, reminded));
        Assert.Equal(answered.AnswerDueAt, first.AnswerDueAt.AddDays(-1));
        await host.AdvanceToAsync(first.AnswerDueAt.AddDays(-1));
        Assert.Equal([first.Id], ObjectionIds(await TrailAsync(host, reminded)));
        Assert.Empty(await TrailAsync(host, overdue));
        await host.AdvanceToAsync(first.AnswerDueAt.AddMinutes(-1));
        Assert.Empty(await TrailAsync(host, overdue));
        await host.AdvanceToAsync(first.AnswerDueAt);
        Assert.Equal([first.Id], ObjectionIds(await TrailAsync(host, overdue)));

        await host.AdvanceToAsync(second.AnswerDueAt.AddDays(-1).AddMinutes(-1));
        Assert.Equal([first.Id], ObjectionIds(await TrailAsync(host, reminded)));
        await host.AdvanceToAsync(second.AnswerDueAt.AddDays(-1));
        Assert.Equal([first.Id, second.Id], ObjectionIds(await TrailAsync(host, reminded)));
        await host.AdvanceToAsync(second.AnswerDueAt.AddMinutes(-1));
        Assert.Equal([first.Id], ObjectionIds(await TrailAsync(host, overdue)));
        await host.AdvanceToAsync(second.AnswerDueAt);
        Assert.Equal([first.Id, second.Id], ObjectionIds(await TrailAsync(host, overdue)));

        // Nothing more while they stay open, and the answer task stayed the same one throughout.
        await host.AdvanceToAsync(At(11, 19, 10));
        Assert.Equal([first.Id, second.Id], ObjectionIds(await TrailAsync(host, reminded)));
        Assert.Equal([first.Id, second.Id], ObjectionIds(await TrailAsync(host, overdue)));
        var task = Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId }));
        Assert.Equal("answerObjections", task.ElementId);

        // The answers end the hold and every timer of it: the procedure's wait for the deadline is all that is left.
        await host.Tenders.AnswerObjectionAsync(first.Id, "以图纸为准。", TenderHost.Tenderee);
        await host.Tenders.AnswerObjectionAsync(second.Id, "改引现行标准，见澄清。", TenderHost.Tenderee);
        await host.Engine.CompleteTaskAsync(task.Id, null, "tenderee");
        Assert.Equal("deadlineTimer", Assert.Single(await host.Engine.GetTimersAsync(instanceId)).ElementId);
    }

    /// <summary>A project whose documents go on sale on 4 Nov (bids due 24 Nov 09:30), its notice published.</summary>
    private static async Task<(Project Project, Guid InstanceId)> ScheduledAsync(TenderHost host, int sequence)
    {
        var (project, instanceId) = await host.StartProjectAsync(sequence);
        var document = await host.UploadAsync(project.Id, "招标文件.pdf");
        var boq = await host.UploadAsync(project.Id, "工程量清单.pdf");
        await host.Tenders.ScheduleAsync(project.Id, new TenderSchedule([document], boq, At(11, 4), At(11, 9, 17), Deadline), TenderHost.Tenderee);
        await host.PublishNoticeAsync(project);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        return (project, instanceId);
    }

    /// <summary>The sale opens on 4 Nov and the three bidders obtain the documents of each project.</summary>
    private static async Task OnSaleAsync(TenderHost host, params Project[] projects)
    {
        await host.AdvanceToAsync(At(11, 4));
        host.Clock.Set(At(11, 4, 10));
        foreach (var project in projects)
        {
            var document = (await host.Tenders.FindAsync(project.Id))!.DocumentIds[0];
            for (var i = 0; i < 3; i++)
            {
                await host.Tenders.RecordDownloadAsync(project.Id, document, host.Bidders[i].Id, TenderHost.Bidder(i + 1));
            }
        }
    }

    /// <summary>Starts the section's opening as <c>openingStart</c> does, in one transaction.</summary>
    private static async Task StartOpeningAsync(TenderHost host, Guid sectionId)
    {
        await using var db = host.Database.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        await host.Services.GetRequiredService<OpeningService>().StartAsync(db, sectionId, Deadline, null, CancellationToken.None);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    /// <summary>Opens the project's evaluation as <c>evaluation.open</c> does, in one transaction.</summary>
    private static async Task OpenEvaluationAsync(TenderHost host, string projectCode)
    {
        await using var db = host.Database.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        await host.Services.GetRequiredService<EvaluationService>().OpenAsync(db, projectCode, null, null, CancellationToken.None);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    /// <summary>The objections the trail records name, in the order recorded.</summary>
    private static List<Guid> ObjectionIds(IEnumerable<AuditEntry> entries) =>
        [.. entries.OrderBy(e => e.Sequence).Select(e => Guid.Parse(System.Text.Json.JsonDocument.Parse(e.Data).RootElement.GetProperty("objectionId").GetString()!))];

    private static async Task<int> CountTrailAsync(TenderHost host, string action) => (await TrailAsync(host, action)).Count;

    private static async Task<List<AuditEntry>> TrailAsync(TenderHost host, string action)
    {
        await using var db = host.Database.Database.Create();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == action).ToListAsync();
    }

    /// <summary>A recipient directory where "staff1" is staff of <see cref="Centre"/> and "staff2" of another centre.</summary>
    private sealed class CentreStaff : INotificationRecipientDirectory
    {
        public Guid? Centre { get; set; }

        public ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new NotificationRecipient(userId, NotificationLanguage.Chinese, null, null));

        public ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<string>>(role != PlatformRoles.Staff ? [] : centreId == Centre ? ["staff1"] : ["staff2"]);
    }
}

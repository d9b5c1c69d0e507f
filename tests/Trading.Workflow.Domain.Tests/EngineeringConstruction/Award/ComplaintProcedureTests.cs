using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Testing;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction.Award;

/// <summary>
/// Complaints (条例 60–61) on a real database (SQLite file and PostgreSQL) after each of the three objections: to the
/// documents (条例 22), at the opening (条例 44) and to the result (条例 54), only by the objector within 10 日 of knowing;
/// then the supervisor of the project's centre accepts (or not) within 3 working days and decides within 30 working
/// days of acceptance, each step on the trail and told to the complainant and the tenderee.
/// </summary>
public sealed class ComplaintProcedureTests
{
    private static DateTimeOffset At(int month, int day, int hour = 10, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    /// <summary>The project's documents scheduled and its notice published; the sale open since 9:00 on 4 Nov, now 10:00. Returns the tender document.</summary>
    private static async Task<Guid> OpenSaleAsync(TenderHost host, Project project, Guid instanceId)
    {
        var document = await host.UploadAsync(project.Id, "招标文件.pdf");
        var boq = await host.UploadAsync(project.Id, "工程量清单.pdf");
        await host.Tenders.ScheduleAsync(project.Id, new TenderSchedule([document], boq, At(11, 4, 9), At(11, 9, 17), At(11, 24, 9, 30)), TenderHost.Tenderee);
        await host.PublishNoticeAsync(project);
        var task = Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId }));
        await host.Engine.CompleteTaskAsync(task.Id, null, "tenderee");
        await host.AdvanceToAsync(At(11, 4, 9));
        host.Clock.Set(At(11, 4, 10));
        return document;
    }

    private static async Task<DomainRuleException> RefusedAsync(Func<Task> action) => await Assert.ThrowsAsync<DomainRuleException>(action);

    private static async Task<(TenderComplaint? Complaint, DomainRuleException? Refused)> FiledOrRefusedAsync(Func<Task<TenderComplaint>> file)
    {
        try
        {
            return (await file(), null);
        }
        catch (DomainRuleException e)
        {
            return (null, e);
        }
    }

    private static TenderActor SupervisorOf(Guid centreId) => new("supervisor", "supervisor", [PlatformRoles.Supervisor], centreId);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AfterAnObjectionToTheDocuments_TheObjectorComplainsWithinTenDaysOfTheAnswer(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var complaints = host.Services.GetRequiredService<ComplaintService>();
        var (project, instanceId) = await host.StartProjectAsync(151);
        var document = await OpenSaleAsync(host, project, instanceId);
        await host.Tenders.RecordDownloadAsync(project.Id, document, host.Bidders[0].Id, TenderHost.Bidder(1));
        await host.Tenders.RecordDownloadAsync(project.Id, document, host.Bidders[1].Id, TenderHost.Bidder(2));

        host.Clock.Set(At(11, 6));
        var objection = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[0].Id, "工程量清单与图纸不一致。", TenderHost.Bidder(1));
        Assert.Equal(AwardRules.ComplaintBeforeAnswer,
            (await RefusedAsync(() => complaints.FileAsync(ComplaintObjectionKind.Documents, objection.Id, "投诉", TenderHost.Bidder(1)))).RuleCode);

        // Answered Mon 9 Nov: complaints until Thu 19 Nov (10 日), only by the objector.
        host.Clock.Set(At(11, 9));
        await host.Tenders.AnswerObjectionAsync(objection.Id, "以图纸为准。", TenderHost.Tenderee);
        Assert.Equal(AwardRules.ComplaintNotObjector,
            (await RefusedAsync(() => complaints.FileAsync(ComplaintObjectionKind.Documents, objection.Id, "投诉", TenderHost.Bidder(2)))).RuleCode);
        host.Clock.Set(At(11, 20, 0, 1));
        Assert.Equal(AwardRules.ComplaintTooLate,
            (await RefusedAsync(() => complaints.FileAsync(ComplaintObjectionKind.Documents, objection.Id, "投诉", TenderHost.Bidder(1)))).RuleCode);

        host.Clock.Set(At(11, 19, 23));
        var complaint = await complaints.FileAsync(ComplaintObjectionKind.Documents, objection.Id, "答复未解决清单与图纸的矛盾。", TenderHost.Bidder(1));
        Assert.Equal((ComplaintObjectionKind.Documents, project.Id, host.Bidders[0].Id, ComplaintStage.Filed), (complaint.ObjectionKind, complaint.ProjectId, complaint.EntityId, complaint.Stage));
        // Filed Thu 19 Nov: Fri 20, Mon 23, Tue 24.
        Assert.Equal(At(11, 25, 0), complaint.AcceptDueAt);
        var listed = Assert.Single(await complaints.ForObjectionsAsync(ComplaintObjectionKind.Documents, [objection.Id]));
        Assert.Equal(complaint.Id, listed.Id);
        Assert.Empty(await complaints.ForObjectionsAsync(ComplaintObjectionKind.Result, [objection.Id]));
        Assert.Equal(1, await CountTrailAsync(host, project.Id, "engineering-construction.complaint.filed"));
    }

    /// <summary>
    /// Found walking the documents' complaint in the browser: a second complaint about the same answer was taken (two
    /// tabs), the tenderee was asked to decide on acceptance (the supervisor's text), and the complainant's and the
    /// tenderee's links led to the award page, which has nothing before the candidates are published; and the answer's
    /// notification did not tell the objector it may complain.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task DocumentsComplaint_OneAtATime_AgainAfterNotAccepted_TheTendereeToldNotAsked_LinksLeadToTheTenderPage(DatabaseProvider provider)
    {
        var supervisors = new CentreSupervisors();
        await using var host = await TenderHost.StartAsync(provider, s => s.AddSingleton<INotificationRecipientDirectory>(supervisors));
        var complaints = host.Services.GetRequiredService<ComplaintService>();
        var (project, instanceId) = await host.StartProjectAsync(153);
        supervisors.Centre = project.CentreId;
        var document = await OpenSaleAsync(host, project, instanceId);
        await host.Tenders.RecordDownloadAsync(project.Id, document, host.Bidders[0].Id, TenderHost.Bidder(1));
        host.Clock.Set(At(11, 6));
        var objection = await host.Tenders.RaiseObjectionAsync(project.Id, host.Bidders[0].Id, "工程量清单与图纸不一致。", TenderHost.Bidder(1));
        host.Clock.Set(At(11, 9));
        await host.Tenders.AnswerObjectionAsync(objection.Id, "以图纸为准。", TenderHost.Tenderee);

        host.Clock.Set(At(11, 10));
        // Two tabs at the same moment: one complaint, the other refused.
        var filings = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => FiledOrRefusedAsync(
            () => complaints.FileAsync(ComplaintObjectionKind.Documents, objection.Id, $"答复未解决清单与图纸的矛盾。（窗口 {i}）", TenderHost.Bidder(1)))));
        var complaint = Assert.Single(filings, f => f.Complaint is not null).Complaint!;
        Assert.Equal(AwardRules.ComplaintAlreadyFiled, Assert.Single(filings, f => f.Refused is not null).Refused!.RuleCode);
        Assert.Equal(AwardRules.ComplaintAlreadyFiled,
            (await RefusedAsync(() => complaints.FileAsync(ComplaintObjectionKind.Documents, objection.Id, "再次投诉。", TenderHost.Bidder(1)))).RuleCode);
        Assert.Single(await complaints.ForObjectionsAsync(ComplaintObjectionKind.Documents, [objection.Id]));
        Assert.Equal(1, await CountTrailAsync(host, project.Id, "engineering-construction.complaint.filed"));
        // Not accepted (不予受理, a defect put right): filed again within the 10 日, once.
        await complaints.RefuseAsync(complaint.Id, "投诉书未附有效线索，补正后可重新投诉。", SupervisorOf(project.CentreId));
        complaint = await complaints.FileAsync(ComplaintObjectionKind.Documents, objection.Id, "补正：附清单第 3 页与图纸 S-02 的对比。", TenderHost.Bidder(1));
        Assert.Equal(AwardRules.ComplaintAlreadyFiled,
            (await RefusedAsync(() => complaints.FileAsync(ComplaintObjectionKind.Documents, objection.Id, "再次投诉。", TenderHost.Bidder(1)))).RuleCode);
        Assert.Equal(2, (await complaints.ForObjectionsAsync(ComplaintObjectionKind.Documents, [objection.Id])).Count);
        await complaints.AcceptAsync(complaint.Id, SupervisorOf(project.CentreId));

        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using var db = host.Database.Database.Create();
        // Told of both filings (the first not accepted, the second accepted).
        var filedForTenderee = await db.Set<Notification>().AsNoTracking()
            .Where(n => n.UserId == "tenderee" && n.Template == AwardNotificationRules.ComplaintFiledTenderee).ToListAsync();
        Assert.Equal(2, filedForTenderee.Count);
        var tenderee = filedForTenderee[0];
        Assert.Contains(host.Bidders[0].Name, tenderee.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("请在", tenderee.Body, StringComparison.Ordinal);
        Assert.Empty(await db.Set<Notification>().AsNoTracking().Where(n => n.UserId == "tenderee" && n.Template == AwardNotificationRules.ComplaintFiled).ToListAsync());
        // The supervisors are told who complains and after which objection.
        var toSupervisors = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == AwardNotificationRules.ComplaintFiled).ToListAsync();
        Assert.NotEmpty(toSupervisors);
        Assert.All(toSupervisors, n => Assert.Contains($"{host.Bidders[0].Name} 对 ", n.Body, StringComparison.Ordinal));
        Assert.All(toSupervisors, n => Assert.Contains("招标文件异议的答复提出投诉", n.Body, StringComparison.Ordinal));
        var accepted = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == AwardNotificationRules.ComplaintAccepted).ToListAsync();
        Assert.Equal(["bidder1", "tenderee"], accepted.Select(n => n.UserId).Order());
        Assert.All([tenderee, .. accepted], n => Assert.Equal($"/engineering/tenders/{project.Id}", n.Link));
        // The answer tells the objector of its right to complain, as the answer to a result objection does.
        var answered = Assert.Single(await db.Set<Notification>().AsNoTracking()
            .Where(n => n.UserId == "bidder1" && n.Template == TenderNotificationRules.ObjectionAnswered).ToListAsync());
        Assert.Contains("10 日内向行政监督部门投诉（条例 60）", answered.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AfterAnObjectionAtTheOpening_TheObjectorComplains_FromTheAnswerOrTheOpeningsClose(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var complaints = bed.Host.Services.GetRequiredService<ComplaintService>();
        var (project, _) = await bed.StartAsync(451, stateFunded: true, At(11, 2));
        var (answered, unanswered, sessionId) = await OpeningObjectionsAsync(bed, project, At(11, 3, 9));

        // Still at the opening, with no answer: too early (条例 60: objection first, then the answer).
        bed.Host.Clock.Set(At(11, 3, 10));
        Assert.Equal(AwardRules.ComplaintBeforeAnswer,
            (await RefusedAsync(() => complaints.FileAsync(ComplaintObjectionKind.Opening, unanswered, "投诉", TenderHost.Bidder(2)))).RuleCode);
        Assert.Equal(AwardRules.ComplaintNotObjector,
            (await RefusedAsync(() => complaints.FileAsync(ComplaintObjectionKind.Opening, answered, "投诉", TenderHost.Bidder(2)))).RuleCode);
        var complaint = await complaints.FileAsync(ComplaintObjectionKind.Opening, answered, "主持人的答复不符合招标文件。", TenderHost.Bidder(1));
        Assert.Equal((ComplaintObjectionKind.Opening, project.Id, bed.Host.Bidders[0].Id), (complaint.ObjectionKind, complaint.ProjectId, complaint.EntityId));

        // The opening closes at 11:00 with the second objection unanswered: the bidder knows then, 10 日 from Tue 3 Nov.
        await using (var db = bed.Host.Database.Database.Create())
        {
            var session = await db.Set<OpeningSession>().FirstAsync(s => s.Id == sessionId);
            session.Close("host", At(11, 3, 11), allDecrypted: true);
            await db.SaveChangesAsync();
        }

        bed.Host.Clock.Set(At(11, 14, 0, 1));
        Assert.Equal(AwardRules.ComplaintTooLate,
            (await RefusedAsync(() => complaints.FileAsync(ComplaintObjectionKind.Opening, unanswered, "投诉", TenderHost.Bidder(2)))).RuleCode);
        bed.Host.Clock.Set(At(11, 13, 23));
        var late = await complaints.FileAsync(ComplaintObjectionKind.Opening, unanswered, "开标现场异议未获答复。", TenderHost.Bidder(2));
        Assert.Equal(bed.Host.Bidders[1].Id, late.EntityId);
        Assert.Equal(2, (await complaints.ForObjectionsAsync(ComplaintObjectionKind.Opening, [answered, unanswered])).Count);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Supervisor_AcceptsWithinThreeWorkingDays_DecidesAfterAcceptance_NotifyingComplainantAndTenderee(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var complaints = bed.Host.Services.GetRequiredService<ComplaintService>();
        var (project, _) = await bed.StartAsync(452, stateFunded: true, At(11, 2));
        bed.Host.Clock.Set(At(11, 3));
        var objection = await bed.Awards.RaiseObjectionAsync(project.Id, bed.Host.Bidders[2].Id, "评分有误。", TenderHost.Bidder(3));
        bed.Host.Clock.Set(At(11, 4));
        await bed.Awards.AnswerObjectionAsync(objection.Id, "评分无误。", TenderHost.Tenderee);
        bed.Host.Clock.Set(At(11, 5));
        var complaint = await bed.Awards.FileComplaintAsync(objection.Id, "对答复不服。", TenderHost.Bidder(3));
        Assert.Equal(ComplaintObjectionKind.Result, complaint.ObjectionKind);
        Assert.Equal(At(11, 11, 0), complaint.AcceptDueAt); // Thu 5 Nov: Fri 6, Mon 9, Tue 10

        var supervisor = SupervisorOf(project.CentreId);
        Assert.Equal(AwardRules.ComplaintNotAccepted, (await RefusedAsync(() => complaints.DecideAsync(complaint.Id, "驳回", supervisor))).RuleCode);
        Assert.Equal(AwardRules.SupervisorOnly, (await RefusedAsync(() => complaints.AcceptAsync(complaint.Id, TenderHost.Tenderee))).RuleCode);
        Assert.Equal(AwardRules.SupervisorOnly, (await RefusedAsync(() => complaints.AcceptAsync(complaint.Id, SupervisorOf(Guid.NewGuid())))).RuleCode);

        bed.Host.Clock.Set(At(11, 10, 23));
        Assert.DoesNotContain(await complaints.ForCentreAsync(project.CentreId), i => i.Complaint.IsOverdue(At(11, 10, 23)));
        var accepted = await complaints.AcceptAsync(complaint.Id, supervisor);
        Assert.Equal(ComplaintStage.Accepted, accepted.Stage);
        Assert.Equal(At(12, 23, 0), accepted.DecideDueAt); // Tue 10 Nov + 30 working days: Tue 22 Dec

        bed.Host.Clock.Set(At(12, 1));
        var decided = await complaints.DecideAsync(complaint.Id, "经调查，投诉不成立。", supervisor);
        Assert.Equal(ComplaintStage.Decided, decided.Stage);
        Assert.Equal(AwardRules.ComplaintDecided, (await RefusedAsync(() => complaints.DecideAsync(complaint.Id, "再次", supervisor))).RuleCode);

        var item = Assert.Single(await complaints.ForCentreAsync(project.CentreId));
        Assert.Equal((project.Code, ComplaintStage.Decided), (item.ProjectCode, item.Complaint.Stage));
        Assert.Empty(await complaints.ForCentreAsync(Guid.NewGuid()));
        Assert.Equal(1, await CountTrailAsync(bed.Host, project.Id, "engineering-construction.complaint.accepted"));
        Assert.Equal(1, await CountTrailAsync(bed.Host, project.Id, "engineering-construction.complaint.decided"));

        await bed.Host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using var db = bed.Host.Database.Database.Create();
        var acceptedSent = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == AwardNotificationRules.ComplaintAccepted).ToListAsync();
        Assert.Equal(["bidder3", "tenderee"], acceptedSent.Select(n => n.UserId).Order());
        Assert.All(acceptedSent, n => Assert.Contains("2026-12-23 00:00", n.Body, StringComparison.Ordinal));
        var decidedSent = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == AwardNotificationRules.ComplaintDecided).ToListAsync();
        Assert.Equal(["bidder3", "tenderee"], decidedSent.Select(n => n.UserId).Order());
        Assert.All(decidedSent, n => Assert.Contains("投诉不成立", n.Body, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task OverdueAcceptanceAndDecision_AreAnnouncedToTheSupervisorsOncePerStep(DatabaseProvider provider)
    {
        var supervisors = new CentreSupervisors();
        await using var bed = await AwardTestBed.StartAsync(provider, configure: s => s.AddSingleton<INotificationRecipientDirectory>(supervisors));
        var complaints = bed.Host.Services.GetRequiredService<ComplaintService>();
        var (project, _) = await bed.StartAsync(454, stateFunded: true, At(11, 2));
        supervisors.Centre = project.CentreId;
        bed.Host.Clock.Set(At(11, 3));
        var objection = await bed.Awards.RaiseObjectionAsync(project.Id, bed.Host.Bidders[2].Id, "评分有误。", TenderHost.Bidder(3));
        bed.Host.Clock.Set(At(11, 4));
        await bed.Awards.AnswerObjectionAsync(objection.Id, "评分无误。", TenderHost.Tenderee);
        bed.Host.Clock.Set(At(11, 5));
        var complaint = await bed.Awards.FileComplaintAsync(objection.Id, "对答复不服。", TenderHost.Bidder(3));
        const string overdue = "engineering-construction.complaint.overdue";

        // Acceptance due at the end of Tue 10 Nov: nothing a minute before, one announcement after, none again.
        bed.Host.Clock.Set(At(11, 10, 23, 59));
        Assert.Equal(0, await complaints.AnnounceOverdueAsync());
        bed.Host.Clock.Set(At(11, 11, 0, 1));
        Assert.Equal(1, await complaints.AnnounceOverdueAsync());
        Assert.Equal(0, await complaints.AnnounceOverdueAsync());
        Assert.Equal(1, await CountTrailAsync(bed.Host, project.Id, overdue));

        // Accepted late: the decision is due 30 working days later, and is announced once when that passes too.
        var accepted = await complaints.AcceptAsync(complaint.Id, SupervisorOf(project.CentreId));
        Assert.Equal(0, await complaints.AnnounceOverdueAsync());
        bed.Host.Clock.Set(accepted.DecideDueAt!.Value.AddMinutes(1));
        Assert.Equal(1, await complaints.AnnounceOverdueAsync());
        Assert.Equal(0, await complaints.AnnounceOverdueAsync());
        Assert.Equal(2, await CountTrailAsync(bed.Host, project.Id, overdue));

        await bed.Host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using var db = bed.Host.Database.Database.Create();
        var entries = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == overdue).ToListAsync();
        Assert.All(entries, e => Assert.Equal(ComplaintService.SystemActor, e.Actor));
        var sent = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == AwardNotificationRules.ComplaintOverdue).ToListAsync();
        Assert.Equal(["supervisor1", "supervisor1"], sent.Select(n => n.UserId));
        Assert.Contains(sent, n => n.Title.Contains("逾期未受理", StringComparison.Ordinal) && n.Body.Contains("2026-11-11 00:00", StringComparison.Ordinal));
        Assert.Contains(sent, n => n.Title.Contains("逾期未作出处理决定", StringComparison.Ordinal));
        Assert.All(sent, n => Assert.Contains(bed.Host.Bidders[2].Name, n.Body, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Supervisor_AfterTheThreeWorkingDays_StillActs_TheComplaintListedOverdueUntilThen_AndARefusalEndsIt(DatabaseProvider provider)
    {
        await using var bed = await AwardTestBed.StartAsync(provider);
        var complaints = bed.Host.Services.GetRequiredService<ComplaintService>();
        var (project, _) = await bed.StartAsync(453, stateFunded: true, At(11, 2));
        bed.Host.Clock.Set(At(11, 3));
        var first = await bed.Awards.RaiseObjectionAsync(project.Id, bed.Host.Bidders[2].Id, "评分有误。", TenderHost.Bidder(3));
        var second = await bed.Awards.RaiseObjectionAsync(project.Id, bed.Host.Bidders[1].Id, "第一名业绩不实。", TenderHost.Bidder(2));
        bed.Host.Clock.Set(At(11, 4));
        await bed.Awards.AnswerObjectionAsync(first.Id, "评分无误。", TenderHost.Tenderee);
        await bed.Awards.AnswerObjectionAsync(second.Id, "业绩属实。", TenderHost.Tenderee);
        bed.Host.Clock.Set(At(11, 5));
        var late = await bed.Awards.FileComplaintAsync(first.Id, "对答复不服。", TenderHost.Bidder(3));
        var refused = await bed.Awards.FileComplaintAsync(second.Id, "对答复不服。", TenderHost.Bidder(2));

        // From 24:00 Tue 10 Nov both are overdue for acceptance and listed first.
        bed.Host.Clock.Set(At(11, 11, 9));
        var listed = await complaints.ForCentreAsync(project.CentreId);
        Assert.Equal(2, listed.Count);
        Assert.All(listed, i => Assert.True(i.Complaint.IsOverdue(At(11, 11, 9))));

        var supervisor = SupervisorOf(project.CentreId);
        await complaints.AcceptAsync(late.Id, supervisor);
        await complaints.RefuseAsync(refused.Id, "投诉事项已经作出处理决定，又无新的证据。", supervisor);
        Assert.Equal(AwardRules.ComplaintRefused, (await RefusedAsync(() => complaints.DecideAsync(refused.Id, "驳回", supervisor))).RuleCode);
        Assert.Equal(AwardRules.ComplaintRefused, (await RefusedAsync(() => complaints.AcceptAsync(refused.Id, supervisor))).RuleCode);
        Assert.DoesNotContain(await complaints.ForCentreAsync(project.CentreId), i => i.Complaint.IsOverdue(At(11, 11, 9)));
        Assert.Equal(1, (await bed.Awards.SupervisionAsync(project.CentreId)).Single().OpenComplaints);

        await using var db = bed.Host.Database.Database.Create();
        var accepted = await db.Set<AuditEntry>().AsNoTracking().SingleAsync(e => e.Action == "engineering-construction.complaint.accepted");
        Assert.True(System.Text.Json.JsonDocument.Parse(accepted.Data).RootElement.GetProperty("late").GetBoolean());
        var refusal = await db.Set<AuditEntry>().AsNoTracking().SingleAsync(e => e.Action == "engineering-construction.complaint.refused");
        Assert.Equal("投诉事项已经作出处理决定，又无新的证据。", System.Text.Json.JsonDocument.Parse(refusal.Data).RootElement.GetProperty("reason").GetString());
        await bed.Host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        var sent = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == AwardNotificationRules.ComplaintRefused).ToListAsync();
        Assert.Equal(["bidder2", "tenderee"], sent.Select(n => n.UserId).Order());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Schema_ComplaintsOfVersion4_KeepEveryValue_AsResultComplaints_WithoutAnAcceptanceDueTime(DatabaseProvider provider)
    {
        await using var postgres = provider == DatabaseProvider.PostgreSql ? new PostgresTestDatabase() : null;
        var file = Path.Combine(Path.GetTempPath(), $"tw-complaints-{Guid.NewGuid():N}.db");
        if (postgres is not null)
        {
            await postgres.InitializeAsync();
        }

        try
        {
            await using DbConnection connection = postgres is not null ? new NpgsqlConnection(postgres.ConnectionString) : new SqliteConnection($"Data Source={file};Pooling=False");
            await connection.OpenAsync();
            var scripts = new TradingSchemaModule("engineering-construction", "Trading.Workflow.Domain.EngineeringConstruction.Schema").ScriptsFor(provider);
            var migrator = new SchemaMigrator(TimeProvider.System, NullLogger<SchemaMigrator>.Instance);
            await migrator.UpgradeAsync(connection, scripts, targetVersion: 4);
            var id = Guid.NewGuid();
            await using (var insert = connection.CreateCommand())
            {
                insert.CommandText = $"""
                    INSERT INTO "tr_ec_complaints" ("id", "project_id", "objection_id", "entity_id", "entity_name", "text", "filed_by", "filed_at", "decision", "decided_by", "decided_at")
                    VALUES ('{id}', '{Guid.NewGuid()}', '{Guid.NewGuid()}', '{Guid.NewGuid()}', '演示第三建筑有限公司', '对答复不服。', 'bidder3', 1, '投诉不成立。', 'supervisor', 2)
                    """;
                await insert.ExecuteNonQueryAsync();
            }

            await migrator.UpgradeAsync(connection, scripts);
            await using var read = connection.CreateCommand();
            read.CommandText = """SELECT "objection_kind", "accept_due_at" IS NULL, "accepted_at" IS NULL, "decision", "entity_name", "text" FROM "tr_ec_complaints" """;
            await using var row = await read.ExecuteReaderAsync();
            Assert.True(await row.ReadAsync());
            Assert.Equal(nameof(ComplaintObjectionKind.Result), row.GetString(0));
            Assert.True(Convert.ToBoolean(row.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(Convert.ToBoolean(row.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(("投诉不成立。", "演示第三建筑有限公司", "对答复不服。"), (row.GetString(3), row.GetString(4), row.GetString(5)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    /// <summary>An opening of the project's section with two objections: bidder 1's answered on the spot, bidder 2's not.</summary>
    private static async Task<(Guid Answered, Guid Unanswered, Guid SessionId)> OpeningObjectionsAsync(AwardTestBed bed, Trading.Workflow.Domain.Projects.Project project, DateTimeOffset at)
    {
        var section = project.Sections[0];
        var session = OpeningSession.Start(new OpeningSection(section.Id, project.Id, project.CentreId, project.Code, project.Name, section.Code, section.Subject, project.TradeType, project.RegionCode),
            3, 3, TimeSpan.FromMinutes(30), at, at, null);
        var answered = OpeningObjection.Raise(session.Id, bed.Host.Bidders[0].Id, bed.Host.Bidders[0].Name, "bidder1", "第二名的工期超出招标文件上限。", at.AddMinutes(5));
        answered.Reply("host", "以评标委员会评审为准。", at.AddMinutes(10));
        var unanswered = OpeningObjection.Raise(session.Id, bed.Host.Bidders[1].Id, bed.Host.Bidders[1].Name, "bidder2", "解密失败应查明原因。", at.AddMinutes(6));
        await using var db = bed.Host.Database.Database.Create();
        db.AddRange(session, answered, unanswered);
        await db.SaveChangesAsync();
        return (answered.Id, unanswered.Id, session.Id);
    }

    private static async Task<int> CountTrailAsync(TenderHost host, Guid projectId, string action)
    {
        await using var db = host.Database.Database.Create();
        return await db.Set<AuditEntry>().AsNoTracking().CountAsync(e => e.SubjectId == projectId.ToString() && e.Action == action);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.Notifications;

/// <summary>
/// Task notifications are durable with the command: the sweep over the engine's history records what the post-commit
/// path never did (a crash right after the commit), once, and only for the users of a role who could receive the task.
/// </summary>
public sealed class TaskNotificationsTests
{
    private const string Bpmn = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="d" targetNamespace="t">
          <bpmn:process id="review" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
            <bpmn:userTask id="check" name="审核公告" tw:candidateRoles="Staff" />
            <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_task_whose_post_commit_notification_was_lost_is_notified_by_the_sweep_once_within_its_project(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var engine = host.Services.GetRequiredService<IWorkflowEngine>();
        var tasks = host.Services.GetRequiredService<TaskNotifications>();

        // The command commits; the process "crashes" before the post-commit path records anything.
        await engine.StartAsync("review", "GC-A-2026-0001", null, "tenderee");
        var task = Assert.Single(await engine.GetTasksAsync(new()));
        var unsettled = await tasks.SweepAsync(TimeSpan.FromHours(1));
        var swept = await tasks.SweepAsync(TimeSpan.Zero);
        var again = await tasks.SweepAsync(TimeSpan.Zero);
        var fastPathLate = await tasks.NotifyAsync(task.Id, HistoryEventType.TaskCreated);

        Assert.Equal(0, unsettled);
        Assert.Equal(1, swept);
        Assert.Equal(0, again);
        Assert.Empty(fastPathLate);
        await using var db = host.Database.Create();
        var notifications = await db.Set<Notification>().AsNoTracking().ToListAsync();
        var only = Assert.Single(notifications);
        Assert.Equal(("staff-a", $"task:{task.Id:N}:offered", $"/inbox/tasks/{task.Id}"), (only.UserId, only.SourceKey, only.Link));
        Assert.Contains("审核公告", only.Title + only.Body, StringComparison.Ordinal);
        Assert.True((await db.Set<NotificationCursor>().AsNoTracking().SingleAsync(c => c.Name == TaskNotifications.Cursor)).Position > 0);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task The_sweep_moves_past_commands_without_task_events_to_a_later_task(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var engine = host.Services.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.Parse(Bpmn.Replace("review", "pass", StringComparison.Ordinal)
            .Replace("""<bpmn:userTask id="check" name="审核公告" tw:candidateRoles="Staff" />""", """<bpmn:task id="check" />""", StringComparison.Ordinal)));
        var tasks = host.Services.GetRequiredService<TaskNotifications>();

        // Commands with several events each and no task event (each command keeps them in one row), then a task.
        for (var i = 0; i < 6; i++)
        {
            await engine.StartAsync("pass", $"GC-A-2026-01{i:D2}", null, "tenderee");
        }

        await engine.StartAsync("review", "GC-A-2026-0001", null, "tenderee");
        var swept = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            swept.Add(await tasks.SweepAsync(TimeSpan.Zero, maxEvents: 2));
        }

        Assert.Equal(1, swept.Sum());
        await using var db = host.Database.Create();
        Assert.Single(await db.Set<Notification>().AsNoTracking().ToListAsync());
    }

    /// <summary>The engine with the review procedure deployed, staff of two centres, a project of the first.</summary>
    private static async Task<TradingDatabaseHost> StartAsync(DatabaseProvider provider)
    {
        var host = await TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.AddWorkflowEngine();
            services.AddWorkingDayCalendar();
            services.AddSingleton<INotificationRecipientDirectory, StaffOfTwoCentres>();
            services.AddSingleton<ITaskCandidateScope, ProjectOfCentreA>();
        });
        await host.Services.GetRequiredService<IWorkflowEngine>().DeployAsync(BpmnParser.Parse(Bpmn));
        return host;
    }

    /// <summary>Staff of two centres; only the first is a party of the project.</summary>
    private sealed class StaffOfTwoCentres : INotificationRecipientDirectory
    {
        public ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new NotificationRecipient(userId, NotificationLanguage.Chinese, null, null));

        public ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<string>>(role == "Staff" ? ["staff-a", "staff-b"] : []);
    }

    private sealed class ProjectOfCentreA : ITaskCandidateScope
    {
        public ValueTask<CandidateStanding> StandingAsync(string? businessKey, string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new CandidateStanding(userId, userId == "staff-a", userId == "staff-a" ? roles : []));

        public ValueTask<CandidateStanding?> StandingOfAsync(string? businessKey, string userId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<CandidateStanding?>(new CandidateStanding(userId, userId == "staff-a", userId == "staff-a" ? ["Staff"] : []));
    }
}

using Trading.Workflow.Engine.Tests.Runtime.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Quartz.Reminders;
using Trading.Workflow.Engine.Quartz.Tests.Support;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Quartz.Tests;

public sealed class ReminderTests
{
    private static readonly DateTimeOffset _start = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Scan_WhenRunTwiceForANearDueTask_NotifiesTheAssigneeOnce()
    {
        var (engine, time) = await StartAsync();
        await engine.StartAsync("deadlineProcess", variables: Variables("alice", null, null, "PT2H"));
        var sink = new InMemoryNotificationSink();
        var reminders = Reminders(engine, sink, time);

        var first = await reminders.ScanAsync();
        var second = await reminders.ScanAsync();

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        var notification = Assert.Single(await sink.GetForRecipientAsync("alice"));
        Assert.Equal(NotificationKind.TaskNearDue, notification.Kind);
        Assert.Contains("2026-03-02 11:00", notification.MessageZh);
    }

    [Fact]
    public async Task Scan_WhenTheTaskBecomesOverdue_AddsOneOverdueNotification()
    {
        var (engine, time) = await StartAsync();
        await engine.StartAsync("deadlineProcess", variables: Variables("alice", null, null, "PT2H"));
        var sink = new InMemoryNotificationSink();
        var reminders = Reminders(engine, sink, time);
        await reminders.ScanAsync();

        time.Advance(TimeSpan.FromMinutes(150));
        await reminders.ScanAsync();
        await reminders.ScanAsync();

        var kinds = (await sink.GetForRecipientAsync("alice")).Select(n => n.Kind).ToList();
        Assert.Equal([NotificationKind.TaskNearDue, NotificationKind.TaskOverdue], kinds);
    }

    [Fact]
    public async Task Scan_WhenNobodyIsAssigned_NotifiesEveryCandidateUserAndRole()
    {
        var (engine, time) = await StartAsync();
        await engine.StartAsync("deadlineProcess", variables: Variables(null, "bob,carol", "reviewers", "PT1H"));
        var sink = new InMemoryNotificationSink();

        var added = await Reminders(engine, sink, time).ScanAsync();

        Assert.Equal(3, added);
        Assert.Single(await sink.GetForRecipientAsync("bob"));
        Assert.Single(await sink.GetForRecipientAsync("carol"));
        Assert.Single(await sink.GetForRecipientAsync("role:reviewers"));
    }

    [Fact]
    public async Task Scan_WhenTheDueDateIsBeyondTheWindow_NotifiesNobody()
    {
        var (engine, time) = await StartAsync();
        await engine.StartAsync("deadlineProcess", variables: Variables("alice", null, null, "P3D"));
        var sink = new InMemoryNotificationSink();

        var added = await Reminders(engine, sink, time).ScanAsync();

        Assert.Equal(0, added);
        Assert.Empty(await sink.GetForRecipientAsync("alice"));
    }

    [Fact]
    public async Task Scan_WithOneWorkingDayWindow_OnFriday_RemindsOfATaskDueMondayButNotTuesday()
    {
        var friday = new DateTimeOffset(2026, 3, 6, 10, 0, 0, TimeSpan.FromHours(8));
        var (engine, time) = await StartAsync(friday);
        await engine.StartAsync("deadlineProcess", variables: Variables("alice", null, null, "2026-03-09T09:00:00+08:00"));
        await engine.StartAsync("deadlineProcess", variables: Variables("bob", null, null, "2026-03-10T09:00:00+08:00"));
        var sink = new InMemoryNotificationSink();

        var added = await Reminders(engine, sink, time, nearDueWorkingDays: 1).ScanAsync();

        Assert.Equal(1, added);
        Assert.Equal(NotificationKind.TaskNearDue, Assert.Single(await sink.GetForRecipientAsync("alice")).Kind);
    }

    [Fact]
    public void NearDueUntil_InWorkingDays_SkipsTheQingmingHoliday()
    {
        // 2026: Qingming is Saturday 4 April to Monday 6 April; Friday 3 April + 1 working day is Tuesday 7 April.
        var friday = new DateTimeOffset(2026, 4, 3, 15, 0, 0, TimeSpan.FromHours(8));

        var until = Evaluator(new TestClock(friday), nearDueWorkingDays: 1).NearDueUntil(friday);

        Assert.Equal(new DateTimeOffset(2026, 4, 7, 15, 0, 0, TimeSpan.FromHours(8)), until);
    }

    [Fact]
    public void NearDueUntil_InWorkingDays_YearWithoutCalendarData_FallsBackToTheHoursWindow()
    {
        var now = new DateTimeOffset(2031, 3, 7, 10, 0, 0, TimeSpan.FromHours(8));

        var until = Evaluator(new TestClock(now), nearDueWorkingDays: 1).NearDueUntil(now);

        Assert.Equal(now.AddHours(24), until);
    }

    [Fact]
    public async Task SqlSink_WhenTheSameReminderIsAddedTwice_StoresItOnce()
    {
        using var db = new TempSqliteFile();
        var sink = new SqlNotificationSink(Options.Create(new QuartzTimerOptions { ConnectionString = $"Data Source={db.Path}" }));
        var taskId = Guid.NewGuid();
        var notification = new NotificationRecord(Guid.NewGuid(), "alice", NotificationKind.TaskOverdue, taskId, Guid.NewGuid(), "审核报名",
            _start, _start.AddHours(1), "任务逾期", "Task overdue");

        var first = await sink.AddAsync([notification]);
        var second = await sink.AddAsync([notification with { Id = Guid.NewGuid() }]);

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        var stored = Assert.Single(await sink.GetForRecipientAsync("alice"));
        Assert.Equal(_start, stored.Due);
        Assert.Equal(_start.Offset, stored.Due.Offset);
    }

    [Theory]
    [InlineData(null, TaskDueState.None)]
    [InlineData(-1.0, TaskDueState.Overdue)]
    [InlineData(0.0, TaskDueState.Overdue)]
    [InlineData(2.0, TaskDueState.NearDue)]
    [InlineData(24.0, TaskDueState.NearDue)]
    [InlineData(25.0, TaskDueState.None)]
    public void DueState_FollowsTheDueDateAndTheWindow(double? hoursUntilDue, TaskDueState expected)
    {
        DateTimeOffset? due = hoursUntilDue is { } h ? _start.AddHours(h) : null;

        var state = TaskDueStates.Of(due, _start, TimeSpan.FromHours(24));

        Assert.Equal(expected, state);
    }

    private static Dictionary<string, object?> Variables(string? assignee, string? candidates, string? roles, string due) => new()
    {
        ["assignee"] = assignee,
        ["candidates"] = candidates,
        ["roles"] = roles,
        ["due"] = due,
    };

    private static TaskReminderService Reminders(IWorkflowEngine engine, INotificationSink sink, TimeProvider time, int nearDueWorkingDays = 0) =>
        new(engine, sink, time, Evaluator(time, nearDueWorkingDays), NullLogger<TaskReminderService>.Instance);

    private static TaskDueStateEvaluator Evaluator(TimeProvider time, int nearDueWorkingDays) => new(
        time,
        Options.Create(new TaskReminderOptions { NearDueWindow = TimeSpan.FromHours(24), NearDueWorkingDays = nearDueWorkingDays }),
        NullLogger<TaskDueStateEvaluator>.Instance,
        new ServiceCollection().AddWorkingDayCalendar().BuildServiceProvider().GetRequiredService<IBusinessCalendar>());

    private static async Task<(IWorkflowEngine Engine, TestClock Time)> StartAsync(DateTimeOffset? start = null)
    {
        var time = new TestClock(start ?? _start);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkflowEngine().UseTimeProvider(time);
        var engine = services.BuildServiceProvider().GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Bpmn", "task-with-deadline.bpmn")));
        return (engine, time);
    }
}

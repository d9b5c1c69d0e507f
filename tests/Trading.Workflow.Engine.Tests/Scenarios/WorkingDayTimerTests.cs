using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

/// <summary>Working-day timers (Timers/README.md) across the 2026 National Day holiday (1–7 Oct off, Sat 10 Oct worked).</summary>
public sealed class WorkingDayTimerTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Start = new(2026, 9, 30, 10, 0, 0, China);

    private static Task<EngineTestHost> StartAsync() =>
        EngineTestHost.ScenarioAsync(["extra/workingDayTimers.bpmn"], now: Start, workingDayCalendar: true);

    [Fact]
    public async Task P5WD_SkipsHolidayAndCountsWorkedSaturday()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("workingDayTimers");

        var timer = Assert.Single(await h.TimersAsync(instance.Id), t => t.ElementId == "clarifyDeadline");
        Assert.Equal(new DateTimeOffset(2026, 10, 13, 10, 0, 0, China), timer.Due);
    }

    [Fact]
    public async Task P5WDEndOfDay_IsDueAtMidnightEndingTheFifthWorkingDay()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("workingDayTimers");

        var timer = Assert.Single(await h.TimersAsync(instance.Id), t => t.ElementId == "objectionDeadline");
        Assert.Equal(new DateTimeOffset(2026, 10, 14, 0, 0, 0, China), timer.Due);
    }

    [Fact]
    public async Task P5WD_ClockOneMinuteBeforeDue_DoesNotFire()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("workingDayTimers");

        h.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 13, 9, 59, 0, China));
        await h.Engine.FireDueTimersAsync();

        Assert.Equal(["clarify", "objection"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task P5WD_ClockReachesDue_InterruptsTheTask()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("workingDayTimers");

        h.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 13, 10, 0, 0, China));
        await h.Engine.FireDueTimersAsync();

        Assert.Equal(["objection"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task TaskDueDate_DateExpression_IsThatDate()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["extra/taskDueDates.bpmn"], now: Start, workingDayCalendar: true);
        var deadline = new DateTimeOffset(2026, 10, 20, 17, 0, 0, China);

        var instance = await h.StartProcessAsync("taskDueDates", new { deadline });

        Assert.Equal(deadline, (await h.SingleTaskAsync(instance.Id, "fixedDate")).Due);
    }

    [Fact]
    public async Task TaskDueDate_WorkingDayDuration_CountsFromCreation()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["extra/taskDueDates.bpmn"], now: Start, workingDayCalendar: true);

        // Timers/README.md: the same duration forms serve wherever the engine takes a time limit (task due dates).
        var instance = await h.StartProcessAsync("taskDueDates", new { deadline = Start });

        Assert.Equal(new DateTimeOffset(2026, 10, 13, 10, 0, 0, China), (await h.SingleTaskAsync(instance.Id, "workingDays")).Due);
    }

    [Fact]
    public async Task TaskDueDate_FlowableIsoDuration_CountsFromCreation()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["extra/taskDueDates.bpmn"], now: Start, workingDayCalendar: true);

        // Flowable user task docs: dueDate may be an ISO 8601 duration such as PT50M, counted from task creation.
        var instance = await h.StartProcessAsync("taskDueDates", new { deadline = Start });

        Assert.Equal(Start.AddMinutes(50), (await h.SingleTaskAsync(instance.Id, "flowableDuration")).Due);
    }
}

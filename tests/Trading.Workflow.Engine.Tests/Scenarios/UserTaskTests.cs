using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

public sealed class UserTaskTests
{
    private static readonly object Start = new { projectCode = "GC2026-018", manager = "zhou" };

    private static async Task<(ProcessInstanceInfo Instance, UserTaskInfo Review)> StartReviewAsync(EngineTestHost h)
    {
        var instance = await h.StartProcessAsync("userTasks", Start, "BK-UT");
        return (instance, await h.SingleTaskAsync(instance.Id, "review"));
    }

    [Fact]
    public async Task Create_NameTemplate_IsEvaluatedWhenTaskIsCreated()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (_, review) = await StartReviewAsync(h);

        Assert.Equal("审核 GC2026-018 招标公告", review.Name);
    }

    [Fact]
    public async Task Create_CandidatesFormKeyAndPriority_ComeFromTheModel()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (_, review) = await StartReviewAsync(h);

        Assert.Equal(["zhang", "li"], review.CandidateUsers);
        Assert.Equal(["auditor"], review.CandidateRoles);
        Assert.Equal("forms/review", review.FormKey);
        Assert.Equal(80, review.Priority);
        Assert.Null(review.Assignee);
        Assert.Equal("BK-UT", review.BusinessKey);
    }

    [Fact]
    public async Task Create_AssigneeExpression_IsEvaluated()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (instance, review) = await StartReviewAsync(h);

        await h.Engine.CompleteTaskAsync(review.Id);

        Assert.Equal("zhou", (await h.SingleTaskAsync(instance.Id, "approve")).Assignee);
    }

    [Fact]
    public async Task OpenTasksForUser_CandidateUser_SeesTheTask()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (_, review) = await StartReviewAsync(h);

        var tasks = await h.Engine.GetOpenTasksForUserAsync("li");

        Assert.Equal([review.Id], tasks.Select(t => t.Id));
    }

    [Fact]
    public async Task OpenTasksForUser_MemberOfCandidateRole_SeesTheTask()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (_, review) = await StartReviewAsync(h);

        var tasks = await h.Engine.GetOpenTasksForUserAsync("sun", ["auditor"]);

        Assert.Equal([review.Id], tasks.Select(t => t.Id));
    }

    [Fact]
    public async Task OpenTasksForUser_NeitherCandidateNorAssignee_SeesNothing()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (_, review) = await StartReviewAsync(h);

        var outsider = await h.Engine.GetOpenTasksForUserAsync("sun", ["bidder"]);

        Assert.Empty(outsider);
        // Positive control: the same query with a candidate role finds the task, so the empty answer above is the
        // filter at work and not a query that drops everything.
        Assert.Equal([review.Id], (await h.Engine.GetOpenTasksForUserAsync("sun", ["auditor"])).Select(t => t.Id));
    }

    [Fact]
    public async Task Claim_ByCandidate_SetsAssigneeAndHidesTaskFromOtherCandidates()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (_, review) = await StartReviewAsync(h);

        await h.Engine.ClaimTaskAsync(review.Id, "zhang");

        Assert.Equal("zhang", (await h.Engine.GetTaskAsync(review.Id))!.Assignee);
        Assert.Empty(await h.Engine.GetOpenTasksForUserAsync("li"));
        Assert.Single(await h.Engine.GetOpenTasksForUserAsync("zhang"));
    }

    [Fact]
    public async Task Claim_TaskHeldByAnotherUser_IsRefused()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (_, review) = await StartReviewAsync(h);
        await h.Engine.ClaimTaskAsync(review.Id, "zhang");

        // Camunda 7 TaskService.claim: TaskAlreadyClaimedException when another user holds the task.
        await Assert.ThrowsAnyAsync<WorkflowException>(async () => await h.Engine.ClaimTaskAsync(review.Id, "li"));

        Assert.Equal("zhang", (await h.Engine.GetTaskAsync(review.Id))!.Assignee);
    }

    [Fact]
    public async Task Unclaim_ClaimedTask_ClearsAssigneeAndReturnsItToCandidates()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (_, review) = await StartReviewAsync(h);
        await h.Engine.ClaimTaskAsync(review.Id, "zhang");

        await h.Engine.UnclaimTaskAsync(review.Id, "zhang");

        Assert.Null((await h.Engine.GetTaskAsync(review.Id))!.Assignee);
        Assert.Single(await h.Engine.GetOpenTasksForUserAsync("li"));
    }

    [Fact]
    public async Task Assign_AnyUser_BecomesAssigneeAndSeesTheTask()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (_, review) = await StartReviewAsync(h);

        await h.Engine.AssignTaskAsync(review.Id, "wu", "admin");

        Assert.Equal("wu", (await h.Engine.GetTaskAsync(review.Id))!.Assignee);
        Assert.Single(await h.Engine.GetOpenTasksForUserAsync("wu"));
    }

    [Fact]
    public async Task Delegate_AssignedTask_NewAssigneeIsDelegateAndOwnerIsPreviousAssignee()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (_, review) = await StartReviewAsync(h);
        await h.Engine.ClaimTaskAsync(review.Id, "zhang");

        // Camunda 7 TaskService.delegateTask: owner = former assignee, assignee = delegate.
        await h.Engine.DelegateTaskAsync(review.Id, "chen", "请代为审核", "zhang");

        var task = (await h.Engine.GetTaskAsync(review.Id))!;
        Assert.Equal("chen", task.Assignee);
        Assert.Equal("zhang", task.Owner);
        Assert.Equal("请代为审核", task.DelegationNote);
    }

    [Fact]
    public async Task Complete_WithVariables_VariablesReachTheProcessAndTaskCloses()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (instance, review) = await StartReviewAsync(h);

        await h.Engine.CompleteTaskAsync(review.Id, new Dictionary<string, object?> { ["opinion"] = "同意" }, "zhang");

        var task = (await h.Engine.GetTaskAsync(review.Id))!;
        Assert.Equal(UserTaskState.Completed, task.State);
        Assert.Equal("zhang", task.CompletedBy);
        Assert.Equal("同意", (await h.VariablesAsync(instance.Id))["opinion"]);
    }

    [Fact]
    public async Task Complete_WhenTaskAlreadyCompleted_ThrowsConflict()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (_, review) = await StartReviewAsync(h);
        await h.Engine.CompleteTaskAsync(review.Id);

        await Assert.ThrowsAsync<WorkflowConflictException>(async () => await h.Engine.CompleteTaskAsync(review.Id));
    }

    [Fact]
    public async Task Complete_WhenTaskAlreadyCompleted_LeavesInstanceUnchanged()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (instance, review) = await StartReviewAsync(h);
        await h.Engine.CompleteTaskAsync(review.Id);
        var before = await h.SnapshotAsync(instance.Id);

        await Assert.ThrowsAsync<WorkflowConflictException>(async () =>
            await h.Engine.CompleteTaskAsync(review.Id, new Dictionary<string, object?> { ["opinion"] = "again" }));

        Assert.Equal(before, await h.SnapshotAsync(instance.Id));
    }

    [Fact]
    public async Task Complete_UnknownTask_ThrowsNotFound()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");

        await Assert.ThrowsAsync<WorkflowNotFoundException>(async () => await h.Engine.CompleteTaskAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Create_NameTemplateWithUnknownVariable_KeepsTheRawNameAndStarts()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");

        var instance = await h.StartProcessAsync("userTasks", new { manager = "zhou" });

        Assert.Equal("审核 ${projectCode} 招标公告", (await h.SingleTaskAsync(instance.Id, "review")).Name);
    }

    [Fact]
    public async Task Create_ChineseNameTemplate_IsRenderedWithTheInstanceVariables()
    {
        await using var h = await EngineTestHost.ScenarioAsync("tasks/taskNames.bpmn");

        var instance = await h.StartProcessAsync("taskNames", new { projectName = "演示学校教学楼新建工程", deposit = 5000m });

        Assert.Equal("提交招标公告：演示学校教学楼新建工程", (await h.SingleTaskAsync(instance.Id, "submit")).Name);
    }

    [Fact]
    public async Task Create_NameThatCannotBeEvaluated_KeepsTheRawTextAndTheOtherTasksAreCreated()
    {
        await using var h = await EngineTestHost.ScenarioAsync("tasks/taskNames.bpmn");

        var instance = await h.StartProcessAsync("taskNames", new { projectName = "演示学校教学楼新建工程", deposit = 5000m });

        Assert.Equal(["brokenName", "submit", "unknownName"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Equal("复核：${notSetAnywhere}", (await h.SingleTaskAsync(instance.Id, "unknownName")).Name);
        Assert.Equal("开标：${deposit.lots}", (await h.SingleTaskAsync(instance.Id, "brokenName")).Name);
    }

    [Fact]
    public async Task TaskHistory_CarriesTheRenderedName()
    {
        await using var h = await EngineTestHost.ScenarioAsync("tasks/taskNames.bpmn");
        var instance = await h.StartProcessAsync("taskNames", new { projectName = "演示学校教学楼新建工程", deposit = 5000m });
        var submit = await h.SingleTaskAsync(instance.Id, "submit");

        await h.Engine.ClaimTaskAsync(submit.Id, "tenderee");
        await h.Engine.CompleteTaskAsync(submit.Id, userId: "tenderee");

        var events = (await h.Engine.GetHistoryAsync(instance.Id)).Where(e => e.TaskId == submit.Id).ToList();
        Assert.Equal(
            [History.HistoryEventType.TaskCreated, History.HistoryEventType.TaskClaimed, History.HistoryEventType.TaskCompleted],
            events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal("提交招标公告：演示学校教学楼新建工程", e.ElementName));
    }

    [Fact]
    public async Task Create_CreatedAt_ComesFromTheEngineClock()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        h.Clock.Advance(TimeSpan.FromMinutes(7));

        var (_, review) = await StartReviewAsync(h);

        Assert.Equal(EngineTestHost.StartTime.AddMinutes(7), review.CreatedAt);
    }

    [Fact]
    public async Task Complete_ByUser_HistoryRecordsWhoCompletedWhichTask()
    {
        await using var h = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var (instance, review) = await StartReviewAsync(h);

        await h.Engine.CompleteTaskAsync(review.Id, userId: "zhang");

        var history = await h.Engine.GetHistoryAsync(instance.Id);
        Assert.Contains(history, e => e.Type == History.HistoryEventType.TaskCompleted && e.TaskId == review.Id && e.UserId == "zhang");
    }
}

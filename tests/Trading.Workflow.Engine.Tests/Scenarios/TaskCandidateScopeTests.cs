using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Runtime;

namespace Trading.Workflow.Engine.Tests.Scenarios;

/// <summary>
/// Candidate resolution within a scope the host supplies: a role named in the model counts only for the users the
/// scope says hold it for the task's business key, and delegation and assignment go only to users who could receive
/// the task. The review task of user-tasks.bpmn is offered to zhang, li and the role auditor.
/// </summary>
public sealed class TaskCandidateScopeTests
{
    private const string BusinessKey = "BK-SCOPE";

    /// <summary>A scope of one business key: who takes part in it, and with which roles.</summary>
    private sealed class FixedScope(Dictionary<string, string[]> parties) : ITaskCandidateScope
    {
        public ValueTask<CandidateStanding> StandingAsync(string? businessKey, string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Standing(businessKey, userId, roles));

        public ValueTask<CandidateStanding?> StandingOfAsync(string? businessKey, string userId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<CandidateStanding?>(parties.TryGetValue(userId, out var roles) || userId.StartsWith("outsider", StringComparison.Ordinal)
                ? Standing(businessKey, userId, roles ?? [])
                : null);

        private CandidateStanding Standing(string? businessKey, string userId, IReadOnlyCollection<string> roles) =>
            businessKey == BusinessKey && parties.TryGetValue(userId, out var held)
                ? new CandidateStanding(userId, true, [.. roles.Intersect(held)])
                : new CandidateStanding(userId, false, []);
    }

    private static async Task<(EngineTestHost Host, UserTaskInfo Review)> StartAsync(Dictionary<string, string[]> parties)
    {
        var host = await EngineTestHost.StartAsync(
            [Path.Combine(AppContext.BaseDirectory, "Scenarios", "Files", "user-tasks.bpmn")],
            builder => builder.Services.AddSingleton<ITaskCandidateScope>(new FixedScope(parties)));
        var instance = await host.StartAsync("userTasks", new { projectCode = "GC2026-018", manager = "zhou" }, BusinessKey);
        var review = (await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id })).Single(t => t.ElementId == "review");
        return (host, review);
    }

    private static UserTaskInfo Task(string[] users, string[] roles, string? assignee = null) => new(
        Guid.NewGuid(), Guid.NewGuid(), "p", 1, BusinessKey, "t", null, null, assignee, null, users, roles, null, null, null, 50,
        UserTaskState.Open, DateTimeOffset.UnixEpoch, null, null, null, null, null);

    [Fact]
    public void IsCandidate_RoleHeldInScope_IsCandidate()
    {
        var standing = new CandidateStanding("sun", true, ["auditor"]);

        Assert.True(TaskCandidates.IsCandidate(Task([], ["auditor"]), standing));
    }

    [Fact]
    public void IsCandidate_RoleHeldOnlyOutsideTheScope_IsNotCandidate()
    {
        // sun is an auditor of the platform, but not of this business: the scope gives no roles there.
        var standing = new CandidateStanding("sun", true, []);

        Assert.False(TaskCandidates.IsCandidate(Task([], ["auditor"]), standing));
    }

    [Fact]
    public void IsCandidate_NamedUserWhoMayNotReceiveTasksOfTheScope_IsNotCandidate()
    {
        var standing = new CandidateStanding("zhang", false, ["auditor"]);

        Assert.False(TaskCandidates.IsCandidate(Task(["zhang"], ["auditor"]), standing));
    }

    [Fact]
    public void CouldReceive_TaskWithCandidates_OnlyACandidate()
    {
        var task = Task([], ["auditor"], assignee: "sun");

        Assert.True(TaskCandidates.CouldReceive(task, new CandidateStanding("wu", true, ["auditor"])));
        Assert.False(TaskCandidates.CouldReceive(task, new CandidateStanding("qian", true, ["bidder"])));
    }

    [Fact]
    public void CouldReceive_TaskGivenStraightToAnAssignee_OnlySomeoneOnTheAssigneesSide()
    {
        var task = Task([], [], assignee: "zhou");

        Assert.True(TaskCandidates.CouldReceive(task, new CandidateStanding("wu", true, ["tenderee"]), assigneeRoles: ["tenderee"]));
        Assert.False(TaskCandidates.CouldReceive(task, new CandidateStanding("qian", true, ["bidder"]), assigneeRoles: ["tenderee"]));
        Assert.False(TaskCandidates.CouldReceive(task, new CandidateStanding("wu", false, ["tenderee"]), assigneeRoles: ["tenderee"]));
    }

    [Fact]
    public async Task OpenTasksForUser_RoleMemberInScope_SeesTheTask()
    {
        var (host, review) = await StartAsync(new() { ["sun"] = ["auditor"] });
        await using var _ = host;

        var tasks = await host.Engine.GetOpenTasksForUserAsync("sun", ["auditor"]);

        Assert.Equal([review.Id], tasks.Select(t => t.Id));
    }

    [Fact]
    public async Task OpenTasksForUser_RoleMemberOutsideTheScope_SeesNothing()
    {
        var (host, _) = await StartAsync(new() { ["sun"] = ["auditor"] });
        await using var _h = host;

        var tasks = await host.Engine.GetOpenTasksForUserAsync("outsider-auditor", ["auditor"]);

        Assert.Empty(tasks);
    }

    [Fact]
    public async Task OpenTasksForUser_NamedCandidateOutsideTheScope_SeesNothing()
    {
        // li is named in the model, but takes no part in this business.
        var (host, _) = await StartAsync(new() { ["zhang"] = [] });
        await using var _h = host;

        Assert.Empty(await host.Engine.GetOpenTasksForUserAsync("li"));
        Assert.Single(await host.Engine.GetOpenTasksForUserAsync("zhang"));
    }

    [Fact]
    public async Task Delegate_ToUserWhoCouldNotReceiveTheTask_IsRefusedAndNothingChanges()
    {
        var (host, review) = await StartAsync(new() { ["zhang"] = [], ["sun"] = ["auditor"] });
        await using var _ = host;
        await host.Engine.ClaimTaskAsync(review.Id, "zhang");

        var refused = await Assert.ThrowsAsync<TaskRecipientNotAllowedException>(
            () => host.Engine.DelegateTaskAsync(review.Id, "outsider-bidder", null, "zhang").AsTask());

        Assert.Equal("recipient_not_allowed", refused.Code);
        Assert.Equal("zhang", (await host.Engine.GetTaskAsync(review.Id))!.Assignee);
    }

    [Fact]
    public async Task Delegate_ToCandidateOfTheScope_HandsTheTaskOver()
    {
        var (host, review) = await StartAsync(new() { ["zhang"] = [], ["sun"] = ["auditor"] });
        await using var _ = host;
        await host.Engine.ClaimTaskAsync(review.Id, "zhang");

        await host.Engine.DelegateTaskAsync(review.Id, "sun", "请代为审核", "zhang");

        Assert.Equal("sun", (await host.Engine.GetTaskAsync(review.Id))!.Assignee);
    }

    [Fact]
    public async Task Assign_ToUserWhoCouldNotReceiveTheTask_IsRefused()
    {
        var (host, review) = await StartAsync(new() { ["zhang"] = [] });
        await using var _ = host;

        await Assert.ThrowsAsync<TaskRecipientNotAllowedException>(() => host.Engine.AssignTaskAsync(review.Id, "outsider-x", "admin").AsTask());
        await host.Engine.AssignTaskAsync(review.Id, "zhang", "admin");

        Assert.Equal("zhang", (await host.Engine.GetTaskAsync(review.Id))!.Assignee);
    }

    [Fact]
    public async Task Delegate_WithoutScope_IsNotLimited()
    {
        await using var host = await EngineTestHost.ScenarioAsync("user-tasks.bpmn");
        var instance = await host.StartAsync("userTasks", new { projectCode = "GC2026-018", manager = "zhou" }, BusinessKey);
        var review = (await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id })).Single(t => t.ElementId == "review");

        await host.Engine.DelegateTaskAsync(review.Id, "anyone", null, "zhang");

        Assert.Equal("anyone", (await host.Engine.GetTaskAsync(review.Id))!.Assignee);
    }
}

using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

/// <summary>Rework loops (退回修改): tokens going round a cycle with a parallel fork and join inside.</summary>
public sealed class LoopTests
{
    private static async Task<(EngineTestHost Harness, Guid InstanceId)> RejectedOnceAsync()
    {
        var h = await EngineTestHost.ScenarioAsync("extra/reworkLoop.bpmn");
        var instance = await h.StartProcessAsync("reworkLoop", new { approved = false });
        await h.CompleteAsync(instance.Id, "edit");
        await h.CompleteAsync(instance.Id, "legal");
        await h.CompleteAsync(instance.Id, "finance");
        return (h, instance.Id);
    }

    [Fact]
    public async Task Rejected_TokenGoesBackToTheFirstTask()
    {
        var (h, id) = await RejectedOnceAsync();
        await using var harness = h;

        Assert.Equal(["edit"], await h.OpenTaskIdsAsync(id));
    }

    [Fact]
    public async Task SecondRound_JoinNeedsBothBranchesAgain()
    {
        var (h, id) = await RejectedOnceAsync();
        await using var harness = h;
        await h.CompleteAsync(id, "edit");

        await h.CompleteAsync(id, "legal", new { approved = true });

        Assert.Equal(["finance"], await h.OpenTaskIdsAsync(id));
    }

    [Fact]
    public async Task SecondRound_Approved_LeavesTheLoopOnce()
    {
        var (h, id) = await RejectedOnceAsync();
        await using var harness = h;
        await h.CompleteAsync(id, "edit", new { approved = true });

        await h.CompleteAsync(id, "legal");
        await h.CompleteAsync(id, "finance");

        Assert.Equal(["publish"], await h.OpenTaskIdsAsync(id));
    }

    [Fact]
    public async Task SecondRound_HistoryRecordsBothCompletionsOfTheFirstTask()
    {
        var (h, id) = await RejectedOnceAsync();
        await using var harness = h;
        await h.CompleteAsync(id, "edit");

        var completedEdits = (await h.CompletedActivitiesAsync(id)).Count(e => e == "edit");

        Assert.Equal(2, completedEdits);
    }
}

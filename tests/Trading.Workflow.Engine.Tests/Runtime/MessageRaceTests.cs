using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime;

/// <summary>
/// A message correlated while another command moves the instance: the subscription index is read before the instance,
/// so a commit in between (a re-check timer that leaves the instance waiting again, with new subscriptions) must not
/// lose the message. Found looking for why the land listing browser test failed in CI on 2026-12-04 (the sale closed
/// and its procedure had not recorded it 30 s later): with it, the procedure heard of the close only at the next
/// re-check, a minute later.
/// </summary>
public sealed class MessageRaceTests
{
    [Fact]
    public async Task Message_InstanceWaitsAgainAfterTheIndexRead_IsDeliveredToItsNewSubscription()
    {
        InterleavingStore store = null!;
        await using var h = await StartAsync(inner => store = new InterleavingStore(inner));
        var instance = await h.StartProcessAsync("recheck", businessKey: "LOT-1");
        var timer = Assert.Single(await h.Engine.GetTimersAsync(instance.Id));
        store.BetweenIndexAndLoad = () => h.Engine.FireTimerAsync(timer.Id).AsTask();

        var result = await h.Engine.CorrelateMessageAsync(new MessageCorrelation("closed") { BusinessKey = "LOT-1" });

        Assert.Equal(1, result.Delivered);
        Assert.True(store.Interleaved);
        Assert.Empty(await h.Engine.GetTimersAsync(instance.Id)); // the re-check's new timer went with the wait it left
        Assert.Equal(["done"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Message_InstanceNoLongerWaitsAfterTheIndexRead_IsNotDeliveredTwice()
    {
        InterleavingStore store = null!;
        await using var h = await StartAsync(inner => store = new InterleavingStore(inner));
        var instance = await h.StartProcessAsync("recheck", businessKey: "LOT-1");
        store.BetweenIndexAndLoad = () => h.Engine.CorrelateMessageAsync(new MessageCorrelation("closed") { BusinessKey = "LOT-1" }).AsTask();

        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => h.Engine.CorrelateMessageAsync(new MessageCorrelation("closed") { BusinessKey = "LOT-1" }).AsTask());

        Assert.True(store.Interleaved);
        Assert.Equal(["done"], await h.OpenTaskIdsAsync(instance.Id));
    }

    private static Task<EngineTestHost> StartAsync(Func<IWorkflowStore, IWorkflowStore> wrapStore) =>
        EngineTestHost.StartAsync(["recheck.bpmn"], wrapStore: wrapStore);
}

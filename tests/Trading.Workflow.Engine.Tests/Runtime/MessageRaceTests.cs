using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Runtime.Support;

namespace Trading.Workflow.Engine.Tests.Runtime;

/// <summary>
/// A message correlated while another command moves the instance: the subscription index is read before the instance,
/// so a commit in between (a re-check timer that leaves the instance waiting again, with new subscriptions) must not
/// lose the message. This is how a land sale's close went unnoticed for a minute in CI on 2026-12-04.
/// </summary>
public sealed class MessageRaceTests
{
    // Waits for "closed"; its re-check timer leads back to the same wait (the grant procedures' loop, without the read).
    private const string Recheck = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://trading.workflow/tests">
          <bpmn:message id="m" name="closed" />
          <bpmn:process id="recheck" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
            <bpmn:eventBasedGateway id="wait" />
            <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="closedMsg" />
            <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="check" />
            <bpmn:intermediateCatchEvent id="closedMsg"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
            <bpmn:intermediateCatchEvent id="check"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="f4" sourceRef="check" targetRef="wait" />
            <bpmn:sequenceFlow id="f5" sourceRef="closedMsg" targetRef="done" />
            <bpmn:userTask id="done" />
            <bpmn:sequenceFlow id="f6" sourceRef="done" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task Message_InstanceWaitsAgainAfterTheIndexRead_IsDeliveredToItsNewSubscription()
    {
        var store = new InterleavingStore();
        await using var provider = await BuildAsync(store);
        var engine = provider.GetRequiredService<IWorkflowEngine>();
        var instance = await engine.StartAsync("recheck", businessKey: "LOT-1");
        var timer = Assert.Single(await store.GetTimersAsync(instance.Id));
        store.BetweenIndexAndLoad = () => engine.FireTimerAsync(timer.Id).AsTask();

        var result = await engine.CorrelateMessageAsync(new MessageCorrelation("closed") { BusinessKey = "LOT-1" });

        Assert.Equal(1, result.Delivered);
        Assert.True(store.Interleaved);
        Assert.Empty(await store.GetTimersAsync(instance.Id)); // the re-check's new timer went with the wait it left
        var task = Assert.Single(await engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }));
        Assert.Equal("done", task.ElementId);
    }

    [Fact]
    public async Task Message_InstanceNoLongerWaitsAfterTheIndexRead_IsNotDeliveredTwice()
    {
        var store = new InterleavingStore();
        await using var provider = await BuildAsync(store);
        var engine = provider.GetRequiredService<IWorkflowEngine>();
        var instance = await engine.StartAsync("recheck", businessKey: "LOT-1");
        store.BetweenIndexAndLoad = () => engine.CorrelateMessageAsync(new MessageCorrelation("closed") { BusinessKey = "LOT-1" }).AsTask();

        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => engine.CorrelateMessageAsync(new MessageCorrelation("closed") { BusinessKey = "LOT-1" }).AsTask());

        Assert.True(store.Interleaved);
        var task = Assert.Single(await engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }));
        Assert.Equal("done", task.ElementId);
    }

    private static async Task<ServiceProvider> BuildAsync(InterleavingStore store)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IWorkflowStore>(store);
        services.AddWorkflowEngine();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IWorkflowEngine>().DeployAsync(BpmnParser.Parse(Recheck));
        return provider;
    }

    /// <summary>Runs another command once, after a session has read the message index and before it loads the instance.</summary>
    private sealed class InterleavingStore() : ForwardingStore(new InMemoryWorkflowStore())
    {
        public Func<Task>? BetweenIndexAndLoad { get; set; }

        public bool Interleaved { get; private set; }

        public override async ValueTask<IWorkflowSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
            new Session(this, await base.OpenSessionAsync(cancellationToken));

        private sealed class Session(InterleavingStore store, IWorkflowSession inner) : ForwardingSession(inner)
        {
            public override async ValueTask<IReadOnlyList<SubscriptionRecord>> FindSubscriptionsAsync(
                EventKind kind, string eventName, string? correlationKey, string? businessKey, CancellationToken cancellationToken = default)
            {
                var found = await base.FindSubscriptionsAsync(kind, eventName, correlationKey, businessKey, cancellationToken);
                if (store.BetweenIndexAndLoad is { } other)
                {
                    store.BetweenIndexAndLoad = null;
                    await Task.Run(other, cancellationToken);
                    store.Interleaved = true;
                }

                return found;
            }
        }
    }
}

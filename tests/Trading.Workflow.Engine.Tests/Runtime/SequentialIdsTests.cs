using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Tests.Runtime;

public sealed class SequentialIdsTests
{
    [Fact]
    public void Next_SameInstant_IdsIncreaseStrictly()
    {
        var now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

        var ids = Enumerable.Range(0, 5000).Select(_ => SequentialIds.Next(now)).ToList();

        Assert.True(ids.Zip(ids.Skip(1)).All(pair => pair.First.CompareTo(pair.Second) < 0));
        Assert.All(ids, id => Assert.Equal(7, id.Version));
    }

    [Fact]
    public async Task TasksCreatedInOneCommand_ListInCreationOrder()
    {
        await using var host = await EngineTestHost.StartAsync(["benchmark.bpmn"], b => b.AddHandler(new RecordingHandler()));

        var instance = await host.StartAsync("benchmark", new { input = 75 });

        Assert.Equal(["taskA", "taskB"], (await host.OpenTasksAsync(instance.Id)).Select(t => t.ElementId));
    }
}

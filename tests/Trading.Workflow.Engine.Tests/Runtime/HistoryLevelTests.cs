using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Tests.Runtime;

public sealed class HistoryLevelTests
{
    private static Task<EngineTestHost> HostAsync(HistoryLevel level) =>
        EngineTestHost.StartAsync(["benchmark.bpmn"], b => b.AddHandler(new RecordingHandler()), options: o => o.HistoryLevel = level);

    [Fact]
    public async Task HistoryLevelNone_RecordsNothing()
    {
        await using var host = await HostAsync(HistoryLevel.None);

        var instance = await host.StartAsync("benchmark", new { input = 75 });

        Assert.Empty(await host.Engine.GetHistoryAsync(instance.Id));
    }

    [Fact]
    public async Task HistoryLevelActivity_RecordsActivitiesButNoVariables()
    {
        await using var host = await HostAsync(HistoryLevel.Activity);

        var instance = await host.StartAsync("benchmark", new { input = 75 });

        var history = await host.Engine.GetHistoryAsync(instance.Id);
        Assert.Equal((true, false), (history.Any(e => e.Type == HistoryEventType.ActivityStarted), history.Any(e => e.Type == HistoryEventType.VariableCreated)));
    }

    [Fact]
    public async Task HistoryLevelFull_IsTheDefaultAndRecordsVariables()
    {
        await using var host = await EngineTestHost.StartAsync(["benchmark.bpmn"], b => b.AddHandler(new RecordingHandler()));

        var instance = await host.StartAsync("benchmark", new { input = 75 });

        Assert.Contains(await host.Engine.GetHistoryAsync(instance.Id), e => e.Type == HistoryEventType.VariableCreated);
    }
}

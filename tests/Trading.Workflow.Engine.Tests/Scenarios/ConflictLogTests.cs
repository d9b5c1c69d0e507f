using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Tests.Runtime;

namespace Trading.Workflow.Engine.Tests.Scenarios;

/// <summary>
/// A command that loses to a concurrent change (two nodes firing one instance's timers, two users on one task) is an
/// expected outcome: logged as information without a stack trace, where any other failure stays a warning with it.
/// The 10,000-timer bench on two nodes printed eight such warnings, each with a full stack, per burst.
/// </summary>
public sealed class ConflictLogTests
{
    [Fact]
    public async Task Conflict_IsInformationWithoutStack_AnotherFailureStaysAWarning()
    {
        var log = new CapturingLoggerProvider();
        InterleavingStore store = null!;
        await using var h = await EngineTestHost.StartAsync(["recheck.bpmn"], b => b.Services.AddLogging(l => l.AddProvider(log)), wrapStore: inner => store = new InterleavingStore(inner));
        var instance = await h.StartProcessAsync("recheck", businessKey: "K");
        var timer = Assert.Single(await h.Engine.GetTimersAsync(instance.Id));

        // The timer's command loads the instance; the message moves it on before the timer's commit.
        store.AfterLoad = () => h.Engine.CorrelateMessageAsync(new MessageCorrelation("closed") { BusinessKey = "K" }).AsTask();
        await Assert.ThrowsAsync<WorkflowConflictException>(() => h.Engine.FireTimerAsync(timer.Id).AsTask());

        Assert.True(store.Interleaved);
        var conflict = Assert.Single(log.Entries, e => e.EventId.Id == 1009);
        Assert.Equal(LogLevel.Information, conflict.Level);
        Assert.Null(conflict.Exception);
        Assert.Contains(instance.Id.ToString(), conflict.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Warning);

        // Positive control: a failure that is not a conflict is still a warning with its exception.
        var broken = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Runtime", "Bpmn", "recheck.bpmn"));
        await h.Engine.DeployAsync(BpmnParser.Parse(broken.Replace("PT1M", "${undefinedVariable}", StringComparison.Ordinal)));
        await Assert.ThrowsAnyAsync<WorkflowException>(() => h.StartProcessAsync("recheck"));
        var failed = Assert.Single(log.Entries, e => e.EventId.Id == 1002);
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.NotNull(failed.Exception);
    }
}

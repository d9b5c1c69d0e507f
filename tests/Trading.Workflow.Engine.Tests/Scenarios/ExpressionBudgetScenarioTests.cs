using System.Diagnostics;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

/// <summary>Issue 16 §5: the 5 KB model whose task name nests <c>replace</c> three deep (the probe took a server to 10.4 GB).</summary>
public sealed class ExpressionBudgetScenarioTests
{
    [Fact]
    public void Render_TaskNameNestingReplaceThreeDeep_FailsOnTheMemoryBudget()
    {
        var name = System.Xml.Linq.XDocument.Load(Path.Combine(AppContext.BaseDirectory, "Scenarios", "Files", "replace-bomb.bpmn"))
            .Descendants().Single(e => e.Name.LocalName == "userTask").Attribute("name")!.Value;

        var error = Assert.Throws<ExpressionException>(() => new ExpressionEngineEvaluator(ExpressionEngine.Default, EvaluationContext.Default)
            .Render(name, new DictionaryVariableScope(new Dictionary<string, object?>())));

        Assert.Equal(ExpressionErrorCode.MemoryBudgetExceeded, error.Code);
    }

    [Fact]
    public async Task Start_TaskNameNestingReplaceThreeDeep_KeepsTheRawNameWithoutBuildingTheText()
    {
        await using var h = await EngineTestHost.ScenarioAsync("replace-bomb.bpmn");
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();

        var instance = await h.StartAsync("replaceBomb");
        var review = await h.SingleTaskAsync(instance.Id, "review");

        // Text shown to people never stops a procedure: the name that cannot be rendered stays as written.
        Assert.StartsWith("审核 ${'aaa", review.Name, StringComparison.Ordinal);
        // The second level (1,000,000 characters, 2 MB) is the largest string made; the third (a billion) is refused before it is built.
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore < 64L * 1024 * 1024, "more than 64 MB allocated");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }
}

using Trading.Workflow.Web.Designer;

namespace Trading.Workflow.Web.Tests.Designer;

/// <summary>
/// Issue 16 §5: the designer does not re-parse a model on every click when nothing changed (with a large model each
/// check of the same diagram cost seconds of server CPU).
/// </summary>
public sealed class DesignerCheckCacheTests
{
    private static readonly string Diagram = Bpmn.Process(Bpmn.ReviewBody, processId: "tender");

    [Fact]
    public void Check_SameDiagramAgain_IsNotParsedAgain()
    {
        var cache = new DesignerCheckCache(new DesignerValidation());

        var first = cache.Check(Diagram, "tender");
        var second = cache.Check(new string(Diagram.AsSpan()), "tender");

        Assert.Same(first, second);
        Assert.Equal(1, cache.Parses);
    }

    [Fact]
    public void Check_ChangedDiagram_IsParsedAgain()
    {
        var cache = new DesignerCheckCache(new DesignerValidation());
        cache.Check(Diagram, "tender");

        var changed = cache.Check(Diagram.Replace("Review", "Check", StringComparison.Ordinal), "tender");

        Assert.Equal(2, cache.Parses);
        Assert.False(changed.Check.HasErrors);
    }

    [Fact]
    public void Check_FindsTheDryRunVariablesOnceWithTheCheck()
    {
        var cache = new DesignerCheckCache(new DesignerValidation());
        var xml = Bpmn.Process(Bpmn.ReviewBody.Replace("name=\"Review\"", "name=\"Review ${projectCode}\"", StringComparison.Ordinal), processId: "tender");

        var result = cache.Check(xml, "tender");

        Assert.Contains(result.Variables, v => v.Name == "projectCode");
        Assert.Same(result, cache.Check(xml, "tender"));
    }

    [Fact]
    public void Check_UnreadableDiagram_HasNoVariables()
    {
        var cache = new DesignerCheckCache(new DesignerValidation());

        var result = cache.Check("<definitions>", "tender");

        Assert.False(result.Check.Readable);
        Assert.Empty(result.Variables);
    }
}

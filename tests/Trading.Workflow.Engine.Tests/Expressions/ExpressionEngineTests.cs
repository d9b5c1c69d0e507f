using Trading.Workflow.Engine.Expressions;
using static Trading.Workflow.Engine.Tests.Expressions.ExpressionTestSupport;

namespace Trading.Workflow.Engine.Tests.Expressions;

public class ExpressionEngineTests
{
    [Theory]
    [InlineData("${amount > 1000}", ExpressionSyntax.Juel)]
    [InlineData("#{amount > 1000}", ExpressionSyntax.Juel)]
    [InlineData("\n  ${amount > 1000}\n", ExpressionSyntax.Juel)]
    [InlineData("${a} ${b}", ExpressionSyntax.Template)]
    [InlineData("审核 ${projectCode} 招标公告", ExpressionSyntax.Template)]
    [InlineData("amount > 1000", ExpressionSyntax.Feel)]
    [InlineData("=amount > 1000", ExpressionSyntax.Feel)]
    [InlineData("= \"${not juel}\"", ExpressionSyntax.Feel)]
    public void DetectSyntax_ClassifiesText(string text, ExpressionSyntax expected)
    {
        Assert.Equal(expected, ExpressionEngine.DetectSyntax(text));
        Assert.Equal(expected, new ExpressionEngine().Compile(text).Syntax);
    }

    [Fact]
    public void Compile_SameText_ReturnsCachedInstance()
    {
        var engine = new ExpressionEngine();

        var first = engine.Compile("${amount > 1000}");
        var second = engine.Compile("${amount > 1000}");

        Assert.Same(first, second);
    }

    [Fact]
    public void Compiled_EvaluatesAgainstDifferentScopes()
    {
        var compiled = new ExpressionEngine().Compile("${amount > 1000}");

        var high = compiled.EvaluateCondition(new DictionaryVariableScope(new Dictionary<string, object?> { ["amount"] = 2000m }), Context);
        var low = compiled.EvaluateCondition(new DictionaryVariableScope(new Dictionary<string, object?> { ["amount"] = 10m }), Context);

        Assert.True(high);
        Assert.False(low);
    }

    [Fact]
    public void Compiled_ListsVariableNames()
    {
        var compiled = new ExpressionEngine().Compile("${amount > limit && applicant.name != ''}");

        Assert.Equal(["amount", "applicant", "limit"], compiled.VariableNames.Order());
    }

    [Fact]
    public void Compiled_LoopVariablesAreNotScopeVariables()
    {
        var compiled = new ExpressionEngine().Compile("for x in items return x + offset");

        Assert.Equal(["items", "offset"], compiled.VariableNames.Order());
    }

    [Fact]
    public void Evaluate_NormalizesClrValuesFromTheScope()
    {
        var scope = new DictionaryVariableScope(new Dictionary<string, object?> { ["count"] = 3, ["ratio"] = 0.5 });

        var result = new ExpressionEngine().Evaluate("count * ratio", scope, Context);

        Assert.Equal(1.5m, result);
    }

    [Fact]
    public void Evaluate_IsThreadSafe()
    {
        var compiled = new ExpressionEngine().Compile("for x in items return x * factor");
        var failures = 0;

        Parallel.For(0, 200, i =>
        {
            var scope = new DictionaryVariableScope(new Dictionary<string, object?> { ["items"] = new List<object?> { 1m, 2m }, ["factor"] = (decimal)i });
            var result = (IReadOnlyList<object?>)compiled.Evaluate(scope, Context)!;
            if ((decimal)result[1]! != 2m * i)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void Evaluate_AfterFailureInsideLoop_LeavesNoLoopVariableBehind()
    {
        var engine = new ExpressionEngine();
        Assert.Throws<ExpressionException>(() => engine.Evaluate("for x in [1] return missing", DictionaryVariableScope.Empty, Context));

        var defined = engine.Evaluate("is defined(x)", DictionaryVariableScope.Empty, Context);

        Assert.Equal(false, defined);
    }

    [Fact]
    public void Evaluate_SelfReferencingListFromScope_FailsCleanly()
    {
        var list = new List<object?>();
        list.Add(list);
        var scope = new DictionaryVariableScope(new Dictionary<string, object?> { ["loop"] = list });

        var error = Assert.Throws<ExpressionException>(() => new ExpressionEngine().Evaluate("loop.name", scope, Context));

        Assert.Equal(ExpressionErrorCode.TypeMismatch, error.Code);
    }

    [Fact]
    public void Options_WithNonPositiveLimits_AreRejected() =>
        Assert.Throws<ArgumentException>(() => new ExpressionEngine(new ExpressionOptions { MaxSteps = 0 }));
}

public class CompileValueTests
{
    [Theory]
    [InlineData("P5D", ExpressionSyntax.Literal, "string:P5D")]
    [InlineData(" demo ", ExpressionSyntax.Literal, "string:demo")]
    [InlineData("2026-01-01T10:00:00+08:00", ExpressionSyntax.Literal, "string:2026-01-01T10:00:00+08:00")]
    [InlineData("${name}", ExpressionSyntax.Juel, "string:Alice")]
    [InlineData("reviewer-${loopCounter}", ExpressionSyntax.Template, "string:reviewer-2")]
    [InlineData("=duration(\"P5D\")", ExpressionSyntax.Feel, "duration:P5D")]
    public void CompileValue_ReadsAttributeValuesLikeCamunda(string text, ExpressionSyntax syntax, string expected)
    {
        var compiled = new ExpressionEngine().CompileValue(text);

        Assert.Equal(syntax, compiled.Syntax);
        Assert.Equal(expected, Show(compiled.Evaluate(new DictionaryVariableScope(Variables()), Context)));
    }
}

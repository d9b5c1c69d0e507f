using Trading.Workflow.Engine.Expressions;
using static Trading.Workflow.Engine.Tests.Expressions.ExpressionTestSupport;

namespace Trading.Workflow.Engine.Tests.Expressions;

/// <summary>
/// Issue 16 §5: an expression has a memory budget as well as a step budget. A model whose task name nested
/// <c>replace</c> three deep took a server to 10.4 GB; the text each evaluation creates is now counted before it is made.
/// </summary>
public sealed class ExpressionMemoryBudgetTests
{
    // 100 characters, each replaced by 30 on every level: 3,000, 90,000, then 2,700,000 characters.
    private static readonly string Seed = new('a', 100);
    private static readonly string Thirty = new('a', 30);

    [Fact]
    public void FeelReplace_NestedThreeDeep_ExceedsTheMemoryBudget()
    {
        var text = $"replace(replace(replace(\"{Seed}\", \"a\", \"{Thirty}\"), \"a\", \"{Thirty}\"), \"a\", \"{Thirty}\")";

        var error = EvalError(text);

        Assert.Equal(ExpressionErrorCode.MemoryBudgetExceeded, error.Code);
        Assert.Contains("内存", error.MessageZh, StringComparison.Ordinal);
        Assert.Contains("memory budget", error.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void JuelReplaceInATaskName_NestedThreeDeep_ExceedsTheMemoryBudget()
    {
        var template = $"审核 ${{'{Seed}'.replace('a', '{Thirty}').replace('a', '{Thirty}').replace('a', '{Thirty}')}}";

        var error = Assert.Throws<ExpressionException>(() =>
            new ExpressionEngine().CompileTemplate(template).Render(new DictionaryVariableScope(Variables()), Context));

        Assert.Equal(ExpressionErrorCode.MemoryBudgetExceeded, error.Code);
    }

    [Fact]
    public void JuelReplaceFunction_NestedThreeDeep_ExceedsTheMemoryBudget()
    {
        var text = $"${{replace(replace(replace('{Seed}', 'a', '{Thirty}'), 'a', '{Thirty}'), 'a', '{Thirty}')}}";

        Assert.Equal(ExpressionErrorCode.MemoryBudgetExceeded, EvalError(text).Code);
    }

    [Fact]
    public void StringJoin_OfManyCopies_ExceedsTheMemoryBudget()
    {
        // Within the 100,000 steps, but 40,000 copies of 60 characters are 2,400,000 characters.
        var error = EvalError($"string join(for i in 1..40000 return \"{Thirty}{Thirty}\")");

        Assert.Equal(ExpressionErrorCode.MemoryBudgetExceeded, error.Code);
    }

    [Fact]
    public void Concatenation_InALoop_CountsEveryCopy()
    {
        var options = new ExpressionOptions { MemoryBudget = 10_000 };

        var error = Assert.Throws<ExpressionException>(() =>
            new ExpressionEngine(options).Compile($"for i in 1..1000 return \"{Thirty}\" + string(i)")
                .Evaluate(new DictionaryVariableScope(Variables()), Context));

        Assert.Equal(ExpressionErrorCode.MemoryBudgetExceeded, error.Code);
    }

    [Fact]
    public void Replace_WithinTheBudget_StillWorks()
    {
        Assert.Equal("string:" + new string('b', 3000), EvalShow($"replace(\"{Seed}\", \"a\", \"{new string('b', 30)}\")"));
        Assert.Equal("string:xbx", EvalShow("${'xax'.replace('a', 'b')}"));
    }

    [Fact]
    public void MemoryBudget_MustBePositive()
    {
        Assert.Throws<ArgumentException>(() => new ExpressionEngine(new ExpressionOptions { MemoryBudget = 0 }));
    }
}

using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Engine.Tests.Validation;

public sealed class EngineValidationTests
{
    [Fact]
    public void CreateContext_ExpressionCheck_AcceptsAValidExpression()
    {
        var context = EngineValidation.CreateContext();

        Assert.Null(context.ExpressionSyntaxCheck!("${amount > 100}"));
    }

    [Fact]
    public void CreateContext_ExpressionCheck_RefusesABrokenExpression()
    {
        var context = EngineValidation.CreateContext();

        Assert.NotNull(context.ExpressionSyntaxCheck!("${amount > }"));
    }

    [Fact]
    public void CreateContext_TimerCheck_AcceptsADuration()
    {
        var context = EngineValidation.CreateContext();

        Assert.Null(context.TimerSyntaxCheck!("PT1H"));
    }

    [Fact]
    public void CreateContext_TimerCheck_RefusesGarbage()
    {
        var context = EngineValidation.CreateContext();

        Assert.NotNull(context.TimerSyntaxCheck!("every so often"));
    }

    [Fact]
    public void CreateContext_PassesHandlersAndProcessIdsThrough()
    {
        var handlers = new HashSet<string>(["notify"]);
        var processes = new HashSet<string>(["child"]);

        var context = EngineValidation.CreateContext(handlers, processes);

        Assert.Same(handlers, context.KnownHandlers);
        Assert.Same(processes, context.KnownProcessIds);
    }
}

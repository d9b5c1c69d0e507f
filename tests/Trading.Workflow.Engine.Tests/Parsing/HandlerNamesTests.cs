using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Engine.Tests.Parsing;

public sealed class HandlerNamesTests
{
    [Theory]
    [InlineData("com.example.trading.RegisterSupplierDelegate", "RegisterSupplierDelegate")]
    [InlineData("com.example.Outer$InnerDelegate", "InnerDelegate")]
    [InlineData("PlainDelegate", "PlainDelegate")]
    [InlineData("  com.example.Spaced  ", "Spaced")]
    public void FromClass_QualifiedJavaName_GivesSimpleClassName(string className, string expected)
    {
        Assert.Equal(expected, HandlerNames.FromClass(className));
    }

    [Theory]
    [InlineData("${fooService}", "fooService")]
    [InlineData("#{fooService}", "fooService")]
    [InlineData("${ beans.foo }", "beans.foo")]
    public void FromDelegateExpression_BeanReference_GivesBeanPath(string expression, string expected)
    {
        Assert.Equal(expected, HandlerNames.FromDelegateExpression(expression));
    }

    [Theory]
    [InlineData("${svc.run(execution)}", "svc.run")]
    [InlineData("${calculator.add(a, b)}", "calculator.add")]
    [InlineData("${svc.run}", "svc.run")]
    [InlineData("#{mailer.send()}", "mailer.send")]
    public void FromExpression_MethodCall_GivesMethodPath(string expression, string expected)
    {
        Assert.Equal(expected, HandlerNames.FromExpression(expression));
    }

    [Theory]
    [InlineData("${a + b}")]
    [InlineData("${x > 1 ? a.run() : b.run()}")]
    [InlineData("")]
    [InlineData(null)]
    public void FromExpression_NotAMethodPath_GivesNull(string? expression)
    {
        Assert.Null(HandlerNames.FromExpression(expression));
    }
}

using Trading.Workflow.Engine.Expressions;
using static Trading.Workflow.Engine.Tests.Expressions.ExpressionTestSupport;

namespace Trading.Workflow.Engine.Tests.Expressions;

/// <summary>Task names and documentation with embedded expressions, as Camunda and Flowable render them.</summary>
public class TemplateTests
{
    private static string Render(string text) =>
        new ExpressionEngine().CompileTemplate(text).Render(new DictionaryVariableScope(Variables()), Context);

    [Theory]
    [InlineData("审核 ${projectCode} 招标公告", "审核 ZB-2026-001 招标公告")]
    [InlineData("My Task ${loopCounter}", "My Task 2")]
    [InlineData("Price ${price}", "Price 1.5")]
    [InlineData("${amount * 2} yuan", "3000 yuan")]
    [InlineData("Due ${start}", "Due 2026-01-05")]
    [InlineData("At ${deadline}", "At 2026-01-05T09:30:00+08:00")]
    [InlineData("Period ${period}", "Period P5D")]
    [InlineData("Ok: ${approved}, none: [${nothing}]", "Ok: true, none: []")]
    [InlineData("#{name} and ${applicant.name}", "Alice and 张三")]
    [InlineData("Brace ${'}'} kept", "Brace } kept")]
    [InlineData("Cost \\${amount}", "Cost ${amount}")]
    [InlineData("招标公告", "招标公告")]
    [InlineData("", "")]
    public void Render_FormatsEmbeddedValuesInvariantly(string text, string expected) => Assert.Equal(expected, Render(text));

    [Fact]
    public void Compile_TextWithEmbeddedExpression_RendersAsTemplate()
    {
        var compiled = new ExpressionEngine().Compile("审核 ${projectCode} 招标公告");

        var value = compiled.Evaluate(new DictionaryVariableScope(Variables()), Context);

        Assert.Equal("审核 ZB-2026-001 招标公告", value);
    }

    [Fact]
    public void Render_UnknownVariable_IsAnError()
    {
        var error = Assert.Throws<ExpressionException>(() => Render("Task ${missing}"));

        Assert.Equal(ExpressionErrorCode.UnknownVariable, error.Code);
        Assert.Equal(7, error.Position);
    }

    [Fact]
    public void Render_NonTemplateValue_FormatsIt()
    {
        var text = new ExpressionEngine().Compile("decimal(10 / 4, 2)").Render(DictionaryVariableScope.Empty, Context);

        Assert.Equal("2.5", text);
    }
}

using Trading.Workflow.Engine.Expressions;
using static Trading.Workflow.Engine.Tests.Expressions.ExpressionTestSupport;

namespace Trading.Workflow.Engine.Tests.Expressions;

/// <summary>Every failure is one <see cref="ExpressionException"/> with a code, a position and messages in Chinese and English.</summary>
public class ExpressionErrorTests
{
    [Theory]
    [InlineData("missingVar > 1")]
    [InlineData("${missingVar > 1}")]
    [InlineData("${empty missingVar}")]
    [InlineData("amount + missingVar")]
    public void UnknownVariable_IsAnErrorNamingTheVariable(string text)
    {
        var error = EvalError(text);

        Assert.Equal(ExpressionErrorCode.UnknownVariable, error.Code);
        Assert.Equal("missingVar", error.VariableName);
        Assert.Contains("missingVar", error.MessageZh);
        Assert.Contains("不存在", error.MessageZh);
        Assert.Contains("does not exist", error.MessageEn);
    }

    [Fact]
    public void UnknownVariable_ReportsItsPosition()
    {
        var error = EvalError("${amount > limit}");

        Assert.Equal(11, error.Position);
        Assert.Equal("${amount > limit}", error.Expression);
    }

    [Theory]
    [InlineData("\"3\" + true")]
    [InlineData("${'3' + true}")]
    [InlineData("\"3\" + 1")]
    [InlineData("amount > \"1000\"")]
    [InlineData("${amount > '1000'}")]
    [InlineData("date(\"2026-01-01\") + 1")]
    [InlineData("approved < rejected")]
    [InlineData("-\"a\"")]
    [InlineData("amount and true")]
    [InlineData("${amount || true}")]
    [InlineData("duration(\"P1M\") < duration(\"P30D\")")]
    [InlineData("name.year")]
    [InlineData("${name.foo}")]
    [InlineData("upper case(5)")]
    [InlineData("items[1.5]")]
    public void TypeMismatch_IsAClearError(string text)
    {
        var error = EvalError(text);

        Assert.Equal(ExpressionErrorCode.TypeMismatch, error.Code);
        Assert.False(string.IsNullOrEmpty(error.MessageZh));
        Assert.False(string.IsNullOrEmpty(error.MessageEn));
    }

    [Fact]
    public void TypeMismatch_NamesBothTypesInBothLanguages()
    {
        var error = EvalError("\"3\" + true");

        Assert.Contains("string", error.MessageEn);
        Assert.Contains("boolean", error.MessageEn);
        Assert.Contains("字符串", error.MessageZh);
        Assert.Contains("布尔", error.MessageZh);
        Assert.Equal(4, error.Position);
    }

    [Theory]
    [InlineData("1 / 0")]
    [InlineData("${1 / 0}")]
    [InlineData("5 % 0")]
    [InlineData("modulo(5, 0)")]
    public void DivisionByZero_IsAnError(string text) => Assert.Equal(ExpressionErrorCode.DivisionByZero, EvalError(text).Code);

    [Fact]
    public void Overflow_IsAnError() => Assert.Equal(ExpressionErrorCode.Overflow, EvalError("79228162514264337593543950335 * 2").Code);

    [Theory]
    [InlineData("1 +", 3)]
    [InlineData("(1 + 2", 6)]
    [InlineData("amount >", 8)]
    [InlineData("[1, 2", 5)]
    [InlineData("\"open", 0)]
    [InlineData("1 + # 2", 4)]
    [InlineData("${amount >}", 10)]
    [InlineData("${amount ==}", 11)]
    [InlineData("${a ? b}", 7)]
    [InlineData("Title ${amount", 6)]
    [InlineData("if true then 1", 14)]
    [InlineData("1 2", 2)]
    public void ParseError_ReportsPosition(string text, int position)
    {
        var error = CompileError(text);

        Assert.Equal(ExpressionErrorCode.Syntax, error.Code);
        Assert.Equal(position, error.Position);
        Assert.Contains($"第 {position + 1} 个字符", error.MessageZh);
        Assert.Contains($"character {position + 1}", error.MessageEn);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("${}")]
    [InlineData("=")]
    public void EmptyExpression_IsASyntaxError(string text) => Assert.Equal(ExpressionErrorCode.Syntax, CompileError(text).Code);

    [Fact]
    public void TryCompile_ReturnsErrorInsteadOfThrowing()
    {
        var ok = new ExpressionEngine().TryCompile("${amount >}", out var expression, out var error);

        Assert.False(ok);
        Assert.Null(expression);
        Assert.Equal(ExpressionErrorCode.Syntax, error!.Code);
        Assert.Equal(10, error.Position);
    }

    [Theory]
    [InlineData("unknownFn(1)", "unknownFn")]
    [InlineData("${unknownFn(1)}", "unknownFn")]
    [InlineData("${name.getClass()}", "getClass")]
    [InlineData("${name.getClass().forName('System.IO.File')}", "getClass")]
    [InlineData("amount.toString()", "toString")]
    [InlineData("${system:exit(0)}", "system:exit")]
    public void UnknownFunctionOrMethod_IsRejectedAtCompileTime(string text, string name)
    {
        var error = CompileError(text);

        Assert.Equal(ExpressionErrorCode.UnknownFunction, error.Code);
        Assert.Contains(name, error.MessageEn);
    }

    [Theory]
    [InlineData("substring(\"a\")")]
    [InlineData("now(1)")]
    [InlineData("${startsWith('a')}")]
    public void WrongArgumentCount_IsRejectedAtCompileTime(string text) =>
        Assert.Equal(ExpressionErrorCode.WrongArgumentCount, CompileError(text).Code);

    [Fact]
    public void MethodOnWrongType_IsAnError() =>
        Assert.Equal(ExpressionErrorCode.UnknownFunction, EvalError("${amount.startsWith('1')}").Code);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NestingBeyondLimit_IsRejected(bool juel)
    {
        var inner = new string('(', 40) + "1" + new string(')', 40);
        var text = juel ? "${" + inner + "}" : inner;

        var error = CompileError(text, new ExpressionOptions { MaxDepth = 30 });

        Assert.Equal(ExpressionErrorCode.NestingTooDeep, error.Code);
    }

    [Fact]
    public void NestingWithinLimit_Compiles()
    {
        var text = new string('(', 20) + "1" + new string(')', 20);

        var compiled = new ExpressionEngine(new ExpressionOptions { MaxDepth = 30 }).Compile(text);

        Assert.Equal(1m, compiled.Evaluate(DictionaryVariableScope.Empty, Context));
    }

    [Fact]
    public void TooLongText_IsRejected() =>
        Assert.Equal(ExpressionErrorCode.TooLong, CompileError("1 + 1", new ExpressionOptions { MaxLength = 3 }).Code);

    [Fact]
    public void StepBudget_StopsRunawayEvaluation()
    {
        var engine = new ExpressionEngine(new ExpressionOptions { MaxSteps = 1_000 });
        var compiled = engine.Compile("for x in 1..100000 return x");

        var error = Assert.Throws<ExpressionException>(() => compiled.Evaluate(DictionaryVariableScope.Empty, Context));

        Assert.Equal(ExpressionErrorCode.StepBudgetExceeded, error.Code);
    }

    [Fact]
    public void Timeout_StopsLongEvaluation()
    {
        var engine = new ExpressionEngine(new ExpressionOptions { Timeout = TimeSpan.FromTicks(1), MaxSteps = int.MaxValue });
        var compiled = engine.Compile("for x in 1..100000 return x * 2");

        var error = Assert.Throws<ExpressionException>(() => compiled.Evaluate(DictionaryVariableScope.Empty, Context));

        Assert.Equal(ExpressionErrorCode.Timeout, error.Code);
    }

    [Fact]
    public void ChainedOperatorsBeyondDepth_AreRejected()
    {
        var text = string.Join(" + ", Enumerable.Repeat("1", 50));

        var error = CompileError(text, new ExpressionOptions { MaxDepth = 30 });

        Assert.Equal(ExpressionErrorCode.NestingTooDeep, error.Code);
    }

    [Fact]
    public void RegexTimeout_StopsCatastrophicBacktracking()
    {
        var engine = new ExpressionEngine(new ExpressionOptions { RegexTimeout = TimeSpan.FromMilliseconds(20) });
        var compiled = engine.Compile("matches(\"" + new string('a', 40) + "!\", \"^(a+)+$\")");

        var error = Assert.Throws<ExpressionException>(() => compiled.Evaluate(DictionaryVariableScope.Empty, Context));

        Assert.Equal(ExpressionErrorCode.Timeout, error.Code);
    }

    [Fact]
    public void InvalidRegex_IsAnInvalidArgument() =>
        Assert.Equal(ExpressionErrorCode.InvalidArgument, EvalError("matches(\"a\", \"(\")").Code);

    [Fact]
    public void WorkingDays_WithoutCalendar_IsAClearError()
    {
        var error = EvalError("add working days(start, 3)", ContextWithoutCalendar);

        Assert.Equal(ExpressionErrorCode.NoCalendar, error.Code);
        Assert.Contains("工作日历", error.MessageZh);
        Assert.Contains("calendar", error.MessageEn);
    }

    [Fact]
    public void WorkingDays_InYearWithoutData_ReportsCalendarDataMissing()
    {
        var error = EvalError("${addWorkingDays(date('2030-05-06'), 1)}");

        Assert.Equal(ExpressionErrorCode.CalendarDataMissing, error.Code);
        Assert.Contains("2030", error.MessageEn);
    }

    [Theory]
    [InlineData("date(\"2026-13-01\")")]
    [InlineData("duration(\"5 days\")")]
    [InlineData("number(\"abc\")")]
    [InlineData("substring(\"abc\", 0)")]
    public void InvalidArgument_IsAnError(string text) => Assert.Equal(ExpressionErrorCode.InvalidArgument, EvalError(text).Code);

    [Fact]
    public void DurationsOfOppositeSignParts_CannotBeAdded() =>
        Assert.Equal(ExpressionErrorCode.InvalidArgument, EvalError("duration(\"P1M\") - duration(\"P1D\")").Code);

    [Theory]
    [InlineData("amount")]
    [InlineData("${nothing}")]
    [InlineData("nothing < 5")]
    public void Condition_ThatIsNotBoolean_IsAnError(string text)
    {
        var compiled = new ExpressionEngine().Compile(text);

        var error = Assert.Throws<ExpressionException>(() => compiled.EvaluateCondition(new DictionaryVariableScope(Variables()), Context));

        Assert.Equal(ExpressionErrorCode.NotBoolean, error.Code);
    }

    [Fact]
    public void ExceptionMessage_HoldsBothLanguages()
    {
        var error = EvalError("missingVar");

        Assert.Contains(error.MessageZh, error.Message);
        Assert.Contains(error.MessageEn, error.Message);
    }
}

namespace Trading.Workflow.Engine.Expressions;

public enum ExpressionErrorCode
{
    Syntax,
    TooLong,
    NestingTooDeep,
    UnknownVariable,
    UnknownFunction,
    WrongArgumentCount,
    TypeMismatch,
    InvalidArgument,
    DivisionByZero,
    Overflow,
    NotBoolean,
    StepBudgetExceeded,
    MemoryBudgetExceeded,
    Timeout,
    NoCalendar,
    CalendarDataMissing,
}

/// <summary>
/// Every failure of parsing or evaluating an expression. <see cref="Position"/> is the 0-based character
/// offset in the expression text (-1 when no place applies); the messages say it 1-based.
/// </summary>
public sealed class ExpressionException : Exception
{
    public ExpressionException(ExpressionErrorCode code, string messageZh, string messageEn, int position = -1, string? variableName = null, Exception? inner = null)
        : base($"{messageZh} / {messageEn}", inner)
    {
        Code = code;
        MessageZh = messageZh;
        MessageEn = messageEn;
        Position = position;
        VariableName = variableName;
    }

    public ExpressionErrorCode Code { get; }

    public string MessageZh { get; }

    public string MessageEn { get; }

    public int Position { get; }

    /// <summary>The variable an <see cref="ExpressionErrorCode.UnknownVariable"/> error is about.</summary>
    public string? VariableName { get; }

    /// <summary>The expression text, set by the engine when the error leaves it.</summary>
    public string? Expression { get; private set; }

    internal ExpressionException WithExpression(string text)
    {
        Expression ??= text;
        return this;
    }

    internal static ExpressionException At(ExpressionErrorCode code, int position, string zh, string en) =>
        position >= 0
            ? new(code, $"第 {position + 1} 个字符处：{zh}", $"At character {position + 1}: {en}", position)
            : new(code, zh, en, position);
}

namespace Trading.Workflow.Engine.Timers;

public enum TimerParseErrorCode
{
    Empty,
    Expression,
    InvalidDate,
    InvalidDuration,
    NegativeDuration,
    ZeroCycleDuration,
    InvalidRepetitions,
    InvalidCycle,
    StartAndEndNotSupported,
    EndOfDayNotAllowed,
    InvalidCron,
    KindMismatch,
}

/// <summary>Why a timer definition did not parse, in Chinese and English, naming the offending part.</summary>
public sealed record TimerParseError(TimerParseErrorCode Code, string MessageZh, string MessageEn)
{
    public override string ToString() => $"{MessageZh} / {MessageEn}";
}

/// <summary>Thrown by <see cref="TimerDefinition.Parse(string)"/>; <see cref="Error"/> carries both languages.</summary>
public sealed class TimerFormatException(TimerParseError error) : FormatException(error.ToString())
{
    public TimerParseError Error { get; } = error;
}

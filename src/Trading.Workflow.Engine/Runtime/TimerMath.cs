using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Timers;
using Trading.Workflow.Engine.Values;
using ModelTimerKind = Trading.Workflow.Engine.Model.TimerKind;

namespace Trading.Workflow.Engine.Runtime;

internal readonly record struct TimerSchedule(DateTimeOffset Due, string Definition, int RepeatsLeft);

/// <summary>
/// Due times of timer definitions (see Timers/README.md: ISO 8601 dates, durations, cycles, cron, working days).
/// Expression results may be date-times, dates, durations or text.
/// </summary>
internal sealed class TimerMath(IBusinessCalendar? calendar)
{
    public TimerSchedule First(ModelTimerKind kind, object? value, DateTimeOffset now, string elementId)
    {
        var timerKind = Map(kind);
        string text;
        switch (value)
        {
            case string s:
                text = s.Trim();
                break;
            case DateTimeOffset or DateOnly:
                text = VariableValues.Format(value);
                timerKind = TimerKind.Date;
                break;
            case IsoDuration duration:
                text = VariableValues.FormatDuration(duration);
                break;
            default:
                throw Invalid(value is null ? "null" : VariableValues.Format(value), elementId, null);
        }

        if (!TimerDefinition.TryParse(text, timerKind, out var definition, out var error)
            && !TimerDefinition.TryParse(text, out definition, out _))
        {
            throw Invalid(text, elementId, error);
        }

        var due = definition.NextDue(now, calendar)
            ?? throw new WorkflowDefinitionException(
                $"节点 {elementId} 的定时器 {text} 不会再触发",
                $"The timer '{text}' of '{elementId}' never fires.",
                elementId);
        return new TimerSchedule(due, definition.Text, Repeats(definition));
    }

    /// <summary>The next firing of a cycle that fired at <paramref name="due"/>; null when it is done.</summary>
    public TimerSchedule? Next(ModelTimerKind kind, string definitionText, DateTimeOffset due)
    {
        if (!TimerDefinition.TryParse(definitionText, Map(kind), out var definition, out _)
            && !TimerDefinition.TryParse(definitionText, out definition, out _))
        {
            return null;
        }

        if (definition.AfterFire(due, calendar) is not { } next || next.NextDue(due, calendar) is not { } nextDue)
        {
            return null;
        }

        return new TimerSchedule(nextDue, next.Text, Repeats(next));
    }

    private static int Repeats(TimerDefinition definition) =>
        definition.Kind == TimerKind.Cycle ? definition.RepetitionsLeft ?? -1 : 0;

    private static TimerKind Map(ModelTimerKind kind) => kind switch
    {
        ModelTimerKind.Date => TimerKind.Date,
        ModelTimerKind.Duration => TimerKind.Duration,
        _ => TimerKind.Cycle,
    };

    private static WorkflowDefinitionException Invalid(string text, string elementId, TimerParseError? error) =>
        new($"节点 {elementId} 的定时器 {text} 无法解析{(error is null ? "" : "：" + error.MessageZh)}",
            $"The timer '{text}' of '{elementId}' does not parse{(error is null ? "." : ": " + error.MessageEn)}",
            elementId);
}

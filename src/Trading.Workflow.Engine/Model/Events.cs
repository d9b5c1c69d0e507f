namespace Trading.Workflow.Engine.Model;

public abstract partial class EventDefinition
{
    public string? Id { get; init; }
}

public enum TimerKind
{
    Date,
    Duration,
    Cycle,
}

public sealed partial class TimerEventDefinition : EventDefinition
{
    public required TimerKind Kind { get; init; }

    /// <summary>The timer text: ISO 8601, working-day period, cron, or an expression giving one.</summary>
    public required string Value { get; init; }
}

public sealed partial class MessageEventDefinition : EventDefinition
{
    public string? MessageRef { get; init; }

    public MessageDefinition? Message { get; internal set; }

    /// <summary>Expression giving the correlation key (tw:correlationKey); null means the business key.</summary>
    public string? CorrelationKey { get; internal set; }

    /// <summary>
    /// On a message throw or end event: the handler that sends the message (tw:handler, or mapped from
    /// camunda/flowable class, delegateExpression, expression, type), as Camunda 7 runs these events like a send
    /// task. Null: the event passes without sending.
    /// </summary>
    public string? Handler { get; internal set; }

    public ImplementationKind ImplementationKind { get; internal set; }

    /// <summary>The vendor attribute text as written.</summary>
    public string? Implementation { get; internal set; }
}

public sealed partial class SignalEventDefinition : EventDefinition
{
    public string? SignalRef { get; init; }

    public SignalDefinition? Signal { get; internal set; }
}

public sealed partial class ErrorEventDefinition : EventDefinition
{
    public string? ErrorRef { get; init; }

    /// <summary>The referenced error; null on a catching event means catch every error.</summary>
    public ErrorDefinition? Error { get; internal set; }
}

public sealed partial class TerminateEventDefinition : EventDefinition;

/// <summary>An event definition the engine does not execute (escalation, compensation, conditional, link...); the validator reports it.</summary>
public sealed partial class UnsupportedEventDefinition : EventDefinition
{
    public required string ElementName { get; init; }
}

public abstract partial class EventNode : FlowNode
{
    /// <summary>The first event definition, or null for a none event.</summary>
    public EventDefinition? Definition => Definitions.Count > 0 ? Definitions[0] : null;

    public IReadOnlyList<EventDefinition> Definitions { get; internal set; } = [];
}

public sealed partial class StartEvent : EventNode
{
    public override string ElementType => "startEvent";

    /// <summary>Only meaningful in an event sub-process: interrupting (default) or not.</summary>
    public bool IsInterrupting { get; internal set; } = true;
}

public sealed partial class EndEvent : EventNode
{
    public override string ElementType => "endEvent";
}

public sealed partial class IntermediateCatchEvent : EventNode
{
    public override string ElementType => "intermediateCatchEvent";
}

public sealed partial class IntermediateThrowEvent : EventNode
{
    public override string ElementType => "intermediateThrowEvent";
}

public sealed partial class BoundaryEvent : EventNode
{
    public override string ElementType => "boundaryEvent";

    public required string AttachedToRef { get; init; }

    public Activity AttachedTo { get; internal set; } = null!;

    /// <summary>Interrupting (cancelActivity, default true) or not.</summary>
    public bool CancelActivity { get; internal set; } = true;
}

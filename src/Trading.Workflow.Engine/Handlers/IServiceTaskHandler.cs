namespace Trading.Workflow.Engine.Handlers;

/// <summary>
/// The code behind a service, send or business-rule task, registered in DI and found by <see cref="Name"/>
/// (tw:handler, or a vendor class/delegateExpression/expression/type mapped to a name).
/// </summary>
public interface IServiceTaskHandler
{
    string Name { get; }

    /// <summary>What the handler does, for the designer and the validator's handler list.</summary>
    string Description { get; }

    ValueTask ExecuteAsync(ServiceTaskContext context);
}

/// <summary>
/// A BPMN error raised by a handler: caught by the nearest error boundary event or error event sub-process whose
/// code matches. Throw it, or call <see cref="ServiceTaskContext.ThrowBpmnError"/>.
/// </summary>
public sealed class BpmnError(string errorCode, string? message = null)
    : Exception(message ?? $"BPMN error '{errorCode}'")
{
    public string ErrorCode { get; } = errorCode;

    public string? ErrorMessage { get; } = message;
}

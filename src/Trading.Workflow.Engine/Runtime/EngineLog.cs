using Microsoft.Extensions.Logging;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Runtime;

/// <summary>The engine's structured log messages (source-generated: no boxing or formatting when disabled).</summary>
internal sealed partial class EngineLog(ILogger logger)
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Deployed process {ProcessId} version {Version}")]
    public partial void Deployed(string processId, int version);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Instance {InstanceId} of {ProcessId} ended as {State}")]
    public partial void InstanceEnded(Guid instanceId, string processId, InstanceState state);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Command {Command} failed and left no trace: {Code}")]
    public partial void CommandFailed(string command, string code, Exception exception);

    /// <summary>A concurrent change won (two nodes firing one instance's timers, two users on one task): expected, no stack.</summary>
    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Command {Command} met a concurrent change and left no trace: {Reason}")]
    public partial void CommandConflicted(string command, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Job {JobId} at {ElementId} of instance {InstanceId} failed, {RetriesLeft} retries left")]
    public partial void JobFailed(Guid jobId, string elementId, Guid instanceId, int retriesLeft, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Incident opened on instance {InstanceId} at {ElementId}: {Message}")]
    public partial void IncidentOpened(Guid instanceId, string elementId, string message);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Service task {ElementId} has no registered handler {Handler}; passing through (no-op mode)")]
    public partial void UnknownHandlerNoOp(string elementId, string handler);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Instance {InstanceId}: {Action} by {UserId}, reason {Reason}")]
    public partial void AdminAction(Guid instanceId, string action, string? userId, string? reason);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Instance {InstanceId}: the text '{Template}' of {ElementId} could not be rendered and is shown as written")]
    public partial void DisplayTextNotRendered(Guid instanceId, string elementId, string template, Exception exception);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "Commit observer {Observer} failed after a committed command")]
    public partial void CommitObserverFailed(string observer, Exception exception);
}

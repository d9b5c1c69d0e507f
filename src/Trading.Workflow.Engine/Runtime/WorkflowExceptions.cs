namespace Trading.Workflow.Engine.Runtime;

/// <summary>
/// Base of every error the engine reports. <see cref="Code"/> is stable for programs; the messages are for people,
/// in Chinese (<see cref="MessageZh"/>, the default UI language) and English (<see cref="Exception.Message"/>).
/// </summary>
public class WorkflowException : Exception
{
    public WorkflowException(string code, string messageZh, string messageEn, Exception? innerException = null)
        : base(messageEn, innerException)
    {
        Code = code;
        MessageZh = messageZh;
    }

    public string Code { get; }

    public string MessageZh { get; }

    public string MessageEn => Message;

    /// <summary>The message in the language of the culture: Chinese for zh*, English otherwise.</summary>
    public string GetLocalizedMessage(System.Globalization.CultureInfo culture) =>
        culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? MessageZh : MessageEn;
}

/// <summary>A task, instance, timer, job or process that does not exist.</summary>
public sealed class WorkflowNotFoundException(string kind, string id)
    : WorkflowException("not_found", $"未找到{KindZh(kind)} {id}", $"The {kind} '{id}' was not found.")
{
    public string Kind { get; } = kind;

    public string Id { get; } = id;

    private static string KindZh(string kind) => kind switch
    {
        "task" => "任务",
        "instance" => "流程实例",
        "process" => "流程定义",
        "timer" => "定时器",
        "job" => "异步作业",
        "message" => "消息",
        "signal" => "信号",
        _ => kind,
    };
}

/// <summary>The state changed underneath the command: the task is no longer open, or another command changed the instance first.</summary>
public sealed class WorkflowConflictException(string messageZh, string messageEn)
    : WorkflowException("conflict", messageZh, messageEn)
{
    public static WorkflowConflictException TaskNotOpen(Guid taskId, string state) =>
        new($"任务 {taskId} 已不再处于待办状态（{state}），可能已被他人处理", $"The task '{taskId}' is no longer open ({state}); someone may have handled it already.");

    public static WorkflowConflictException Concurrency(Guid instanceId) =>
        new($"流程实例 {instanceId} 已被其他操作修改，请刷新后重试", $"The process instance '{instanceId}' was changed by another command; reload and try again.");

    /// <summary>The process whose latest usable version changed before a start on it committed; null for other conflicts.</summary>
    public string? LatestVersionOf { get; private init; }

    public static WorkflowConflictException LatestVersionMoved(string processId, int version) =>
        new($"流程 {processId} 的版本 {version} 已不是最新的可用版本，请重试", $"Version {version} is no longer the latest usable version of the process '{processId}'; try again.")
        {
            LatestVersionOf = processId,
        };

    /// <summary>A draft saved by someone else after the editor opened it: saving would overwrite their changes.</summary>
    public static WorkflowConflictException DraftChanged(string processId, string? savedBy, DateTimeOffset savedAt)
    {
        var at = Calendar.ChinaStandardTime.ToChina(savedAt).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var by = string.IsNullOrWhiteSpace(savedBy) ? "?" : savedBy;
        return new(
            $"流程 {processId} 的草稿在您打开后已由 {by} 于 {at} 保存，为免覆盖其修改，本次未保存。请导出您的流程图，重新打开草稿后再合并修改",
            $"The draft of '{processId}' was saved by {by} at {at} (China time) after you opened it; to keep their changes, yours were not saved. Export your diagram, reopen the draft and merge.");
    }

    /// <summary>The draft the editor opened was published (or removed) by someone else meanwhile.</summary>
    public static WorkflowConflictException DraftGone(string processId) =>
        new($"流程 {processId} 的草稿在您打开后已被他人发布，本次未保存。请导出您的流程图，打开最新版本后再合并修改",
            $"The draft of '{processId}' was published by someone else after you opened it; yours was not saved. Export your diagram, open the latest version and merge.");

    public static WorkflowConflictException NotActive(Guid instanceId, string state) =>
        new($"流程实例 {instanceId} 已结束（{state}）", $"The process instance '{instanceId}' is no longer active ({state}).");
}

/// <summary>An exclusive or inclusive gateway (or an activity with conditional flows) where no outgoing flow can be taken.</summary>
public sealed class NoFlowSelectedException(string elementId)
    : WorkflowException("no_flow_selected", $"节点 {elementId} 没有满足条件的出口连线，且未设置默认连线", $"No outgoing sequence flow of '{elementId}' can be taken: no condition is true and there is no default flow.")
{
    public string ElementId { get; } = elementId;
}

public sealed class InstanceSuspendedException(Guid instanceId)
    : WorkflowException("instance_suspended", $"流程实例 {instanceId} 已挂起，恢复后才能继续操作", $"The process instance '{instanceId}' is suspended; resume it first.")
{
    public Guid InstanceId { get; } = instanceId;
}

/// <summary>An expression read a variable that does not exist: an error, never a silent null.</summary>
public sealed class UnknownVariableException(string variableName, string? elementId = null)
    : WorkflowException("unknown_variable", $"表达式引用了不存在的变量 {variableName}{At(elementId, true)}", $"The expression uses the unknown variable '{variableName}'{At(elementId, false)}.")
{
    public string VariableName { get; } = variableName;

    public string? ElementId { get; } = elementId;

    private static string At(string? elementId, bool zh) => elementId is null ? "" : zh ? $"（节点 {elementId}）" : $" (element '{elementId}')";
}

/// <summary>An expression could not be evaluated (syntax, type or sandbox error).</summary>
public sealed class WorkflowExpressionException(string expression, string? elementId, Exception innerException)
    : WorkflowException("expression_failed", $"节点 {elementId} 的表达式 {expression} 求值失败：{innerException.Message}", $"The expression '{expression}' of '{elementId}' failed: {innerException.Message}", innerException)
{
    public string Expression { get; } = expression;

    public string? ElementId { get; } = elementId;
}

/// <summary>A BPMN error no boundary event or event sub-process caught.</summary>
public sealed class BpmnErrorException(string errorCode, string? errorMessage = null, string? elementId = null)
    : WorkflowException("bpmn_error_uncaught", $"业务错误 {errorCode} 未被捕获{(elementId is null ? "" : $"（节点 {elementId}）")}", $"The BPMN error '{errorCode}' was not caught{(elementId is null ? "" : $" (thrown at '{elementId}')")}.{(errorMessage is null ? "" : " " + errorMessage)}")
{
    public string ErrorCode { get; } = errorCode;

    public string? ErrorMessage { get; } = errorMessage;

    public string? ElementId { get; } = elementId;
}

/// <summary>The process cannot run as deployed: unknown handler, unsupported element, bad timer, non-executable process.</summary>
public sealed class WorkflowDefinitionException(string messageZh, string messageEn, string? elementId = null)
    : WorkflowException("definition_error", messageZh, messageEn)
{
    public string? ElementId { get; } = elementId;
}

/// <summary>A command that is not allowed in the current state (e.g. claiming a task that someone else holds).</summary>
public sealed class WorkflowStateException(string messageZh, string messageEn)
    : WorkflowException("invalid_state", messageZh, messageEn);

/// <summary>The definitions have validation errors and cannot be deployed; <see cref="Problems"/> lists every one.</summary>
public sealed class WorkflowValidationException(IReadOnlyList<Validation.ValidationProblem> problems)
    : WorkflowException(
        "validation_failed",
        $"流程定义有 {Count(problems)} 个错误，不能部署：{First(problems, true)}",
        $"The definitions have {Count(problems)} error(s) and cannot be deployed: {First(problems, false)}")
{
    public IReadOnlyList<Validation.ValidationProblem> Problems { get; } = problems;

    private static int Count(IReadOnlyList<Validation.ValidationProblem> problems)
    {
        var count = 0;
        foreach (var p in problems)
        {
            if (p.Severity == Validation.ValidationSeverity.Error)
            {
                count++;
            }
        }

        return count;
    }

    private static string First(IReadOnlyList<Validation.ValidationProblem> problems, bool zh)
    {
        foreach (var p in problems)
        {
            if (p.Severity == Validation.ValidationSeverity.Error)
            {
                return $"[{p.ElementId}] {(zh ? p.MessageZh : p.MessageEn)}";
            }
        }

        return "";
    }
}

/// <summary>A service-task handler failed with an ordinary exception (not a BPMN error): the command fails, or an async job retries.</summary>
public sealed class WorkflowHandlerException(string elementId, string handlerName, Exception innerException)
    : WorkflowException(
        "handler_failed",
        $"节点 {elementId} 的处理器 {handlerName} 执行失败：{innerException.Message}",
        $"The handler '{handlerName}' of '{elementId}' failed: {innerException.Message}",
        innerException)
{
    public string ElementId { get; } = elementId;

    public string HandlerName { get; } = handlerName;
}

/// <summary>A variable value the engine cannot store (not one of the typed values: text, number, boolean, date, duration, list, object).</summary>
public sealed class InvalidVariableException(string variableName, string messageZh, string messageEn, Exception? innerException = null)
    : WorkflowException("invalid_variable", $"变量 {variableName} 的值无效：{messageZh}", $"The value of the variable '{variableName}' is invalid: {messageEn}", innerException)
{
    public string VariableName { get; } = variableName;
}

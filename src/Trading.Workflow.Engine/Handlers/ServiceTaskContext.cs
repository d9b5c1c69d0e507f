using System.Diagnostics.CodeAnalysis;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Handlers;

/// <summary>What a handler sees: variables (read and write), the instance, the element, and the store's transaction.</summary>
public sealed class ServiceTaskContext
{
    private readonly IHandlerVariableAccess _variables;
    private Dictionary<string, object?>? _items;

    internal ServiceTaskContext(
        IHandlerVariableAccess variables,
        Guid instanceId,
        string processId,
        int processVersion,
        string? businessKey,
        string elementId,
        string? elementName,
        string handlerName,
        IReadOnlyDictionary<string, string> extensionAttributes,
        string? messageName,
        IServiceProvider services,
        ICommandTransaction? transaction,
        CancellationToken cancellationToken)
    {
        _variables = variables;
        InstanceId = instanceId;
        ProcessId = processId;
        ProcessVersion = processVersion;
        BusinessKey = businessKey;
        ElementId = elementId;
        ElementName = elementName;
        HandlerName = handlerName;
        ExtensionAttributes = extensionAttributes;
        MessageName = messageName;
        Services = services;
        Transaction = transaction;
        CancellationToken = cancellationToken;
    }

    public Guid InstanceId { get; }

    public string ProcessId { get; }

    public int ProcessVersion { get; }

    public string? BusinessKey { get; }

    public string ElementId { get; }

    public string? ElementName { get; }

    public string HandlerName { get; }

    /// <summary>The element's extension attributes, for handler settings written in the model.</summary>
    public IReadOnlyDictionary<string, string> ExtensionAttributes { get; }

    /// <summary>For a send task: the name of its message.</summary>
    public string? MessageName { get; }

    /// <summary>The command's DI scope.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The command's database transaction: write domain rows in it so they commit with the engine's changes. Null in memory.</summary>
    public ICommandTransaction? Transaction { get; }

    /// <summary>A bag shared by every handler of the same command (e.g. a DbContext a store extension put there).</summary>
    public IDictionary<string, object?> Items => _items ??= new Dictionary<string, object?>(StringComparer.Ordinal);

    public CancellationToken CancellationToken { get; }

    /// <summary>Every variable visible from the task, inner scopes first.</summary>
    public IReadOnlyDictionary<string, object?> Variables => _variables.GetAll();

    public bool TryGetVariable(string name, out object? value) => _variables.TryGet(name, out value);

    /// <summary>The variable's value; throws when it does not exist.</summary>
    public object? GetVariable(string name) =>
        _variables.TryGet(name, out var value) ? value : throw new KeyNotFoundException($"Unknown variable '{name}'.");

    /// <summary>Sets a variable where it is defined, else on the process instance (Camunda's setVariable).</summary>
    public void SetVariable(string name, object? value) => _variables.Set(name, value, local: false);

    /// <summary>Sets a variable on the task's own scope.</summary>
    public void SetLocalVariable(string name, object? value) => _variables.Set(name, value, local: true);

    /// <summary>Raises a BPMN error with the code; it is caught by a matching error boundary event or event sub-process.</summary>
    [DoesNotReturn]
    public void ThrowBpmnError(string errorCode, string? message = null) => throw new BpmnError(errorCode, message);
}

internal interface IHandlerVariableAccess
{
    bool TryGet(string name, out object? value);

    void Set(string name, object? value, bool local);

    IReadOnlyDictionary<string, object?> GetAll();
}

using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Tests.Runtime.Support;

// Shared by the engine tests (in-memory store) and, linked, by the persistence tests, which run the same behaviour
// suite on each durable store: one host shape, one set of test handlers.

/// <summary>A clock the tests move by hand.</summary>
internal sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>
/// The real engine built by DI (expression language, 2026 calendar, a hand-moved clock) with BPMN files deployed from
/// Runtime/Bpmn; a derived host adds the store. Its members are what the behaviour tests call.
/// </summary>
internal abstract class EngineHostBase : IAsyncDisposable
{
    public static readonly DateTimeOffset StartTime = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private ServiceProvider? _provider;

    public IWorkflowEngine Engine { get; private set; } = null!;

    public TestClock Clock { get; } = new(StartTime);

    public IServiceProvider Services => _provider!;

    /// <summary>Builds the engine with the tests' configuration, lets <paramref name="addStore"/> register the store, and deploys the files.</summary>
    protected async Task InitializeAsync(
        string[] files, Action<WorkflowEngineBuilder>? configure, Action<WorkflowEngineOptions>? options, Action<IServiceCollection>? addStore = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddWorkingDayCalendar();
        var builder = services.AddWorkflowEngine(options);
        configure?.Invoke(builder);
        addStore?.Invoke(services);
        _provider = services.BuildServiceProvider();
        Engine = _provider.GetRequiredService<IWorkflowEngine>();
        foreach (var file in files)
        {
            await Engine.DeployAsync(BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Runtime", "Bpmn", file)));
        }
    }

    /// <summary>Deploys a file of Runtime/Bpmn again: each of its processes gets its next version.</summary>
    public async Task DeployAsync(string file) =>
        await Engine.DeployAsync(BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Runtime", "Bpmn", file)));

    /// <summary>Retires a version the way the host's store does: it starts no new instance; running ones go on.</summary>
    public abstract Task RetireAsync(string processId, int version);

    public async Task<ProcessInstanceInfo> StartInstanceAsync(string processId, object? variables, string? businessKey) =>
        await Engine.StartAsync(processId, businessKey, Vars(variables), "starter");

    public async Task<IReadOnlyList<UserTaskInfo>> OpenTasksAsync(Guid instanceId) =>
        await Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId });

    public async Task<List<string>> OpenTaskIdsAsync(Guid instanceId)
    {
        var result = new List<string>();
        foreach (var task in await OpenTasksAsync(instanceId))
        {
            result.Add(task.ElementId);
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    public async Task<UserTaskInfo> TaskAsync(Guid instanceId, string elementId)
    {
        foreach (var task in await OpenTasksAsync(instanceId))
        {
            if (task.ElementId == elementId)
            {
                return task;
            }
        }

        throw new Xunit.Sdk.XunitException($"No open task '{elementId}' in instance {instanceId}.");
    }

    public async Task CompleteAsync(Guid instanceId, string elementId, object? variables = null, string user = "tester") =>
        await Engine.CompleteTaskAsync((await TaskAsync(instanceId, elementId)).Id, Vars(variables), user);

    public async Task<ProcessInstanceInfo> InstanceAsync(Guid instanceId) =>
        await Engine.GetInstanceAsync(instanceId) ?? throw new Xunit.Sdk.XunitException($"No instance {instanceId}.");

    public async Task<IReadOnlyDictionary<string, object?>> VariablesAsync(Guid instanceId) => await Engine.GetVariablesAsync(instanceId);

    /// <summary>Variables given as an anonymous object or a dictionary.</summary>
    public static IReadOnlyDictionary<string, object?>? Vars(object? variables)
    {
        switch (variables)
        {
            case null:
                return null;
            case IReadOnlyDictionary<string, object?> dictionary:
                return dictionary;
        }

        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in variables.GetType().GetProperties())
        {
            result[property.Name] = property.GetValue(variables);
        }

        return result;
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }
}

/// <summary>Sets <c>handled = true</c> and counts calls; <c>score</c> is copied from <c>input</c> when present.</summary>
internal sealed class RecordingHandler : IServiceTaskHandler
{
    public int Calls { get; private set; }

    public object? LastTransaction { get; private set; }

    public string? LastBusinessKey { get; private set; }

    public string Name => "record";

    public string Description => "Records the call (tests)";

    public ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        Calls++;
        LastTransaction = context.Transaction;
        LastBusinessKey = context.BusinessKey;
        context.SetVariable("handled", true);
        if (context.TryGetVariable("input", out var input))
        {
            context.SetVariable("score", input);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Raises the BPMN error named by the variable <c>errorCode</c>.</summary>
internal sealed class ErrorHandler : IServiceTaskHandler
{
    public string Name => "raise";

    public string Description => "Raises a BPMN error (tests)";

    public ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        context.ThrowBpmnError((string)context.GetVariable("errorCode")!, "raised by test");
        return ValueTask.CompletedTask;
    }
}

/// <summary>Fails with an ordinary exception while <see cref="FailuresLeft"/> is above zero.</summary>
internal sealed class FlakyHandler : IServiceTaskHandler
{
    public int FailuresLeft { get; set; }

    public int Calls { get; private set; }

    public string Name => "flaky";

    public string Description => "Fails a number of times (tests)";

    public ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        Calls++;
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            throw new InvalidOperationException("remote system unavailable");
        }

        context.SetVariable("flakyDone", true);
        return ValueTask.CompletedTask;
    }
}

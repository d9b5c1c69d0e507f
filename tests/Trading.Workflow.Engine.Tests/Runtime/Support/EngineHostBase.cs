using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime.Support;

// Shared by the engine tests (in-memory store) and, linked, by the persistence tests, which run the same behaviour
// suite on each durable store: one host shape, one set of test handlers.

/// <summary>
/// The engine tests' one harness: the real engine built by DI (expression language, a hand-moved clock, the working-day
/// calendar unless turned off) with BPMN files deployed from a folder of the test output (Runtime/Bpmn by default); a
/// derived host adds the store. Its members are what the tests call, so each test stays with its one behaviour.
/// </summary>
internal abstract class EngineHostBase : IAsyncDisposable
{
    public static readonly DateTimeOffset StartTime = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private ServiceProvider? _provider;
    private string _folder = Path.Combine(AppContext.BaseDirectory, "Runtime", "Bpmn");

    public IWorkflowEngine Engine { get; private set; } = null!;

    public TestClock Clock { get; private set; } = new(StartTime);

    public IServiceProvider Services => _provider!;

    /// <summary>
    /// Builds the engine with the tests' configuration, lets <paramref name="addStore"/> register the store, and deploys
    /// the files (names relative to <paramref name="folder"/>, a folder of the test output; default Runtime/Bpmn).
    /// </summary>
    protected async Task InitializeAsync(
        string[] files,
        Action<WorkflowEngineBuilder>? configure,
        Action<WorkflowEngineOptions>? options,
        Action<IServiceCollection>? addStore = null,
        string? folder = null,
        bool workingDayCalendar = true,
        DateTimeOffset? start = null,
        Func<IWorkflowStore, IWorkflowStore>? wrapStore = null)
    {
        if (folder is not null)
        {
            _folder = Path.Combine(AppContext.BaseDirectory, folder);
        }

        Clock = new TestClock(start ?? StartTime);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        if (workingDayCalendar)
        {
            services.AddWorkingDayCalendar();
        }

        var builder = services.AddWorkflowEngine(options);
        configure?.Invoke(builder);
        addStore?.Invoke(services);
        if (wrapStore is not null)
        {
            // The last registration wins: the engine gets the host's store behind the test's decorator.
            var registered = services.Last(d => d.ServiceType == typeof(IWorkflowStore));
            services.AddSingleton(sp => wrapStore(registered.ImplementationFactory is { } factory
                ? (IWorkflowStore)factory(sp)
                : (IWorkflowStore)(registered.ImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!))));
        }

        _provider = services.BuildServiceProvider();
        Engine = _provider.GetRequiredService<IWorkflowEngine>();
        foreach (var file in files)
        {
            await DeployAsync(file);
        }
    }

    /// <summary>Deploys a file (again: each of its processes gets its next version), or every file of a folder in name order.</summary>
    public async Task<IReadOnlyList<ProcessDefinitionInfo>> DeployAsync(string fileOrFolder)
    {
        var path = Path.Combine(_folder, fileOrFolder);
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "*.bpmn").Order(StringComparer.Ordinal).ToArray() : [path];
        var deployed = new List<ProcessDefinitionInfo>();
        foreach (var file in files)
        {
            deployed.AddRange(await Engine.DeployAsync(BpmnParser.ParseFile(file)));
        }

        return deployed;
    }

    /// <summary>Retires a version the way the host's store does: it starts no new instance; running ones go on.</summary>
    public abstract Task RetireAsync(string processId, int version);

    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async Task<ProcessInstanceInfo> StartInstanceAsync(string processId, object? variables, string? businessKey) =>
        await Engine.StartAsync(processId, businessKey, Vars(variables), "starter");

    /// <summary>Starts the process with no user, as a system start.</summary>
    public async Task<ProcessInstanceInfo> StartProcessAsync(string processId, object? variables = null, string? businessKey = null) =>
        await Engine.StartAsync(processId, businessKey, Vars(variables));

    public async Task<IReadOnlyList<UserTaskInfo>> OpenTasksAsync(Guid instanceId) =>
        await Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId });

    public async Task<IReadOnlyList<UserTaskInfo>> AllOpenTasksAsync() =>
        await Engine.GetTasksAsync(new TaskQuery());

    /// <summary>Element ids of the open tasks, sorted, so a multiset compares with one assertion.</summary>
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

    /// <summary>The one open task at the element; fails when there is none or more than one.</summary>
    public async Task<UserTaskInfo> SingleTaskAsync(Guid instanceId, string elementId)
    {
        var tasks = (await OpenTasksAsync(instanceId)).Where(t => t.ElementId == elementId).ToList();
        return tasks.Count == 1 ? tasks[0] : throw new Xunit.Sdk.XunitException($"Expected one open task '{elementId}', found {tasks.Count}.");
    }

    public async Task CompleteAsync(Guid instanceId, string elementId, object? variables = null, string? user = "tester") =>
        await Engine.CompleteTaskAsync((await TaskAsync(instanceId, elementId)).Id, Vars(variables), user);

    public async Task<ProcessInstanceInfo> InstanceAsync(Guid instanceId) =>
        await Engine.GetInstanceAsync(instanceId) ?? throw new Xunit.Sdk.XunitException($"No instance {instanceId}.");

    public async Task<InstanceState> StateAsync(Guid instanceId) => (await InstanceAsync(instanceId)).State;

    public async Task<IReadOnlyDictionary<string, object?>> VariablesAsync(Guid instanceId) => await Engine.GetVariablesAsync(instanceId);

    public async Task<IReadOnlyList<TimerInfo>> TimersAsync(Guid? instanceId = null) => await Engine.GetTimersAsync(instanceId);

    public async Task<IReadOnlyList<EventSubscriptionInfo>> SubscriptionsAsync(Guid? instanceId = null) => await Engine.GetSubscriptionsAsync(instanceId);

    /// <summary>Moves the clock and fires every timer then due, as Quartz would.</summary>
    public async Task<int> AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        return await Engine.FireDueTimersAsync();
    }

    public async Task<int> AdvanceAsync(string isoDuration) => await AdvanceAsync(System.Xml.XmlConvert.ToTimeSpan(isoDuration));

    /// <summary>Runs due jobs until none is left (a job may create the next one).</summary>
    public async Task<int> RunJobsAsync()
    {
        var total = 0;
        for (var round = 0; round < 50; round++)
        {
            var ran = await Engine.ExecuteDueJobsAsync();
            if (ran == 0)
            {
                return total;
            }

            total += ran;
        }

        return total;
    }

    public async Task<IReadOnlyList<string>> CompletedActivitiesAsync(Guid instanceId) =>
        [.. (await Engine.GetHistoryAsync(instanceId)).Where(h => h.Type == Trading.Workflow.Engine.History.HistoryEventType.ActivityCompleted).Select(h => h.ElementId ?? "")];

    /// <summary>Everything a command could change about an instance, serialized for a before/after comparison.</summary>
    public async Task<string> SnapshotAsync(Guid instanceId)
    {
        var instance = await InstanceAsync(instanceId);
        var tasks = await Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId, OpenOnly = false });
        var variables = await VariablesAsync(instanceId);
        var history = await Engine.GetHistoryAsync(instanceId);
        var timers = await TimersAsync(instanceId);
        var subscriptions = await SubscriptionsAsync(instanceId);
        var jobs = await Engine.GetJobsAsync(instanceId);
        var incidents = await Engine.GetIncidentsAsync(instanceId);
        var children = await Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = instanceId });
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"instance {instance.State} v{instance.Version} [{string.Join(',', instance.ActiveElementIds.Order(StringComparer.Ordinal))}] ended={instance.EndedAt}");
        foreach (var t in tasks.OrderBy(t => t.Id))
        {
            sb.AppendLine($"task {t.Id} {t.ElementId} {t.State} {t.Assignee} {t.Name}");
        }

        foreach (var (name, value) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            sb.AppendLine($"var {name}={Trading.Workflow.Engine.Values.VariableValues.Format(value)}");
        }

        sb.AppendLine($"history {history.Count}");
        foreach (var t in timers.OrderBy(t => t.Id))
        {
            sb.AppendLine($"timer {t.Id} {t.ElementId} {t.Due:O}");
        }

        foreach (var s in subscriptions.OrderBy(s => s.Id))
        {
            sb.AppendLine($"sub {s.Id} {s.ElementId} {s.EventName}");
        }

        sb.AppendLine($"jobs {jobs.Count} incidents {incidents.Count} children {children.Count}");
        return sb.ToString();
    }

    /// <summary>Variables given as an anonymous object or a dictionary.</summary>
    public static IReadOnlyDictionary<string, object?>? Vars(object? variables)
    {
        switch (variables)
        {
            case null:
                return null;
            case IReadOnlyDictionary<string, object?> dictionary:
                return dictionary;
            case IDictionary<string, object?> dictionary:
                return dictionary.ToDictionary();
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

    public ICommandTransaction? LastTransaction { get; private set; }

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

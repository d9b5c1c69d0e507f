using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Scenarios.Support;

/// <summary>
/// The real engine (in-memory store, manual scheduler) on a manual clock, with the scenario's BPMN files deployed
/// from Scenarios/Files and helpers that keep each test to its one behaviour.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    private EngineHarness(ServiceProvider provider, ManualTimeProvider clock)
    {
        _provider = provider;
        Clock = clock;
        Engine = provider.GetRequiredService<IWorkflowEngine>();
    }

    public IWorkflowEngine Engine { get; }

    public ManualTimeProvider Clock { get; }

    public static string FilePath(string file) => Path.Combine(AppContext.BaseDirectory, "Scenarios", "Files", file);

    /// <summary>Builds the engine with the handlers, deploys each file in order and returns the harness.</summary>
    public static async Task<EngineHarness> StartAsync(
        IEnumerable<string> files,
        IEnumerable<IServiceTaskHandler>? handlers = null,
        Action<WorkflowEngineOptions>? configure = null,
        DateTimeOffset? now = null,
        bool workingDayCalendar = false)
    {
        var clock = new ManualTimeProvider(now ?? Epoch);
        var services = new ServiceCollection();
        if (workingDayCalendar)
        {
            services.AddWorkingDayCalendar();
        }

        var builder = services.AddWorkflowEngine(configure).UseTimeProvider(clock);
        foreach (var handler in handlers ?? [])
        {
            builder.AddHandler(handler);
        }

        var harness = new EngineHarness(services.BuildServiceProvider(), clock);
        foreach (var file in files)
        {
            await harness.DeployAsync(file);
        }

        return harness;
    }

    public static Task<EngineHarness> StartAsync(string file, params IServiceTaskHandler[] handlers) => StartAsync([file], handlers);

    /// <summary>Deploys one file, or every file of a folder (one process a file: BPMN ids are unique per document).</summary>
    public async Task<IReadOnlyList<ProcessDefinitionInfo>> DeployAsync(string fileOrFolder)
    {
        var path = FilePath(fileOrFolder);
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "*.bpmn").Order(StringComparer.Ordinal).ToArray() : [path];
        var deployed = new List<ProcessDefinitionInfo>();
        foreach (var file in files)
        {
            deployed.AddRange(await Engine.DeployAsync(BpmnParser.ParseFile(file)));
        }

        return deployed;
    }

    public T Service<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public async Task<ProcessInstanceInfo> StartProcessAsync(string processId, object? variables = null, string? businessKey = null) =>
        await Engine.StartAsync(processId, businessKey, Vars(variables));

    public async Task<ProcessInstanceInfo> InstanceAsync(Guid id) =>
        await Engine.GetInstanceAsync(id) ?? throw new InvalidOperationException($"instance {id} not found");

    public async Task<InstanceState> StateAsync(Guid id) => (await InstanceAsync(id)).State;

    public async Task<IReadOnlyList<UserTaskInfo>> OpenTasksAsync(Guid instanceId) =>
        await Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId });

    public async Task<IReadOnlyList<UserTaskInfo>> AllOpenTasksAsync() =>
        await Engine.GetTasksAsync(new TaskQuery());

    /// <summary>Element ids of the open tasks, sorted, so a multiset compares with one assertion.</summary>
    public async Task<string[]> OpenTaskIdsAsync(Guid instanceId) =>
        [.. (await OpenTasksAsync(instanceId)).Select(t => t.ElementId).Order(StringComparer.Ordinal)];

    public async Task<UserTaskInfo> SingleTaskAsync(Guid instanceId, string elementId)
    {
        var tasks = (await OpenTasksAsync(instanceId)).Where(t => t.ElementId == elementId).ToList();
        return tasks.Count == 1 ? tasks[0] : throw new InvalidOperationException($"expected one open task '{elementId}', found {tasks.Count}");
    }

    public async Task CompleteAsync(Guid instanceId, string elementId, object? variables = null)
    {
        var task = await SingleTaskAsync(instanceId, elementId);
        await Engine.CompleteTaskAsync(task.Id, Vars(variables));
    }

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
        [.. (await Engine.GetHistoryAsync(instanceId)).Where(h => h.Type == History.HistoryEventType.ActivityCompleted).Select(h => h.ElementId ?? "")];

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

    public static IReadOnlyDictionary<string, object?>? Vars(object? variables) => variables switch
    {
        null => null,
        IReadOnlyDictionary<string, object?> d => d,
        IDictionary<string, object?> d => d.ToDictionary(),
        _ => variables.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(variables)),
    };

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}

using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Web.Designer;

/// <summary>What to dry-run: the process, the start variables and the variables each user task completes with (JSON objects).</summary>
public sealed record DryRunRequest(string Xml, string ProcessId, string? StartVariablesJson, string? TaskVariablesJson, int MaxSteps = DryRunService.DefaultMaxSteps);

/// <summary>One thing the dry run did, in order: started, completed a task, fired timers, or stopped with an error.</summary>
public sealed record DryRunStep(string Action, string? ElementId, string? ElementName, DateTimeOffset At);

/// <summary>
/// The outcome: the elements and flows passed through (for colouring the diagram), the elements still waiting,
/// whether the instance ended, and the error that stopped it, in Chinese and English.
/// </summary>
public sealed record DryRunResult(
    IReadOnlyList<string> TakenElementIds,
    IReadOnlyList<string> ActiveElementIds,
    IReadOnlyList<DryRunStep> Steps,
    bool Ended,
    string? ErrorZh,
    string? ErrorEn);

/// <summary>
/// Runs a draft on a private in-memory engine with a simulated clock: starts it, completes every user task in turn
/// with the given variables, runs asynchronous steps and moves the clock to each next timer, until the instance
/// ends, nothing more can happen, or the step limit is reached. Service tasks whose handler is not registered run as
/// no-ops. Nothing touches the real store.
/// </summary>
public sealed class DryRunService(TimeProvider time)
{
    public const int DefaultMaxSteps = 200;
    public const string ActionStarted = "started";
    public const string ActionTaskCompleted = "taskCompleted";
    public const string ActionTimersFired = "timersFired";
    public const string ActionJobsRun = "jobsRun";

    public async Task<DryRunResult> RunAsync(DryRunRequest request, CancellationToken cancellationToken = default)
    {
        var clock = new SimulatedClock(time.GetUtcNow());
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddWorkingDayCalendar();
        services.AddWorkflowEngine(options => options.UnknownHandlersAreNoOps = true);
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<IWorkflowEngine>();
        var steps = new List<DryRunStep>();
        IReadOnlyList<SequenceFlow> flows = [];
        Guid? instanceId = null;
        try
        {
            var startVariables = ParseVariables(request.StartVariablesJson);
            var taskVariables = ParseVariables(request.TaskVariablesJson);
            var definitions = BpmnParser.Parse(request.Xml);
            flows = definitions.FindProcess(request.ProcessId)?.Elements.Values.OfType<SequenceFlow>().ToList() ?? [];
            await engine.DeployAsync(definitions, "dry-run", cancellationToken);
            var instance = await engine.StartAsync(request.ProcessId, businessKey: "DRY-RUN", variables: startVariables, userId: "dry-run", cancellationToken: cancellationToken);
            instanceId = instance.Id;
            steps.Add(new DryRunStep(ActionStarted, null, null, clock.GetUtcNow()));
            for (var step = 0; step < request.MaxSteps; step++)
            {
                if (await engine.ExecuteDueJobsAsync(cancellationToken) > 0)
                {
                    steps.Add(new DryRunStep(ActionJobsRun, null, null, clock.GetUtcNow()));
                    continue;
                }

                var tasks = await engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }, cancellationToken);
                if (tasks.Count > 0)
                {
                    var task = tasks[0];
                    await engine.CompleteTaskAsync(task.Id, taskVariables, "dry-run", cancellationToken);
                    steps.Add(new DryRunStep(ActionTaskCompleted, task.ElementId, task.Name, clock.GetUtcNow()));
                    continue;
                }

                var timers = await engine.GetTimersAsync(instance.Id, cancellationToken);
                if (timers.Count == 0 || !await IsActiveAsync(engine, instance.Id, cancellationToken))
                {
                    break;
                }

                var next = timers.MinBy(t => t.Due)!;
                clock.AdvanceTo(next.Due);
                await engine.FireDueTimersAsync(clock.GetUtcNow(), cancellationToken);
                steps.Add(new DryRunStep(ActionTimersFired, next.ElementId, null, clock.GetUtcNow()));
            }

            return await ResultAsync(engine, instance.Id, flows, steps, null, null, cancellationToken);
        }
        catch (Exception e) when (e is WorkflowException or BpmnParseException or FormatException or System.Text.Json.JsonException or VariableValueException)
        {
            var (zh, en) = e switch
            {
                WorkflowException w => (w.MessageZh, w.MessageEn),
                BpmnParseException p => (p.MessageZh, p.MessageEn),
                VariableValueException v => (v.MessageZh, v.MessageEn),
                _ => ($"变量 JSON 无效：{e.Message}", $"The variables JSON is not valid: {e.Message}"),
            };
            return instanceId is { } id
                ? await ResultAsync(engine, id, flows, steps, zh, en, cancellationToken)
                : new DryRunResult([], [], steps, false, zh, en);
        }
    }

    private static async Task<bool> IsActiveAsync(IWorkflowEngine engine, Guid instanceId, CancellationToken cancellationToken) =>
        (await engine.GetInstanceAsync(instanceId, cancellationToken))?.State == InstanceState.Active;

    private static async Task<DryRunResult> ResultAsync(
        IWorkflowEngine engine, Guid instanceId, IReadOnlyList<SequenceFlow> flows, List<DryRunStep> steps, string? errorZh, string? errorEn, CancellationToken cancellationToken)
    {
        var history = await engine.GetHistoryAsync(instanceId, cancellationToken);
        var taken = history
            .Where(h => h.ElementId is not null && h.Type is HistoryEventType.ActivityStarted or HistoryEventType.ActivityCompleted or HistoryEventType.SequenceFlowTaken)
            .Select(h => h.ElementId!)
            .Distinct(StringComparer.Ordinal)
            .ToList();

        // The history records the nodes; a flow counts as taken when the run started both of its ends.
        var nodes = taken.ToHashSet(StringComparer.Ordinal);
        taken.AddRange(flows.Where(f => nodes.Contains(f.SourceRef) && nodes.Contains(f.TargetRef) && !nodes.Contains(f.Id)).Select(f => f.Id));
        var instance = await engine.GetInstanceAsync(instanceId, cancellationToken);
        var active = instance?.ActiveElementIds ?? [];
        var ended = instance is not null && instance.State is not (InstanceState.Active or InstanceState.Suspended);
        return new DryRunResult(taken, active, steps, ended, errorZh, errorEn);
    }

    private static Dictionary<string, object?>? ParseVariables(string? json) =>
        string.IsNullOrWhiteSpace(json) ? null : VariableJson.DeserializeVariables(json);

    /// <summary>A clock that only moves when the dry run moves it.</summary>
    private sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void AdvanceTo(DateTimeOffset instant)
        {
            if (instant > _now)
            {
                _now = instant;
            }
        }
    }
}

using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Designer;

/// <summary>
/// What to dry-run: the process, the start variables and the variables each user task completes with (JSON objects),
/// and the values typed into the variable form (start variables too, over those of the JSON).
/// </summary>
public sealed record DryRunRequest(
    string Xml,
    string ProcessId,
    string? StartVariablesJson,
    string? TaskVariablesJson,
    IReadOnlyDictionary<string, object?>? FormVariables = null,
    int MaxSteps = DryRunService.DefaultMaxSteps);

/// <summary>
/// One thing the dry run did, in order: started, completed a task, fired timers, or stopped with an error; the element's
/// name is in the reader's language of the run (the English name in English, as on the task page).
/// </summary>
public sealed record DryRunStep(string Action, string? ElementId, string? ElementName, DateTimeOffset At);

/// <summary>
/// The outcome: the elements and flows passed through (for colouring the diagram), the elements still waiting,
/// whether the instance ended, the error that stopped it in Chinese and English, and the variable it missed when
/// that was the reason.
/// </summary>
public sealed record DryRunResult(
    IReadOnlyList<string> TakenElementIds,
    IReadOnlyList<string> ActiveElementIds,
    IReadOnlyList<DryRunStep> Steps,
    bool Ended,
    string? ErrorZh,
    string? ErrorEn,
    string? MissingVariable = null);

/// <summary>
/// Runs a draft on a private in-memory engine with a simulated clock: starts it, completes every user task in turn
/// with the given variables, runs asynchronous steps and moves the clock to each next timer, until the instance
/// ends, nothing more can happen, or the step limit is reached. Service tasks whose handler is not registered run as
/// no-ops. Working days come from the platform's calendar (what the calendar editor saved). Nothing touches the real
/// store, and whatever goes wrong is reported in the result, never thrown.
/// </summary>
public sealed partial class DryRunService(TimeProvider time, IBusinessCalendar calendar, ILogger<DryRunService> logger)
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
        // The application's calendar, not the shipped default: the years an administrator added count here too.
        services.AddSingleton(calendar);
        services.AddWorkflowEngine(options => options.UnknownHandlersAreNoOps = true);
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<IWorkflowEngine>();
        var steps = new List<DryRunStep>();
        IReadOnlyList<SequenceFlow> flows = [];
        Guid? instanceId = null;
        try
        {
            var startVariables = ParseVariables(request.StartVariablesJson);
            if (request.FormVariables is { Count: > 0 } typed)
            {
                startVariables ??= new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (name, value) in typed)
                {
                    startVariables[name] = value;
                }
            }

            var taskVariables = ParseVariables(request.TaskVariablesJson);
            var definitions = BpmnParser.Parse(request.Xml);
            var names = DefinitionNames.Read(request.Xml, request.ProcessId);
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
                    steps.Add(new DryRunStep(ActionTaskCompleted, task.ElementId, DisplayNames.Render(names.Localized(task.ElementId, task.Name), null), clock.GetUtcNow()));
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
                steps.Add(new DryRunStep(ActionTimersFired, next.ElementId, names.ElementName(next.ElementId), clock.GetUtcNow()));
            }

            return await ResultAsync(engine, instance.Id, flows, steps, null, null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var (zh, en, missing) = Describe(e);
            if (zh is null)
            {
                LogFailed(e, request.ProcessId);
                (zh, en) = ($"试运行意外中止：{e.GetType().Name}。详细信息已记入日志。", $"The dry run stopped unexpectedly: {e.GetType().Name}. The details are in the log.");
            }

            try
            {
                return instanceId is { } id
                    ? await ResultAsync(engine, id, flows, steps, zh, en!, cancellationToken) with { MissingVariable = missing }
                    : new DryRunResult([], [], steps, false, zh, en, missing);
            }
            catch (Exception) when (instanceId is not null)
            {
                return new DryRunResult([], [], steps, false, zh, en, missing);
            }
        }
    }

    /// <summary>The error in both languages and the variable that was missing; (null, null, null) for an unexpected error.</summary>
    private static (string? Zh, string? En, string? Missing) Describe(Exception e)
    {
        // The engine wraps the cause (an expression error, missing calendar data) in its own exceptions.
        for (var cause = e; cause is not null; cause = cause.InnerException)
        {
            var name = cause switch
            {
                UnknownVariableException unknown => unknown.VariableName,
                ExpressionException { Code: ExpressionErrorCode.UnknownVariable } expression => expression.VariableName,
                _ => null,
            };
            if (name is not null)
            {
                return ($"缺少变量 {name}：在上方的变量表单中填写流程读取的变量后再试运行。（{Zh(e)}）",
                    $"The variable {name} is missing: fill in the variables the procedure reads in the form above and run again. ({En(e)})",
                    name);
            }

            if (cause is CalendarDataMissingException missing)
            {
                return ($"工作日历缺少 {missing.Year} 年的节假日数据，无法计算工作日期限。请在“工作日历”中录入 {missing.Year} 年的安排后再试运行。",
                    $"The working-day calendar has no holiday data for {missing.Year}, so working-day time limits cannot be computed. Enter the {missing.Year} arrangements in the working-day calendar and run again.",
                    null);
            }
        }

        return e switch
        {
            WorkflowException or BpmnParseException or VariableValueException or ExpressionException => (Zh(e), En(e), null),
            FormatException or System.Text.Json.JsonException => ($"变量 JSON 无效：{e.Message}", $"The variables JSON is not valid: {e.Message}", null),
            _ => (null, null, null),
        };
    }

    private static string Zh(Exception e) => e switch
    {
        WorkflowException w => w.MessageZh,
        BpmnParseException p => p.MessageZh,
        VariableValueException v => v.MessageZh,
        ExpressionException x => x.MessageZh,
        _ => e.Message,
    };

    private static string En(Exception e) => e switch
    {
        WorkflowException w => w.MessageEn,
        BpmnParseException p => p.MessageEn,
        VariableValueException v => v.MessageEn,
        ExpressionException x => x.MessageEn,
        _ => e.Message,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Dry run of {ProcessId} failed unexpectedly")]
    private partial void LogFailed(Exception exception, string processId);

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

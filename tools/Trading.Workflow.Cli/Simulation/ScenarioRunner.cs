using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Cli.Logging;
using Trading.Workflow.Cli.Output;
using Trading.Workflow.Cli.Validation;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Validation;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Cli.Simulation;

/// <summary>
/// <c>simulate SCENARIO.json</c>: deploys the scenario's BPMN files on a fresh in-memory engine with a simulated
/// clock and runs the steps, one JSON line per step on stdout (engine log lines go to stderr).
/// </summary>
public sealed class ScenarioRunner : IAsyncDisposable
{
    public const int ExitPassed = 0;
    public const int ExitFailed = 1;
    public const int ExitUnusable = 2;

    /// <summary>Guard against a cycle timer that would fire forever within one advance.</summary>
    private const int MaxFiringsPerAdvance = 100_000;

    private readonly SimulatedClock _clock;
    private readonly ServiceProvider _services;
    private readonly IWorkflowEngine _engine;
    private readonly TextWriter _stdout;

    private ScenarioRunner(Scenario scenario, TextWriter stdout, TextWriter stderr)
    {
        _clock = new SimulatedClock(scenario.Now, ChinaTimeZone());
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .ClearProviders()
            .SetMinimumLevel(LogLevel.Information)
            .AddProvider(new TextWriterLoggerProvider(stderr, LogLevel.Information)));
        services.AddSingleton<TimeProvider>(_clock);
        services.AddWorkingDayCalendar();
        services.AddWorkflowEngine(options => options.UnknownHandlersAreNoOps = true);
        _services = services.BuildServiceProvider();
        _engine = _services.GetRequiredService<IWorkflowEngine>();
        _stdout = stdout;
    }

    /// <summary>Runs the scenario file; returns <see cref="ExitPassed"/>, <see cref="ExitFailed"/> or <see cref="ExitUnusable"/>.</summary>
    public static async Task<int> RunAsync(string scenarioPath, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        Scenario scenario;
        var definitions = new List<BpmnDefinitions>();
        try
        {
            scenario = ScenarioReader.Load(scenarioPath);
            foreach (var file in scenario.Files)
            {
                definitions.Add(Parse(file));
            }

            Validate(definitions, stderr);
        }
        catch (ScenarioException e)
        {
            JsonLines.Write(stdout, writer =>
            {
                writer.WriteString("scenario", scenarioPath);
                writer.WriteBoolean("ok", false);
                writer.WriteString("error", e.Message);
                writer.WriteString("errorZh", e.MessageZh);
            });
            return ExitUnusable;
        }

        await using var runner = new ScenarioRunner(scenario, stdout, stderr);
        try
        {
            // One set: a file may call a process of a file listed after it.
            await runner._engine.DeploySetAsync(definitions, "simulation", cancellationToken);
        }
        catch (WorkflowException e)
        {
            JsonLines.Write(stdout, writer =>
            {
                writer.WriteString("scenario", scenarioPath);
                writer.WriteBoolean("ok", false);
                writer.WriteString("error", $"Deployment failed: {e.MessageEn}");
                writer.WriteString("errorZh", $"部署失败：{e.MessageZh}");
            });
            return ExitUnusable;
        }

        var passed = true;
        foreach (var step in scenario.Steps)
        {
            passed &= await runner.RunStepAsync(step, cancellationToken);
        }

        return passed ? ExitPassed : ExitFailed;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static BpmnDefinitions Parse(string file)
    {
        try
        {
            return BpmnParser.ParseFile(file);
        }
        catch (BpmnParseException e)
        {
            throw new ScenarioException($"无法解析 {file}：{e.MessageZh}", $"Cannot parse '{file}': {e.MessageEn}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException($"无法读取 {file}：{e.Message}", $"Cannot read '{file}': {e.Message}", e);
        }
    }

    /// <summary>Refuses definitions with errors up front; unknown handlers are not errors here, they run as no-ops.</summary>
    private static void Validate(IReadOnlyList<BpmnDefinitions> definitions, TextWriter stderr)
    {
        var context = EngineValidation.CreateContext(knownHandlers: null, new HashSet<string>(StringComparer.Ordinal));
        var errors = new List<ValidationProblem>();
        foreach (var problem in BpmnValidator.ValidateSet(definitions, context).SelectMany(p => p))
        {
            if (problem.Severity == ValidationSeverity.Error)
            {
                errors.Add(problem);
            }
            else
            {
                stderr.WriteLine($"warn: {problem.ProcessId}/{problem.ElementId} {problem.Code}: {problem.MessageEn}");
            }
        }

        if (errors.Count > 0)
        {
            throw new ScenarioException(
                "流程定义有错误，无法模拟：" + string.Join("；", errors.Select(p => $"{p.ElementId ?? p.ProcessId}: {p.MessageZh}")),
                "The definitions have errors and cannot be simulated: " + string.Join("; ", errors.Select(p => $"{p.ElementId ?? p.ProcessId}: {p.MessageEn}")));
        }
    }

    private static TimeZoneInfo ChinaTimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("UTC+08", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
        }
    }

    // ------------------------------------------------------------------ steps

    private async Task<bool> RunStepAsync(ScenarioStep step, CancellationToken cancellationToken)
    {
        var outcome = step switch
        {
            ExpectTasksStep expect => await ExpectTasksAsync(expect, cancellationToken),
            ExpectEndedStep expect => await ExpectEndedAsync(expect, cancellationToken),
            ExpectTimersStep expect => await ExpectTimersAsync(expect, cancellationToken),
            _ => await RunActionAsync(step, cancellationToken),
        };
        await WriteReportAsync(step, outcome, cancellationToken);
        return outcome.Ok;
    }

    private async Task<StepOutcome> RunActionAsync(ScenarioStep step, CancellationToken cancellationToken)
    {
        var before = step.ExpectFailure ? await SnapshotAsync(cancellationToken) : null;
        Exception? rejection;
        var fired = 0;
        try
        {
            fired = await ExecuteAsync(step, cancellationToken);
            rejection = null;
        }
        catch (Exception e) when (IsRejection(e))
        {
            rejection = e;
        }
        catch (Exception e)
        {
            return StepOutcome.Failed(
                $"内部错误（{e.GetType().Name}）：{e.Message}",
                $"Unexpected internal error ({e.GetType().Name}): {e.Message}") with { Fired = fired };
        }

        if (!step.ExpectFailure)
        {
            return rejection is null
                ? StepOutcome.Passed with { Fired = fired }
                : StepOutcome.Failed(MessageZh(rejection), MessageEn(rejection)) with { Fired = fired };
        }

        if (rejection is null)
        {
            return StepOutcome.Failed("预期该操作被拒绝，但它成功了", "Expected the action to be rejected, but it succeeded.") with { Fired = fired };
        }

        var after = await SnapshotAsync(cancellationToken);
        if (after != before)
        {
            return StepOutcome.Failed(
                $"操作按预期被拒绝（{MessageZh(rejection)}），但状态被改变了",
                $"The action was rejected as expected ({MessageEn(rejection)}), but the state changed.");
        }

        // Expected and got a rejection: the step holds; the rejection is reported for the reader.
        return StepOutcome.Passed with { Rejection = rejection };
    }

    /// <summary>Runs one action; returns how many timers it fired (advance only).</summary>
    private async Task<int> ExecuteAsync(ScenarioStep step, CancellationToken cancellationToken)
    {
        switch (step)
        {
            case StartStep start:
                await _engine.StartAsync(new StartInstanceRequest(start.ProcessId) { BusinessKey = start.BusinessKey, Variables = start.Variables }, cancellationToken);
                break;
            case CompleteStep complete:
                var task = await FindOldestOpenTaskAsync(complete.Task, cancellationToken)
                    ?? throw new SimulationRejectedException(
                        $"没有名称或定义 ID 为 {complete.Task} 的待办任务",
                        $"No open task is named '{complete.Task}' or has that definition id.");
                await _engine.CompleteTaskAsync(task.Id, complete.Variables, "simulation", cancellationToken);
                break;
            case MessageStep message:
                await _engine.CorrelateMessageAsync(
                    new MessageCorrelation(message.MessageName) { CorrelationKey = message.CorrelationKey, BusinessKey = message.BusinessKey, Variables = message.Variables, UserId = "simulation" },
                    cancellationToken);
                break;
            case SignalStep signal:
                await _engine.BroadcastSignalAsync(signal.SignalName, signal.Variables, "simulation", cancellationToken);
                break;
            case AdvanceStep advance:
                return await AdvanceAsync(advance.By.AddTo(_clock.GetUtcNow()), cancellationToken);
            default:
                throw new InvalidOperationException($"Unknown step type {step.GetType().Name}.");
        }

        await RunDueJobsAsync(cancellationToken);
        return 0;
    }

    /// <summary>
    /// Moves the clock to <paramref name="target"/> in stages: to each due timer or job in due order, firing it at
    /// its own due time (so timers it creates are due relative to that time), then to the target.
    /// </summary>
    private async Task<int> AdvanceAsync(DateTimeOffset target, CancellationToken cancellationToken)
    {
        var fired = 0;
        var failedTimers = new HashSet<Guid>();
        WorkflowException? firstFailure = null;
        for (var guard = 0; ; guard++)
        {
            if (guard == MaxFiringsPerAdvance)
            {
                throw new SimulationRejectedException(
                    $"一次推进中触发了超过 {MaxFiringsPerAdvance} 次定时器或作业，疑似无限循环",
                    $"More than {MaxFiringsPerAdvance} timers or jobs fired within one advance; probably an endless cycle.");
            }

            var activeInstances = (await _engine.GetInstancesAsync(new InstanceQuery { State = InstanceState.Active }, cancellationToken))
                .Select(i => i.Id)
                .ToHashSet();
            var timer = (await _engine.GetTimersAsync(null, cancellationToken))
                .FirstOrDefault(t => t.Due <= target && !failedTimers.Contains(t.Id) && (t.InstanceId is not { } id || activeInstances.Contains(id)));
            var job = (await _engine.GetJobsAsync(null, cancellationToken))
                .Where(j => j.Due <= target && j.RetriesLeft > 0 && activeInstances.Contains(j.InstanceId))
                .MinBy(j => j.Due);
            if (timer is null && job is null)
            {
                break;
            }

            if (timer is not null && (job is null || timer.Due <= job.Due))
            {
                _clock.MoveTo(timer.Due);
                try
                {
                    await _engine.FireTimerAsync(timer.Id, cancellationToken);
                    fired++;
                }
                catch (WorkflowException e)
                {
                    // As FireDueTimersAsync does: the failed timer stays pending, the others still fire.
                    failedTimers.Add(timer.Id);
                    firstFailure ??= e;
                }
            }
            else
            {
                _clock.MoveTo(job!.Due);
            }

            await RunDueJobsAsync(cancellationToken);
        }

        _clock.MoveTo(target);
        await RunDueJobsAsync(cancellationToken);
        if (firstFailure is not null)
        {
            throw firstFailure;
        }

        return fired;
    }

    /// <summary>Async jobs run as soon as the simulated clock allows; a failing job retries later or opens an incident.</summary>
    private async Task RunDueJobsAsync(CancellationToken cancellationToken)
    {
        for (var guard = 0; guard < MaxFiringsPerAdvance; guard++)
        {
            if (await _engine.ExecuteDueJobsAsync(cancellationToken) == 0)
            {
                return;
            }
        }
    }

    private async Task<StepOutcome> ExpectTasksAsync(ExpectTasksStep step, CancellationToken cancellationToken)
    {
        var actual = (await OpenTasksAsync(cancellationToken)).Select(TaskName).ToList();
        var missing = MultisetMinus(step.Names, actual);
        var unexpected = MultisetMinus(actual, step.Names);
        if (missing.Count == 0 && unexpected.Count == 0)
        {
            return StepOutcome.Passed;
        }

        var expectedText = string.Join(", ", step.Names);
        var actualText = string.Join(", ", actual);
        return StepOutcome.Failed(
            $"预期待办任务 [{expectedText}]，实际为 [{actualText}]（缺少：[{string.Join(", ", missing)}]，多出：[{string.Join(", ", unexpected)}]）",
            $"Expected open tasks [{expectedText}] but found [{actualText}] (missing: [{string.Join(", ", missing)}], unexpected: [{string.Join(", ", unexpected)}]).");
    }

    private async Task<StepOutcome> ExpectEndedAsync(ExpectEndedStep step, CancellationToken cancellationToken)
    {
        var running = (await RunningInstancesAsync(cancellationToken)).Count;
        if ((running == 0) == step.Ended)
        {
            return StepOutcome.Passed;
        }

        return step.Ended
            ? StepOutcome.Failed($"预期所有流程实例已结束，但仍有 {running} 个未结束", $"Expected every instance to have ended, but {running} still active.")
            : StepOutcome.Failed("预期仍有未结束的流程实例，但全部已结束", "Expected an active instance, but every instance has ended.");
    }

    private async Task<StepOutcome> ExpectTimersAsync(ExpectTimersStep step, CancellationToken cancellationToken)
    {
        var pending = (await _engine.GetTimersAsync(null, cancellationToken)).Count;
        return pending == step.Count
            ? StepOutcome.Passed
            : StepOutcome.Failed($"预期 {step.Count} 个待触发定时器，实际 {pending} 个", $"Expected {step.Count} pending timers, found {pending}.");
    }

    // ------------------------------------------------------------------ state

    /// <summary>
    /// Open tasks of every instance, oldest first. Tasks made at the same simulated instant (one command, or
    /// commands between two advances) are ordered by id: the engine's ids increase strictly in creation order.
    /// </summary>
    private async Task<IReadOnlyList<UserTaskInfo>> OpenTasksAsync(CancellationToken cancellationToken)
    {
        var tasks = await _engine.GetTasksAsync(new TaskQuery(), cancellationToken);
        return tasks.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToList();
    }

    private async Task<UserTaskInfo?> FindOldestOpenTaskAsync(string nameOrElementId, CancellationToken cancellationToken) =>
        (await OpenTasksAsync(cancellationToken)).FirstOrDefault(t => t.Name == nameOrElementId || t.ElementId == nameOrElementId);

    private async Task<IReadOnlyList<ProcessInstanceInfo>> RunningInstancesAsync(CancellationToken cancellationToken) =>
        (await _engine.GetInstancesAsync(new InstanceQuery(), cancellationToken))
            .Where(i => i.State is InstanceState.Active or InstanceState.Suspended)
            .ToList();

    /// <summary>Everything an action may change, as one comparable text.</summary>
    private async Task<string> SnapshotAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        foreach (var i in await _engine.GetInstancesAsync(new InstanceQuery(), cancellationToken))
        {
            lines.Add($"instance {i.Id} {i.State} v{i.Version} [{string.Join(",", i.ActiveElementIds)}] {VariableJson.SerializeVariables(await _engine.GetVariablesAsync(i.Id, cancellationToken))}");
        }

        foreach (var t in await _engine.GetTasksAsync(new TaskQuery { OpenOnly = false }, cancellationToken))
        {
            lines.Add($"task {t.Id} {t.State} {t.Assignee}");
        }

        foreach (var t in await _engine.GetTimersAsync(null, cancellationToken))
        {
            lines.Add($"timer {t.Id} {t.Due:O} {t.RepeatsLeft}");
        }

        foreach (var j in await _engine.GetJobsAsync(null, cancellationToken))
        {
            lines.Add($"job {j.Id} {j.Due:O} {j.RetriesLeft}");
        }

        foreach (var s in await _engine.GetSubscriptionsAsync(null, cancellationToken))
        {
            lines.Add($"subscription {s.Id}");
        }

        foreach (var incident in await _engine.GetIncidentsAsync(null, cancellationToken))
        {
            lines.Add($"incident {incident.Id} {incident.ResolvedAt:O}");
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private async Task WriteReportAsync(ScenarioStep step, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var openTasks = await OpenTasksAsync(cancellationToken);
        var running = await RunningInstancesAsync(cancellationToken);
        var timers = await _engine.GetTimersAsync(null, cancellationToken);
        var incidents = (await _engine.GetIncidentsAsync(null, cancellationToken)).Count(i => i.ResolvedAt is null);
        JsonLines.Write(_stdout, writer =>
        {
            writer.WriteNumber("index", step.Index);
            writer.WritePropertyName("step");
            step.Json.WriteTo(writer);
            writer.WriteBoolean("ok", outcome.Ok);
            writer.WriteString("now", Local(_clock.GetUtcNow()));
            writer.WriteStartArray("openTasks");
            foreach (var task in openTasks)
            {
                writer.WriteStringValue(TaskName(task));
            }

            writer.WriteEndArray();
            writer.WriteNumber("activeInstances", running.Count);
            writer.WriteNumber("pendingTimers", timers.Count);
            if (timers.Count > 0)
            {
                // Helps writing the next advance: when the earliest pending timer is due, in the scenario's time zone.
                writer.WriteString("nextTimerDue", Local(timers.Min(t => t.Due)));
            }
            if (step is AdvanceStep)
            {
                writer.WriteNumber("firedTimers", outcome.Fired);
            }

            if (incidents > 0)
            {
                writer.WriteNumber("openIncidents", incidents);
            }

            if (outcome.Rejection is { } rejection)
            {
                writer.WriteString("rejectedWith", MessageEn(rejection));
                writer.WriteString("rejectedWithZh", MessageZh(rejection));
            }

            writer.WriteString("error", outcome.ErrorEn);
            if (outcome.ErrorZh is not null)
            {
                writer.WriteString("errorZh", outcome.ErrorZh);
            }
        });
    }

    private string Local(DateTimeOffset instant) =>
        instant.ToOffset(_clock.LocalTimeZone.GetUtcOffset(instant)).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    private static string TaskName(UserTaskInfo task) => task.Name ?? task.ElementId;

    private static List<string> MultisetMinus(IEnumerable<string> left, IEnumerable<string> right)
    {
        var remaining = right.GroupBy(x => x, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var item in left)
        {
            if (remaining.TryGetValue(item, out var count) && count > 0)
            {
                remaining[item] = count - 1;
            }
            else
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary>Errors that mean "the engine (or the simulation) refused the action", as opposed to a defect.</summary>
    private static bool IsRejection(Exception e) =>
        e is WorkflowException or SimulationRejectedException or VariableValueException or ExpressionException or BpmnError;

    private static string MessageEn(Exception e) => e switch
    {
        WorkflowException w => $"{w.Code}: {w.MessageEn}",
        SimulationRejectedException s => s.Message,
        VariableValueException v => v.MessageEn,
        ExpressionException x => x.MessageEn,
        _ => e.Message,
    };

    private static string MessageZh(Exception e) => e switch
    {
        WorkflowException w => $"{w.Code}: {w.MessageZh}",
        SimulationRejectedException s => s.MessageZh,
        VariableValueException v => v.MessageZh,
        ExpressionException x => x.MessageZh,
        _ => e.Message,
    };

    private sealed record StepOutcome(bool Ok, string? ErrorZh, string? ErrorEn)
    {
        public static readonly StepOutcome Passed = new(true, null, null);

        public int Fired { get; init; }

        public Exception? Rejection { get; init; }

        public static StepOutcome Failed(string zh, string en) => new(false, zh, en);
    }
}

/// <summary>The simulation itself refused an action (no matching task, an endless timer cycle).</summary>
public sealed class SimulationRejectedException(string messageZh, string messageEn) : Exception(messageEn)
{
    public string MessageZh { get; } = messageZh;
}

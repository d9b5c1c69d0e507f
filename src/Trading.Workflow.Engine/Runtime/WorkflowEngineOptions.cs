using Microsoft.Extensions.Options;

namespace Trading.Workflow.Engine.Runtime;

public sealed class WorkflowEngineOptions
{
    public const string SectionName = "Workflow:Engine";

    /// <summary>Attempts of an async job before an incident opens. Default 3.</summary>
    public int DefaultJobRetries { get; set; } = 3;

    /// <summary>Wait before a failed job is tried again. Default 10 seconds.</summary>
    public TimeSpan JobRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When true, a service task whose handler is not registered passes through (logged) instead of failing the
    /// command: for simulation and dry runs only.
    /// </summary>
    public bool UnknownHandlersAreNoOps { get; set; }

    /// <summary>Guard against endless loops in one command (a cycle without a wait state). Default 100,000 steps.</summary>
    public int MaxStepsPerCommand { get; set; } = 100_000;

    /// <summary>Most timers or jobs one FireDueTimers/ExecuteDueJobs call handles. Default 10,000.</summary>
    public int MaxDueBatch { get; set; } = 10_000;

    /// <summary>Run the validator before deploying and refuse definitions with errors. Default true.</summary>
    public bool ValidateOnDeploy { get; set; } = true;

    /// <summary>
    /// Candidate roles of a user task whose model names no assignee, candidate user or candidate role (as Camunda
    /// Modeler leaves a task by default), so an imported model runs unchanged: the task is unassigned and anyone
    /// in these roles may claim it. The host chooses the roles (the platform: its trading-centre staff). Default
    /// none: such a task is created with no candidates and only a query over all tasks finds it.
    /// </summary>
    public IList<string> DefaultCandidateRoles { get; set; } = [];

    /// <summary>Priority of a user task without one. Default 50 (as Camunda).</summary>
    public int DefaultTaskPriority { get; set; } = 50;

    /// <summary>
    /// What the engine records as history (as Camunda 7's historyLevel). Default <see cref="HistoryLevel.Full"/>:
    /// everything. Lower levels are for simulation and load runs that do not need an audit trail.
    /// </summary>
    public HistoryLevel HistoryLevel { get; set; } = HistoryLevel.Full;
}

/// <summary>How much history the engine records.</summary>
public enum HistoryLevel
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>Everything except variable changes (Camunda's "activity").</summary>
    Activity,

    /// <summary>Everything (default).</summary>
    Full,
}

/// <summary>Checks the engine options when they are first used; a bad value fails with a message naming the setting.</summary>
internal sealed class WorkflowEngineOptionsValidator : IValidateOptions<WorkflowEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkflowEngineOptions options)
    {
        var failures = new List<string>();
        if (options.DefaultJobRetries is < 1 or > 100)
        {
            failures.Add($"{WorkflowEngineOptions.SectionName}:{nameof(options.DefaultJobRetries)} must be between 1 and 100 (was {options.DefaultJobRetries}).");
        }

        if (options.JobRetryDelay < TimeSpan.Zero)
        {
            failures.Add($"{WorkflowEngineOptions.SectionName}:{nameof(options.JobRetryDelay)} must not be negative.");
        }

        if (options.MaxStepsPerCommand < 100)
        {
            failures.Add($"{WorkflowEngineOptions.SectionName}:{nameof(options.MaxStepsPerCommand)} must be at least 100 (was {options.MaxStepsPerCommand}).");
        }

        if (options.MaxDueBatch < 1)
        {
            failures.Add($"{WorkflowEngineOptions.SectionName}:{nameof(options.MaxDueBatch)} must be at least 1 (was {options.MaxDueBatch}).");
        }

        if (options.DefaultCandidateRoles.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{WorkflowEngineOptions.SectionName}:{nameof(options.DefaultCandidateRoles)} must not contain an empty role.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

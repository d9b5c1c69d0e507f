using System.ComponentModel.DataAnnotations;

namespace Trading.Workflow.Engine.Runtime;

public sealed class WorkflowEngineOptions
{
    public const string SectionName = "Workflow:Engine";

    /// <summary>Attempts of an async job before an incident opens. Default 3.</summary>
    [Range(1, 100)]
    public int DefaultJobRetries { get; set; } = 3;

    /// <summary>Wait before a failed job is tried again. Default 10 seconds.</summary>
    public TimeSpan JobRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When true, a service task whose handler is not registered passes through (logged) instead of failing the
    /// command: for simulation and dry runs only.
    /// </summary>
    public bool UnknownHandlersAreNoOps { get; set; }

    /// <summary>Guard against endless loops in one command (a cycle without a wait state). Default 100,000 steps.</summary>
    [Range(100, int.MaxValue)]
    public int MaxStepsPerCommand { get; set; } = 100_000;

    /// <summary>Most timers or jobs one FireDueTimers/ExecuteDueJobs call handles. Default 10,000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxDueBatch { get; set; } = 10_000;

    /// <summary>Run the validator before deploying and refuse definitions with errors. Default true.</summary>
    public bool ValidateOnDeploy { get; set; } = true;

    /// <summary>Priority of a user task without one. Default 50 (as Camunda).</summary>
    public int DefaultTaskPriority { get; set; } = 50;
}

namespace Trading.Workflow.Domain.Evaluation;

/// <summary>Section <c>Evaluation</c>: how long an evaluation runs and how far a granted request for more time moves it.</summary>
public sealed class EvaluationOptions
{
    public const string SectionName = "Evaluation";

    /// <summary>From the opening of the evaluation to its due time (default 1 day).</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How far the due time moves when more than a third of the members ask for more time (default 1 day).</summary>
    public TimeSpan Extension { get; set; } = TimeSpan.FromDays(1);

    public IEnumerable<string> Problems()
    {
        if (Duration <= TimeSpan.Zero)
        {
            yield return "Evaluation:Duration must be positive.";
        }

        if (Extension <= TimeSpan.Zero)
        {
            yield return "Evaluation:Extension must be positive.";
        }
    }
}

/// <summary>Who acts: the user name, the platform roles and the centre of staff.</summary>
public sealed record EvaluationActor(string UserName, IReadOnlyCollection<string> Roles, Guid? CentreId)
{
    public bool IsSupervisor => Roles.Contains(Accounts.PlatformRoles.Supervisor);

    public bool IsStaff => Roles.Contains(Accounts.PlatformRoles.Staff);
}

/// <summary>The process variables the evaluation's service tasks read and set.</summary>
public static class EvaluationVariables
{
    /// <summary>Out of <c>evaluation.open</c> (and reset by <c>evaluation.aggregate</c>): the members' user names, the multi-instance collection.</summary>
    public const string Evaluators = "evaluators";

    /// <summary>The element variable of the multi-instance tasks: one member's user name.</summary>
    public const string Evaluator = "evaluator";

    /// <summary>Out of <c>evaluation.open</c>: the evaluation's id.</summary>
    public const string EvaluationId = "evaluationId";

    /// <summary>Out of <c>evaluation.open</c>, moved by extensions: the evaluation's due time (ISO 8601 UTC).</summary>
    public const string EvaluationDue = "evaluationDue";

    /// <summary>In (optional) of <c>evaluation.open</c>: the committee id the experts part correlated.</summary>
    public const string CommitteeId = "committeeId";

    /// <summary>Out of <c>evaluation.aggregate</c>: the chair's user name (assignee of the report task).</summary>
    public const string Chair = "evaluationChair";

    /// <summary>Out of <c>evaluation.close</c>: ranked candidates over all sections (≤ 3 per section).</summary>
    public const string CandidateCount = "candidateCount";

    /// <summary>Out of <c>evaluation.close</c>: the confirmed report's id (= the evaluation id).</summary>
    public const string ReportId = "evaluationReportId";
}

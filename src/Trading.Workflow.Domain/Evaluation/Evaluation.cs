namespace Trading.Workflow.Domain.Evaluation;

public enum EvaluationState
{
    /// <summary>Members review and score in their own workbench.</summary>
    Scoring,

    /// <summary>Every sheet is in and aggregated: the chair writes the report.</summary>
    Reporting,

    /// <summary>The report is written: every member confirms it (or dissents).</summary>
    Confirming,

    /// <summary>Every member answered: the report is final and readable by the parties.</summary>
    Confirmed,
}

/// <summary>
/// The evaluation (评标) of one project's opened sections by its committee (tr_evaluations): the method locked when it
/// opened, the decrypted bids as they were taken from the opening, the due time (moved when more than a third of the
/// members ask for more time, 条例 48), the aggregated results, the chair's summary, and when every member confirmed.
/// </summary>
public sealed class Evaluation
{
    public const int MaxSummaryLength = 8000;

    private List<EvaluatedSection> _sections = [];
    private List<SectionOutcome> _outcomes = [];

    private Evaluation()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public string ProjectCode { get; private set; } = string.Empty;

    public string ProjectName { get; private set; } = string.Empty;

    public Guid CentreId { get; private set; }

    public Guid CommitteeId { get; private set; }

    public Guid? InstanceId { get; private set; }

    public EvaluationMethod Method { get; private set; } = EvaluationMethod.LowestPrice();

    public IReadOnlyList<EvaluatedSection> Sections
    {
        get => _sections;
        private set => _sections = [.. value];
    }

    public EvaluationState State { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset DueAt { get; private set; }

    public int Extensions { get; private set; }

    public IReadOnlyList<SectionOutcome> Outcomes
    {
        get => _outcomes;
        private set => _outcomes = [.. value];
    }

    public DateTimeOffset? AggregatedAt { get; private set; }

    public string? ChairUserName { get; private set; }

    public string? Summary { get; private set; }

    public DateTimeOffset? ReportWrittenAt { get; private set; }

    public DateTimeOffset? ConfirmedAt { get; private set; }

    public int Version { get; private set; }

    public static Evaluation Open(
        Guid projectId, string projectCode, string projectName, Guid centreId, Guid committeeId, Guid? instanceId, EvaluationMethod method,
        IReadOnlyList<EvaluatedSection> sections, DateTimeOffset now, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (sections.Count == 0 || sections.All(s => s.Bids.Count == 0))
        {
            throw new DomainRuleException(EvaluationRules.NoOpenedBids, "No section of this project has a decrypted bid to evaluate.");
        }

        return new Evaluation
        {
            Id = Guid.CreateVersion7(now),
            ProjectId = projectId,
            ProjectCode = projectCode,
            ProjectName = projectName,
            CentreId = centreId,
            CommitteeId = committeeId,
            InstanceId = instanceId,
            Method = method,
            _sections = [.. sections],
            State = EvaluationState.Scoring,
            StartedAt = now,
            DueAt = now + duration,
            Version = 1,
        };
    }

    public EvaluatedBid? Bid(Guid bidId) => _sections.SelectMany(s => s.Bids).FirstOrDefault(b => b.BidId == bidId);

    public void Require(EvaluationState state, string rule, string message)
    {
        if (State != state)
        {
            throw new DomainRuleException(rule, message);
        }
    }

    /// <summary>More than a third of the active members asked for more time: the due time moves (条例 48).</summary>
    public static bool ExtensionDue(int asking, int activeMembers) => asking * 3 > activeMembers;

    public void Extend(TimeSpan by)
    {
        Require(EvaluationState.Scoring, EvaluationRules.NotScoring, "Only an evaluation under way is extended.");
        DueAt += by;
        Extensions++;
        Version++;
    }

    /// <summary>Every active member submitted: the results are aggregated and the first active member chairs.</summary>
    public void Aggregate(IReadOnlyList<SectionOutcome> outcomes, string chairUserName, DateTimeOffset now)
    {
        Require(EvaluationState.Scoring, EvaluationRules.NotScoring, "This evaluation is not scoring.");
        _outcomes = [.. outcomes];
        ChairUserName = chairUserName;
        AggregatedAt = now;
        State = EvaluationState.Reporting;
        Version++;
    }

    public void WriteReport(string summary, DateTimeOffset now)
    {
        Require(EvaluationState.Reporting, EvaluationRules.NotConfirming, "The report is written once, after the results are aggregated.");
        var text = summary?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxSummaryLength)
        {
            throw new DomainRuleException(EvaluationRules.SummaryRequired, $"The report needs a summary of at most {MaxSummaryLength} characters.");
        }

        Summary = text;
        ReportWrittenAt = now;
        State = EvaluationState.Confirming;
        Version++;
    }

    public void Confirm(DateTimeOffset now)
    {
        Require(EvaluationState.Confirming, EvaluationRules.NotConfirming, "The report is not waiting for confirmations.");
        ConfirmedAt = now;
        State = EvaluationState.Confirmed;
        Version++;
    }

    /// <summary>The number of ranked candidates recommended in all sections (≤ 3 per section).</summary>
    public int CandidateCount => _outcomes.Sum(o => o.Candidates(Method.CandidateCount).Count);
}

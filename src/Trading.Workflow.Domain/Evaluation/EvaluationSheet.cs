using System.Text.Json.Serialization;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Openings;

namespace Trading.Workflow.Domain.Evaluation;

/// <summary>A decrypted item of a bid as the committee sees it (read through the opening's store, never copied).</summary>
public sealed record EvaluatedBidItem(Guid ItemId, string Name, string Kind, string PlaintextSm3, long Length);

/// <summary>An opened bid as taken from its decrypted bid letter when the evaluation opened; never typed in.</summary>
/// <param name="Deposit">
/// The bidder's deposit as the section's signed opening record states it (<see cref="OpeningRecordEntry.Deposit"/>): a
/// <see cref="DepositState"/> name, or None when the section asked no deposit; null when not stated (no signed record,
/// or an evaluation opened before the field was carried).
/// </param>
public sealed record EvaluatedBid(
    Guid BidId, Guid SectionId, Guid EntityId, string EntityName, decimal Price, int DurationDays, string Quality, string Remarks,
    IReadOnlyList<EvaluatedBidItem> Items, string? Deposit = null)
{
    /// <summary>The record says a deposit was asked and not (fully) paid by the deadline: the bid does not respond (条例 51 (六)).</summary>
    [JsonIgnore]
    public bool DepositUnpaid => Deposit is nameof(DepositState.AwaitingPayment) or nameof(DepositState.PartlyPaid);
}

/// <summary>One opened section under evaluation with its decrypted bids in order of arrival.</summary>
public sealed record EvaluatedSection(Guid SectionId, string Code, string Subject, Guid OpeningSessionId, IReadOnlyList<EvaluatedBid> Bids)
{
    /// <summary>Whether the bid's price lies further below the average of the others than the method allows.</summary>
    public bool PossiblyBelowCost(EvaluationMethod method, EvaluatedBid bid) =>
        PriceScoring.PossiblyBelowCost(method, bid.Price, [.. Bids.Where(b => b.BidId != bid.BidId).Select(b => b.Price)]);
}

public enum QualificationVerdict
{
    /// <summary>Not reviewed yet (a draft).</summary>
    Pending,

    /// <summary>Passes the qualification and responsiveness review.</summary>
    Pass,

    /// <summary>Rejected (否决) on one of the 7 grounds of 条例 51.</summary>
    Reject,
}

/// <summary>One member's review of one bid: the verdict, the ground of a rejection, a note, the criteria scores.</summary>
public sealed record BidReview(Guid BidId, QualificationVerdict Verdict, RejectionReason? Reason, string? Note, IReadOnlyDictionary<string, decimal> Scores)
{
    public const int MaxNoteLength = 2000;
}

public enum SheetState
{
    Draft,
    Submitted,

    /// <summary>The member was replaced (条例 48): this work no longer counts.</summary>
    Voided,
}

/// <summary>
/// One member's evaluation sheet (评分表, tr_evaluation_sheets): a draft saved as often as wished, locked once
/// submitted, voided when the member is replaced. Every review is checked against the method and the bids on save.
/// </summary>
public sealed class EvaluationSheet
{
    private List<BidReview> _reviews = [];

    private EvaluationSheet()
    {
    }

    public Guid Id { get; private set; }

    public Guid EvaluationId { get; private set; }

    public Guid MemberId { get; private set; }

    public SheetState State { get; private set; }

    public IReadOnlyList<BidReview> Reviews
    {
        get => _reviews;
        private set => _reviews = [.. value];
    }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? SubmittedAt { get; private set; }

    public int Version { get; private set; }

    public static EvaluationSheet Start(Guid evaluationId, Guid memberId, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), EvaluationId = evaluationId, MemberId = memberId, State = SheetState.Draft, UpdatedAt = now, Version = 1 };

    public BidReview? ReviewOf(Guid bidId) => _reviews.FirstOrDefault(r => r.BidId == bidId);

    /// <summary>Saves the draft after checking each review (scores within their maximum, a ground for each rejection).</summary>
    public void Save(IReadOnlyList<BidReview> reviews, EvaluationMethod method, IReadOnlyList<EvaluatedSection> sections, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reviews);
        RequireDraft();
        var bids = sections.SelectMany(s => s.Bids.Select(b => (Section: s, Bid: b))).ToDictionary(x => x.Bid.BidId);
        var checkedReviews = new List<BidReview>();
        foreach (var review in reviews.GroupBy(r => r.BidId).Select(g => g.Last()))
        {
            if (!bids.TryGetValue(review.BidId, out var bid))
            {
                throw new DomainRuleException(EvaluationRules.UnknownBid, $"Bid {review.BidId} is not under evaluation.");
            }

            checkedReviews.Add(Check(review, method, bid.Section, bid.Bid));
        }

        _reviews = checkedReviews;
        UpdatedAt = now;
        Version++;
    }

    /// <summary>Submits and locks: every bid reviewed, and every criterion scored for each bid the member passes.</summary>
    public void Submit(EvaluationMethod method, IReadOnlyList<EvaluatedSection> sections, DateTimeOffset now)
    {
        RequireDraft();
        foreach (var bid in sections.SelectMany(s => s.Bids))
        {
            var review = ReviewOf(bid.BidId);
            if (review is null || review.Verdict == QualificationVerdict.Pending)
            {
                throw new DomainRuleException(EvaluationRules.SheetIncomplete, $"The bid of {bid.EntityName} is not reviewed yet.");
            }

            if (review.Verdict == QualificationVerdict.Pass && method.Criteria.Any(c => !review.Scores.ContainsKey(c.Code)))
            {
                throw new DomainRuleException(EvaluationRules.SheetIncomplete, $"Score every criterion of the bid of {bid.EntityName}.");
            }
        }

        State = SheetState.Submitted;
        SubmittedAt = now;
        UpdatedAt = now;
        Version++;
    }

    public void Void(DateTimeOffset now)
    {
        State = SheetState.Voided;
        UpdatedAt = now;
        Version++;
    }

    private void RequireDraft()
    {
        if (State != SheetState.Draft)
        {
            throw new DomainRuleException(EvaluationRules.SheetSubmitted, State == SheetState.Voided
                ? "This sheet was voided when its member was replaced."
                : "This sheet is submitted and locked.");
        }
    }

    /// <summary>The rules one review obeys; scores are kept only for a passed bid.</summary>
    public static BidReview Check(BidReview review, EvaluationMethod method, EvaluatedSection section, EvaluatedBid bid)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(method);
        var note = review.Note?.Trim();
        if (note?.Length > BidReview.MaxNoteLength)
        {
            throw new DomainRuleException(EvaluationRules.SheetIncomplete, $"A note has at most {BidReview.MaxNoteLength} characters.");
        }

        if (review.Verdict == QualificationVerdict.Reject)
        {
            if (review.Reason is not { } reason || !Enum.IsDefined(reason))
            {
                throw new DomainRuleException(EvaluationRules.RejectionReasonRequired, "A rejection names one of the grounds of 条例 51.");
            }

            return review with { Note = note, Scores = new Dictionary<string, decimal>() };
        }

        if (review.Verdict == QualificationVerdict.Pass && bid.DepositUnpaid)
        {
            throw new DomainRuleException(EvaluationRules.DepositUnpaid,
                $"The deposit of {bid.EntityName} was not paid by the bid deadline (opening record: {bid.Deposit}): the bid does not respond to the tender's substantive requirements and is rejected (条例 51 (六)).");
        }

        if (review.Verdict == QualificationVerdict.Pass && section.PossiblyBelowCost(method, bid) && string.IsNullOrEmpty(note))
        {
            throw new DomainRuleException(EvaluationRules.BelowCostNeedsNote,
                $"The price of {bid.EntityName} lies more than {method.BelowCostPercent}% below the others: passing it needs a note why it is not below cost.");
        }

        var scores = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (code, points) in review.Scores)
        {
            var criterion = method.Criterion(code)
                ?? throw new DomainRuleException(EvaluationRules.UnknownCriterion, $"'{code}' is not a criterion of this evaluation.");
            if (points < 0 || points > criterion.MaxPoints || decimal.Round(points, 2) != points)
            {
                throw new DomainRuleException(EvaluationRules.ScoreOutOfRange,
                    $"{criterion.Name}: {points} is outside 0–{criterion.MaxPoints} (at most two decimals).");
            }

            scores[code] = points;
        }

        return review with { Reason = null, Note = note, Scores = scores };
    }
}

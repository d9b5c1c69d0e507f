namespace Trading.Workflow.Domain.Evaluation;

/// <summary>What the committee concluded of one bid.</summary>
/// <param name="Rejections">How many members rejected it; <paramref name="Rejected"/> when more than half did.</param>
/// <param name="CriteriaScores">Average per criterion over the members who passed and scored it.</param>
public sealed record BidOutcome(
    Guid BidId, Guid EntityId, string EntityName, decimal Price, bool Rejected, RejectionReason? RejectionReason, int Rejections,
    decimal? PriceScore, IReadOnlyDictionary<string, decimal> CriteriaScores, decimal? Total, int? Rank, bool PossiblyBelowCost);

/// <summary>One section's aggregated result: base price (comprehensive scoring), every bid, the ranked candidates.</summary>
public sealed record SectionOutcome(Guid SectionId, string SectionCode, decimal? BasePrice, IReadOnlyList<BidOutcome> Bids)
{
    public IReadOnlyList<BidOutcome> Candidates(int count) =>
        [.. Bids.Where(b => b.Rank is not null).OrderBy(b => b.Rank).Take(Math.Min(count, EvaluationMethod.MaxCandidates))];
}

/// <summary>
/// The committee's aggregation of its members' submitted sheets (voided sheets never count):
/// <list type="bullet">
/// <item>A bid is rejected when more than half of the members who submitted rejected it: the committee decides by
/// majority (评标委员会 少数服从多数, 《评标委员会和评标方法暂行规定》), the dissenting minority records its view at the
/// report's confirmation (条例 53). The ground reported is the one most members named (ties: the lower number of 条例 51).</item>
/// <item>Comprehensive scoring: the base price is taken from the prices of the bids not rejected; each criterion's score
/// is the average of the members who passed and scored the bid (a member who rejected a bid the majority passed has no
/// score to give it); total = price score + criteria; ranked by total, then the lower price, then the earlier arrival.</item>
/// <item>Lowest evaluated price: the bids not rejected ranked by price, then the earlier arrival.</item>
/// </list>
/// Averages are rounded to two decimals.
/// </summary>
public static class EvaluationAggregation
{
    public static IReadOnlyList<SectionOutcome> Aggregate(EvaluationMethod method, IReadOnlyList<EvaluatedSection> sections, IReadOnlyList<EvaluationSheet> sheets)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(sections);
        var submitted = sheets.Where(s => s.State == SheetState.Submitted).ToList();
        return [.. sections.Select(section => AggregateSection(method, section, submitted))];
    }

    private static SectionOutcome AggregateSection(EvaluationMethod method, EvaluatedSection section, IReadOnlyList<EvaluationSheet> sheets)
    {
        var majority = sheets.Count / 2 + 1;
        var rows = new List<(EvaluatedBid Bid, int Order, int Rejections, RejectionReason? Reason, Dictionary<string, decimal> Criteria)>();
        var order = 0;
        foreach (var bid in section.Bids)
        {
            var reviews = sheets.Select(s => s.ReviewOf(bid.BidId)).OfType<BidReview>().ToList();
            var rejecting = reviews.Where(r => r.Verdict == QualificationVerdict.Reject && r.Reason is not null).ToList();
            var rejected = sheets.Count > 0 && rejecting.Count >= majority;
            var reason = rejected
                ? rejecting.GroupBy(r => r.Reason!.Value).OrderByDescending(g => g.Count()).ThenBy(g => (int)g.Key).First().Key
                : (RejectionReason?)null;
            var criteria = new Dictionary<string, decimal>(StringComparer.Ordinal);
            if (!rejected)
            {
                foreach (var criterion in method.Criteria)
                {
                    var given = reviews.Where(r => r.Verdict == QualificationVerdict.Pass && r.Scores.ContainsKey(criterion.Code))
                        .Select(r => r.Scores[criterion.Code]).ToList();
                    if (given.Count > 0)
                    {
                        criteria[criterion.Code] = decimal.Round(given.Average(), 2, MidpointRounding.AwayFromZero);
                    }
                }
            }

            rows.Add((bid, order++, rejecting.Count, reason, criteria));
        }

        var valid = rows.Where(r => r.Reason is null && sheets.Count > 0).ToList();
        decimal? basePrice = null;
        var totals = new Dictionary<Guid, (decimal? PriceScore, decimal? Total)>();
        if (method.Kind == EvaluationMethodKind.ComprehensiveScoring)
        {
            basePrice = PriceScoring.BasePrice(method, [.. valid.Select(v => v.Bid.Price)]);
            foreach (var row in valid)
            {
                var priceScore = PriceScoring.Score(method, row.Bid.Price, basePrice!.Value);
                totals[row.Bid.BidId] = (priceScore, priceScore + row.Criteria.Values.Sum());
            }
        }

        var ranked = method.Kind == EvaluationMethodKind.ComprehensiveScoring
            ? valid.OrderByDescending(v => totals[v.Bid.BidId].Total).ThenBy(v => v.Bid.Price).ThenBy(v => v.Order)
            : valid.OrderBy(v => v.Bid.Price).ThenBy(v => v.Order);
        var ranks = ranked.Select((v, i) => (v.Bid.BidId, Rank: i + 1)).ToDictionary(x => x.BidId, x => x.Rank);
        var outcomes = rows.Select(r =>
        {
            var score = totals.TryGetValue(r.Bid.BidId, out var t) ? t : (null, null);
            return new BidOutcome(r.Bid.BidId, r.Bid.EntityId, r.Bid.EntityName, r.Bid.Price, r.Reason is not null, r.Reason, r.Rejections,
                score.PriceScore, r.Criteria, score.Total, ranks.TryGetValue(r.Bid.BidId, out var rank) ? rank : null,
                section.PossiblyBelowCost(method, r.Bid));
        }).ToList();
        return new SectionOutcome(section.SectionId, section.Code, basePrice, outcomes);
    }
}

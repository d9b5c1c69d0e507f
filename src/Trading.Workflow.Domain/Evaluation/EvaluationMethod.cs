namespace Trading.Workflow.Domain.Evaluation;

/// <summary>The two engineering methods (招标投标法 41).</summary>
public enum EvaluationMethodKind
{
    /// <summary>综合评估法: price score by formula plus technical and commercial criteria.</summary>
    ComprehensiveScoring,

    /// <summary>经评审的最低投标价法: the lowest price among the bids that pass review, not below cost.</summary>
    LowestEvaluatedPrice,
}

/// <summary>How the base price (评标基准价) is taken from the valid prices.</summary>
public enum BasePriceFormula
{
    /// <summary>Average of the valid prices × (1 − K).</summary>
    AverageLessK,

    /// <summary>The lowest valid price.</summary>
    LowestValid,
}

public enum CriterionCategory
{
    Technical,
    Commercial,
}

/// <summary>A scored criterion (评分因素) with its maximum points.</summary>
public sealed record EvaluationCriterion(string Code, string Name, CriterionCategory Category, decimal MaxPoints);

/// <summary>
/// The evaluation method the tender documents set: for comprehensive scoring the price formula (base price, points
/// deducted per percent above and below it) and the criteria with their maxima, which together with the price's
/// maximum make 100 points; for both methods the margin below the average of the other bids at which a price is
/// marked as possibly below cost, and how many ranked candidates the committee recommends (1–3, 条例 53).
/// </summary>
public sealed record EvaluationMethod(
    EvaluationMethodKind Kind,
    BasePriceFormula Formula,
    decimal K,
    decimal PriceMaxPoints,
    decimal PointsPerPercentAbove,
    decimal PointsPerPercentBelow,
    IReadOnlyList<EvaluationCriterion> Criteria,
    decimal BelowCostPercent,
    int CandidateCount)
{
    public const int MaxCandidates = 3;
    public const decimal TotalPoints = 100m;
    public const int MaxCriteria = 30;

    /// <summary>A lowest-evaluated-price method: no criteria, no price score.</summary>
    public static EvaluationMethod LowestPrice(decimal belowCostPercent = 15m, int candidateCount = MaxCandidates) =>
        new(EvaluationMethodKind.LowestEvaluatedPrice, BasePriceFormula.LowestValid, 0m, 0m, 0m, 0m, [], belowCostPercent, candidateCount);

    /// <summary>Throws <see cref="EvaluationRules.MethodInvalid"/> naming the first problem.</summary>
    public void Validate()
    {
        static void Fail(string message) => throw new DomainRuleException(EvaluationRules.MethodInvalid, message);

        if (CandidateCount is < 1 or > MaxCandidates)
        {
            Fail("The committee recommends 1 to 3 ranked candidates (条例 53).");
        }

        if (BelowCostPercent is <= 0 or >= 100)
        {
            Fail("The below-cost margin is a percentage above 0 and below 100.");
        }

        if (Kind == EvaluationMethodKind.LowestEvaluatedPrice)
        {
            if (Criteria.Count > 0)
            {
                Fail("The lowest evaluated price method has no scored criteria.");
            }

            return;
        }

        if (K is < 0 or > 0.2m)
        {
            Fail("K lies between 0 and 0.2.");
        }

        if (PriceMaxPoints <= 0 || PointsPerPercentAbove < 0 || PointsPerPercentBelow < 0)
        {
            Fail("The price has positive maximum points and non-negative deductions per percent.");
        }

        if (Criteria.Count == 0 || Criteria.Count > MaxCriteria)
        {
            Fail($"Comprehensive scoring names 1 to {MaxCriteria} technical or commercial criteria.");
        }

        if (Criteria.Any(c => string.IsNullOrWhiteSpace(c.Code) || string.IsNullOrWhiteSpace(c.Name) || c.MaxPoints <= 0 || decimal.Round(c.MaxPoints, 2) != c.MaxPoints))
        {
            Fail("Every criterion has a code, a name and positive maximum points with at most two decimals.");
        }

        if (Criteria.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count() != Criteria.Count)
        {
            Fail("Criterion codes are unique.");
        }

        if (PriceMaxPoints + Criteria.Sum(c => c.MaxPoints) != TotalPoints)
        {
            Fail($"The price's and the criteria's maximum points add up to {TotalPoints}.");
        }
    }

    public EvaluationCriterion? Criterion(string code) => Criteria.FirstOrDefault(c => c.Code == code);
}

/// <summary>The price formulas, outside any entity so they are tested on their own.</summary>
public static class PriceScoring
{
    /// <summary>The base price (评标基准价) of the valid prices; null when there is none.</summary>
    public static decimal? BasePrice(EvaluationMethod method, IReadOnlyCollection<decimal> validPrices)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(validPrices);
        if (validPrices.Count == 0)
        {
            return null;
        }

        return method.Formula switch
        {
            BasePriceFormula.LowestValid => validPrices.Min(),
            _ => decimal.Round(validPrices.Average() * (1 - method.K), 2, MidpointRounding.AwayFromZero),
        };
    }

    /// <summary>Deviation from the base price in percent, rounded to 4 places.</summary>
    public static decimal DeviationPercent(decimal price, decimal basePrice) =>
        decimal.Round((price - basePrice) / basePrice * 100m, 4, MidpointRounding.AwayFromZero);

    /// <summary>max − |deviation%| × points per % (above or below), within [0, max], two decimals.</summary>
    public static decimal Score(EvaluationMethod method, decimal price, decimal basePrice)
    {
        ArgumentNullException.ThrowIfNull(method);
        var deviation = DeviationPercent(price, basePrice);
        var perPercent = deviation >= 0 ? method.PointsPerPercentAbove : method.PointsPerPercentBelow;
        var score = method.PriceMaxPoints - Math.Abs(deviation) * perPercent;
        return decimal.Round(Math.Clamp(score, 0m, method.PriceMaxPoints), 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// Whether a price lies more than <see cref="EvaluationMethod.BelowCostPercent"/> below the average of the other
    /// prices of its section (a possible below-cost bid, 条例 51 (五)); false without other prices.
    /// </summary>
    public static bool PossiblyBelowCost(EvaluationMethod method, decimal price, IReadOnlyCollection<decimal> otherPrices)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(otherPrices);
        return otherPrices.Count > 0 && price < otherPrices.Average() * (1 - method.BelowCostPercent / 100m);
    }

    /// <summary>Percent by which a price lies below (negative) or above the average of the others; null without others.</summary>
    public static decimal? PercentAgainstOthers(decimal price, IReadOnlyCollection<decimal> otherPrices) =>
        otherPrices.Count == 0 ? null : decimal.Round((price - otherPrices.Average()) / otherPrices.Average() * 100m, 2, MidpointRounding.AwayFromZero);
}

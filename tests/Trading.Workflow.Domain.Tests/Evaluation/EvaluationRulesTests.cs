using Trading.Workflow.Domain.Evaluation;

namespace Trading.Workflow.Domain.Tests.Evaluation;

/// <summary>The evaluation's rules without a database: method, price formula, outliers, sheets, aggregation, extension, confirmation.</summary>
public sealed class EvaluationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    public static EvaluationMethod Scoring(BasePriceFormula formula = BasePriceFormula.AverageLessK, decimal k = 0.02m, int candidates = 3) =>
        new(EvaluationMethodKind.ComprehensiveScoring, formula, k, 40m, 2m, 1m,
            [new EvaluationCriterion("tech", "施工组织设计", CriterionCategory.Technical, 40m), new EvaluationCriterion("credit", "企业信誉", CriterionCategory.Commercial, 20m)],
            15m, candidates);

    private static EvaluatedSection Section(params decimal[] prices) =>
        new(Guid.NewGuid(), "S-01", "施工", Guid.NewGuid(), [.. prices.Select((p, i) => new EvaluatedBid(Guid.NewGuid(), Guid.Empty, Guid.NewGuid(), "投标人" + (i + 1), p, 300, "合格", string.Empty, []))]);

    [Fact]
    public void Method_WhosePointsDoNotAddUpTo100_IsRefused()
    {
        var method = Scoring() with { PriceMaxPoints = 50m };
        Assert.Equal(EvaluationRules.MethodInvalid, Assert.Throws<DomainRuleException>(method.Validate).RuleCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Method_WithCandidatesOutside1To3_IsRefused(int candidates)
    {
        Assert.Equal(EvaluationRules.MethodInvalid, Assert.Throws<DomainRuleException>((Scoring() with { CandidateCount = candidates }).Validate).RuleCode);
        Assert.Equal(EvaluationRules.MethodInvalid, Assert.Throws<DomainRuleException>(EvaluationMethod.LowestPrice(candidateCount: candidates).Validate).RuleCode);
    }

    [Fact]
    public void Method_DuplicateCriterionCodes_AreRefused()
    {
        var method = Scoring() with { Criteria = [new("a", "甲", CriterionCategory.Technical, 30m), new("a", "乙", CriterionCategory.Commercial, 30m)] };
        Assert.Equal(EvaluationRules.MethodInvalid, Assert.Throws<DomainRuleException>(method.Validate).RuleCode);
    }

    [Fact]
    public void Plan_OnceLocked_CannotChange()
    {
        var plan = EvaluationPlan.Create(Guid.NewGuid(), Scoring(), "tenderee", Now);
        plan.Change(EvaluationMethod.LowestPrice(), "tenderee", Now);
        plan.Lock(Now);
        Assert.Equal(EvaluationRules.MethodLocked, Assert.Throws<DomainRuleException>(() => plan.Change(Scoring(), "tenderee", Now)).RuleCode);
        Assert.Equal(EvaluationMethodKind.LowestEvaluatedPrice, plan.Method.Kind);
    }

    [Fact]
    public void BasePrice_AverageLessK_And_LowestValid()
    {
        decimal[] prices = [1_000_000m, 1_100_000m, 1_200_000m];
        Assert.Equal(1_078_000m, PriceScoring.BasePrice(Scoring(k: 0.02m), prices)); // 1,100,000 × 0.98
        Assert.Equal(1_000_000m, PriceScoring.BasePrice(Scoring(BasePriceFormula.LowestValid), prices));
        Assert.Null(PriceScoring.BasePrice(Scoring(), []));
    }

    [Fact]
    public void PriceScore_DeductsPerPercentAboveAndBelow_WithinZeroAndMax()
    {
        var method = Scoring();
        Assert.Equal(40m, PriceScoring.Score(method, 1_000_000m, 1_000_000m));
        Assert.Equal(30m, PriceScoring.Score(method, 1_050_000m, 1_000_000m)); // 5% above × 2
        Assert.Equal(35m, PriceScoring.Score(method, 950_000m, 1_000_000m)); // 5% below × 1
        Assert.Equal(0m, PriceScoring.Score(method, 1_500_000m, 1_000_000m)); // never below zero
    }

    [Fact]
    public void Outlier_MoreThanTheMarginBelowTheOthersAverage_IsMarkedPossiblyBelowCost()
    {
        var method = Scoring();
        Assert.True(PriceScoring.PossiblyBelowCost(method, 800_000m, [1_000_000m, 1_000_000m])); // 20% below
        Assert.False(PriceScoring.PossiblyBelowCost(method, 900_000m, [1_000_000m, 1_000_000m])); // 10% below
        Assert.False(PriceScoring.PossiblyBelowCost(method, 800_000m, []));
        Assert.Equal(-20m, PriceScoring.PercentAgainstOthers(800_000m, [1_000_000m]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(40.5)]
    [InlineData(12.345)]
    public void Sheet_ScoreOutsideItsMaximum_IsRefusedByTheServer(double points)
    {
        var section = Section(1_000_000m, 1_050_000m, 1_100_000m);
        var sheet = EvaluationSheet.Start(Guid.NewGuid(), Guid.NewGuid(), Now);
        var review = new BidReview(section.Bids[0].BidId, QualificationVerdict.Pass, null, null, new Dictionary<string, decimal> { ["tech"] = (decimal)points });
        Assert.Equal(EvaluationRules.ScoreOutOfRange, Assert.Throws<DomainRuleException>(() => sheet.Save([review], Scoring(), [section], Now)).RuleCode);
    }

    [Fact]
    public void Sheet_UnknownCriterionOrBid_IsRefused()
    {
        var section = Section(1_000_000m, 1_050_000m, 1_100_000m);
        var sheet = EvaluationSheet.Start(Guid.NewGuid(), Guid.NewGuid(), Now);
        Assert.Equal(EvaluationRules.UnknownCriterion, Assert.Throws<DomainRuleException>(() =>
            sheet.Save([new BidReview(section.Bids[0].BidId, QualificationVerdict.Pass, null, null, new Dictionary<string, decimal> { ["price"] = 1m })], Scoring(), [section], Now)).RuleCode);
        Assert.Equal(EvaluationRules.UnknownBid, Assert.Throws<DomainRuleException>(() =>
            sheet.Save([EvaluationWorld.Pass(Guid.NewGuid())], Scoring(), [section], Now)).RuleCode);
    }

    [Fact]
    public void Sheet_RejectionWithoutAStatutoryReason_IsRefused()
    {
        var section = Section(1_000_000m, 1_050_000m, 1_100_000m);
        var sheet = EvaluationSheet.Start(Guid.NewGuid(), Guid.NewGuid(), Now);
        Assert.Equal(EvaluationRules.RejectionReasonRequired, Assert.Throws<DomainRuleException>(() =>
            sheet.Save([new BidReview(section.Bids[0].BidId, QualificationVerdict.Reject, null, null, new Dictionary<string, decimal>())], Scoring(), [section], Now)).RuleCode);
        Assert.Equal(EvaluationRules.RejectionReasonRequired, Assert.Throws<DomainRuleException>(() =>
            sheet.Save([new BidReview(section.Bids[0].BidId, QualificationVerdict.Reject, (RejectionReason)8, null, new Dictionary<string, decimal>())], Scoring(), [section], Now)).RuleCode);
        Assert.Equal(7, Enum.GetValues<RejectionReason>().Length);
    }

    [Fact]
    public void Sheet_PassingAPossiblyBelowCostBid_NeedsANote()
    {
        var section = Section(700_000m, 1_000_000m, 1_000_000m);
        var sheet = EvaluationSheet.Start(Guid.NewGuid(), Guid.NewGuid(), Now);
        Assert.Equal(EvaluationRules.BelowCostNeedsNote, Assert.Throws<DomainRuleException>(() =>
            sheet.Save([EvaluationWorld.Pass(section.Bids[0].BidId, ("tech", 30m), ("credit", 10m))], Scoring(), [section], Now)).RuleCode);
        sheet.Save([EvaluationWorld.Pass(section.Bids[0].BidId, ("tech", 30m), ("credit", 10m)) with { Note = "投标人已澄清：自有设备，成本可控" }], Scoring(), [section], Now);
        Assert.Equal(QualificationVerdict.Pass, sheet.ReviewOf(section.Bids[0].BidId)!.Verdict);
    }

    private static EvaluatedSection WithDeposits(EvaluatedSection section, params string?[] deposits) =>
        section with { Bids = [.. section.Bids.Zip(deposits).Select(x => x.First with { Deposit = x.Second })] };

    [Theory]
    [InlineData("AwaitingPayment")]
    [InlineData("PartlyPaid")]
    public void Sheet_PassingABidWhoseDepositTheRecordStatesUnpaid_IsRefused_AndItsRejectionAsNotResponsiveStands(string deposit)
    {
        var section = WithDeposits(Section(1_000_000m, 1_050_000m, 1_100_000m), "Paid", deposit, "Paid");
        var sheet = EvaluationSheet.Start(Guid.NewGuid(), Guid.NewGuid(), Now);

        var refused = Assert.Throws<DomainRuleException>(() =>
            sheet.Save([EvaluationWorld.Pass(section.Bids[1].BidId, ("tech", 30m), ("credit", 10m)) with { Note = "已补缴" }], Scoring(), [section], Now));

        Assert.Equal(EvaluationRules.DepositUnpaid, refused.RuleCode);
        Assert.Contains("51 (六)", refused.Message, StringComparison.Ordinal);
        Assert.Empty(sheet.Reviews); // nothing of the refused save is kept
        sheet.Save([EvaluationWorld.Reject(section.Bids[1].BidId, RejectionReason.NotResponsive)], Scoring(), [section], Now);
        Assert.Equal((QualificationVerdict.Reject, RejectionReason.NotResponsive), (sheet.ReviewOf(section.Bids[1].BidId)!.Verdict, sheet.ReviewOf(section.Bids[1].BidId)!.Reason));
    }

    [Theory]
    [InlineData("Paid")]
    [InlineData("Guaranteed")]
    [InlineData("None")]
    [InlineData(null)]
    public void Sheet_PassingABidWhoseDepositIsPaidGuaranteedNotAskedOrNotStated_Stands(string? deposit)
    {
        var section = WithDeposits(Section(1_000_000m, 1_050_000m, 1_100_000m), deposit, deposit, deposit);
        var sheet = EvaluationSheet.Start(Guid.NewGuid(), Guid.NewGuid(), Now);

        sheet.Save([EvaluationWorld.Pass(section.Bids[1].BidId, ("tech", 30m), ("credit", 10m))], Scoring(), [section], Now);

        Assert.False(section.Bids[1].DepositUnpaid);
        Assert.Equal(QualificationVerdict.Pass, sheet.ReviewOf(section.Bids[1].BidId)!.Verdict);
    }

    [Fact]
    public void Aggregation_ABidWhoseDepositIsUnpaid_EveryMemberMustReject_SoItIsRejectedAndNeverRanked()
    {
        var section = WithDeposits(Section(900_000m, 1_000_000m, 1_050_000m), "AwaitingPayment", "Paid", "Guaranteed");
        var method = EvaluationMethod.LowestPrice();
        var sheets = Enumerable.Range(0, 3).Select(_ =>
        {
            var sheet = EvaluationSheet.Start(Guid.NewGuid(), Guid.NewGuid(), Now);
            Assert.Equal(EvaluationRules.DepositUnpaid, Assert.Throws<DomainRuleException>(() =>
                sheet.Save([.. section.Bids.Select(b => EvaluationWorld.Pass(b.BidId))], method, [section], Now)).RuleCode);
            sheet.Save([EvaluationWorld.Reject(section.Bids[0].BidId, RejectionReason.NotResponsive), EvaluationWorld.Pass(section.Bids[1].BidId), EvaluationWorld.Pass(section.Bids[2].BidId)],
                method, [section], Now);
            sheet.Submit(method, [section], Now);
            return sheet;
        }).ToList();

        var outcome = EvaluationAggregation.Aggregate(method, [section], sheets).Single();

        Assert.Equal((true, RejectionReason.NotResponsive, (int?)null), (outcome.Bids[0].Rejected, outcome.Bids[0].RejectionReason, outcome.Bids[0].Rank));
        Assert.Equal([section.Bids[1].BidId, section.Bids[2].BidId], outcome.Candidates(3).Select(c => c.BidId)); // the cheapest bid is not among them
    }

    [Fact]
    public void Sheet_SubmitNeedsEveryBidReviewedAndScored_ThenLocks()
    {
        var section = Section(1_000_000m, 1_050_000m);
        var method = Scoring();
        var sheet = EvaluationSheet.Start(Guid.NewGuid(), Guid.NewGuid(), Now);
        sheet.Save([EvaluationWorld.Pass(section.Bids[0].BidId, ("tech", 30m))], method, [section], Now);
        Assert.Equal(EvaluationRules.SheetIncomplete, Assert.Throws<DomainRuleException>(() => sheet.Submit(method, [section], Now)).RuleCode);
        sheet.Save([EvaluationWorld.Pass(section.Bids[0].BidId, ("tech", 30m), ("credit", 15m)), EvaluationWorld.Reject(section.Bids[1].BidId, RejectionReason.NotResponsive)], method, [section], Now);
        sheet.Submit(method, [section], Now);
        Assert.Equal(SheetState.Submitted, sheet.State);
        Assert.Equal(EvaluationRules.SheetSubmitted, Assert.Throws<DomainRuleException>(() => sheet.Save([], method, [section], Now)).RuleCode);
    }

    [Fact]
    public void Aggregation_RejectsOnMajority_AveragesScores_RanksAtMostThree()
    {
        var section = Section(1_000_000m, 1_020_000m, 1_040_000m, 1_060_000m, 1_080_000m);
        var method = Scoring();
        var b = section.Bids;
        var sheets = new List<EvaluationSheet>();
        for (var m = 0; m < 5; m++)
        {
            var sheet = EvaluationSheet.Start(Guid.NewGuid(), Guid.NewGuid(), Now);
            var reviews = new List<BidReview>
            {
                EvaluationWorld.Pass(b[0].BidId, ("tech", 30m + m), ("credit", 10m)),
                EvaluationWorld.Pass(b[1].BidId, ("tech", 35m), ("credit", 15m)),
                // bid 3: rejected by 3 of 5 (a majority), bid 4: by 2 of 5 (not rejected).
                m < 3 ? EvaluationWorld.Reject(b[2].BidId, m == 0 ? RejectionReason.NotQualified : RejectionReason.CollusionFraudOrBribery) : EvaluationWorld.Pass(b[2].BidId, ("tech", 40m), ("credit", 20m)),
                m < 2 ? EvaluationWorld.Reject(b[3].BidId, RejectionReason.NotResponsive) : EvaluationWorld.Pass(b[3].BidId, ("tech", 20m), ("credit", 5m)),
                EvaluationWorld.Pass(b[4].BidId, ("tech", 10m), ("credit", 5m)),
            };
            sheet.Save(reviews, method, [section], Now);
            sheet.Submit(method, [section], Now);
            sheets.Add(sheet);
        }

        var voided = EvaluationSheet.Start(Guid.NewGuid(), Guid.NewGuid(), Now);
        voided.Save([.. b.Select(x => EvaluationWorld.Reject(x.BidId, RejectionReason.NotSignedOrSealed))], method, [section], Now);
        voided.Void(Now);
        sheets.Add(voided); // a replaced member's work never counts

        var outcome = EvaluationAggregation.Aggregate(method, [section], sheets).Single();

        var third = outcome.Bids[2];
        Assert.Equal((true, RejectionReason.CollusionFraudOrBribery, 3), (third.Rejected, third.RejectionReason, third.Rejections));
        Assert.False(outcome.Bids[3].Rejected);
        Assert.Equal(12.5m, outcome.Bids[3].CriteriaScores["tech"] - 7.5m); // average of the 3 members who passed it: 20
        // Base price from the four valid prices: average 1,040,000 × 0.98 = 1,019,200.
        Assert.Equal(1_019_200m, outcome.BasePrice);
        Assert.Equal(32m, outcome.Bids[0].CriteriaScores["tech"]); // (30+31+32+33+34)/5
        var candidates = outcome.Candidates(method.CandidateCount);
        Assert.Equal(3, candidates.Count);
        Assert.Equal([b[1].BidId, b[0].BidId, b[3].BidId], candidates.Select(c => c.BidId));
        Assert.Equal([1, 2, 3], candidates.Select(c => c.Rank!.Value));
        Assert.Equal(outcome.Bids[1].PriceScore + 50m, outcome.Bids[1].Total);
        Assert.Equal(2, outcome.Candidates(2).Count);
        Assert.Equal(3, outcome.Candidates(9).Count); // never more than 3 (条例 53)
    }

    [Fact]
    public void Aggregation_LowestEvaluatedPrice_RanksValidBidsByPrice()
    {
        var section = Section(1_000_000m, 900_000m, 950_000m, 1_200_000m);
        var method = EvaluationMethod.LowestPrice(candidateCount: 2);
        var sheets = Enumerable.Range(0, 3).Select(_ =>
        {
            var sheet = EvaluationSheet.Start(Guid.NewGuid(), Guid.NewGuid(), Now);
            sheet.Save([EvaluationWorld.Pass(section.Bids[0].BidId), EvaluationWorld.Reject(section.Bids[1].BidId, RejectionReason.BelowCostOrAboveCeiling),
                EvaluationWorld.Pass(section.Bids[2].BidId), EvaluationWorld.Pass(section.Bids[3].BidId)], method, [section], Now);
            sheet.Submit(method, [section], Now);
            return sheet;
        }).ToList();

        var outcome = EvaluationAggregation.Aggregate(method, [section], sheets).Single();

        Assert.Null(outcome.BasePrice);
        Assert.Equal([section.Bids[2].BidId, section.Bids[0].BidId], outcome.Candidates(method.CandidateCount).Select(c => c.BidId));
        Assert.Equal(RejectionReason.BelowCostOrAboveCeiling, outcome.Bids[1].RejectionReason);
    }

    [Theory]
    [InlineData(1, 5, false)]
    [InlineData(2, 5, true)]
    [InlineData(2, 7, false)]
    [InlineData(3, 7, true)]
    [InlineData(1, 3, false)]
    [InlineData(2, 3, true)]
    public void Extension_IsDueWhenMoreThanAThirdAsk(int asking, int members, bool due) =>
        Assert.Equal(due, Domain.Evaluation.Evaluation.ExtensionDue(asking, members));

    [Fact]
    public void Confirmation_DissentNeedsReasons_SilentRefusalCountsAsAnswer_AndOnlyOnce()
    {
        var member = EvaluationMember.Join(Guid.NewGuid(), Guid.NewGuid(), "expert1", "专家1", false, 1, Now);
        Assert.Equal(EvaluationRules.DissentReasonRequired, Assert.Throws<DomainRuleException>(() => member.Confirm(ReportConfirmation.Dissented, "  ", Now)).RuleCode);
        member.Confirm(ReportConfirmation.RefusedWithoutReason, "ignored", Now);
        Assert.True(member.HasAnswered);
        Assert.Null(member.Dissent);
        Assert.Equal(EvaluationRules.AlreadyConfirmed, Assert.Throws<DomainRuleException>(() => member.Confirm(ReportConfirmation.Agreed, null, Now)).RuleCode);
    }
}

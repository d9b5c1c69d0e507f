using Trading.Workflow.Domain.Experts;

namespace Trading.Workflow.Domain.Tests.Experts;

/// <summary>The composition rules, every avoidance reason, and the draw itself, without a database.</summary>
public sealed class ExpertDrawTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);
    private const string BidderCode = "91350100M000100Y4X";
    private static readonly BidderFacts Bidder = new(Guid.NewGuid(), "演示建设集团有限公司", null, "张建国");
    private static readonly PartyFacts Owner = new(Guid.NewGuid(), "演示市第一中学", null);

    [Theory]
    [InlineData(4, 0, ExpertRules.CommitteeTooSmall)]
    [InlineData(3, 1, ExpertRules.CommitteeTooSmall)]
    [InlineData(6, 0, ExpertRules.CommitteeNotOdd)]
    [InlineData(5, 1, ExpertRules.CommitteeNotOdd)]
    [InlineData(3, 2, ExpertRules.TooManyRepresentatives)]
    [InlineData(4, 3, ExpertRules.TooManyRepresentatives)]
    public void Composition_IsRefused_BelowFive_Even_OrWithMoreThanAThirdRepresentatives(int experts, int representatives, string rule)
    {
        var refused = Assert.Throws<DomainRuleException>(() => CommitteeComposition.Check([new SpecialtyCount("A01", experts)], representatives));

        Assert.Equal(rule, refused.RuleCode);
    }

    [Theory]
    [InlineData(5, 0)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(6, 3)]
    [InlineData(7, 0)]
    public void Composition_FiveOrMoreOdd_WithExpertsAtLeastTwoThirds_IsAccepted(int experts, int representatives)
    {
        CommitteeComposition.Check([new SpecialtyCount("A01", experts - 1), new SpecialtyCount("B01", 1)], representatives);

        Assert.True(experts * 3 >= 2 * (experts + representatives));
    }

    [Fact]
    public void Composition_WithAnUnknownOrRepeatedSpecialty_IsRefused()
    {
        Assert.Equal(ExpertRules.SpecialtyUnknown,
            Assert.Throws<DomainRuleException>(() => CommitteeComposition.Check([new SpecialtyCount("Z99", 5)], 0)).RuleCode);
        Assert.Equal(ExpertRules.CountInvalid,
            Assert.Throws<DomainRuleException>(() => CommitteeComposition.Check([new SpecialtyCount("A01", 3), new SpecialtyCount("A01", 2)], 0)).RuleCode);
    }

    public static TheoryData<string, ExclusionReason> Reasons => new()
    {
        { "employer", ExclusionReason.EmployerIsBidder },
        { "employer-by-code", ExclusionReason.EmployerIsBidder },
        { "former", ExclusionReason.FormerEmployerIsBidder },
        { "kin-of-representative", ExclusionReason.RelationshipWithBidder },
        { "interest-in-company", ExclusionReason.RelationshipWithBidder },
        { "tenderee", ExclusionReason.TendereeStaff },
        { "supervisor", ExclusionReason.SupervisingDepartmentStaff },
        { "suspended", ExclusionReason.Suspended },
        { "removed", ExclusionReason.Removed },
        { "recent", ExclusionReason.RecentlyEvaluatedForTenderee },
        { "invited", ExclusionReason.AlreadyInvited },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Avoidance_ExcludesEachCase_WithItsReason(string @case, ExclusionReason reason)
    {
        var (expert, facts) = Case(@case);

        var exclusion = Avoidance.Check(expert, facts);

        Assert.NotNull(exclusion);
        Assert.Equal([reason], exclusion.Reasons);
    }

    [Theory]
    [InlineData("interest-in-company", "持股: 演示建设集团有限公司")]
    [InlineData("kin-of-representative", "配偶: 张建国 / 演示建设集团有限公司")]
    public void Avoidance_ATieWithTheCompanyNamesItOnce_ATieWithItsRepresentativeNamesBoth(string @case, string detail)
    {
        var (expert, facts) = Case(@case);

        Assert.Equal(detail, Avoidance.Check(expert, facts)!.Detail);
    }

    [Fact]
    public void Avoidance_PassesAnExpertWithoutTies_AndAFormerEmployerLeftMoreThanThreeYearsAgo()
    {
        var old = Expert("clean", past: [new PastEmployer(Bidder.Name, null, new DateOnly(2015, 1, 1), Today.AddYears(-3).AddDays(-1))]);

        Assert.Null(Avoidance.Check(old, Facts()));
        Assert.Null(Avoidance.Check(Expert("other", employer: "演示第二建筑有限公司"), Facts()));
    }

    [Fact]
    public void Avoidance_MatchesNamesIgnoringSpacesAndBracketWidth_AndPrefersCreditCodes()
    {
        var bidder = new BidderFacts(Guid.NewGuid(), "演示建设（集团）有限公司", BidderCode, null);
        var facts = Facts() with { Bidders = [bidder] };

        Assert.NotNull(Avoidance.Check(Expert("a", employer: "演示建设 (集团) 有限公司"), facts));
        Assert.Null(Avoidance.Check(Expert("b", employer: "演示建设（集团）有限公司", employerCode: "91350100M000200Y4X"), facts));
    }

    [Fact]
    public void Draw_TakesOnlyTheSpecialtyAndItsSubtree_InTheOrderTheGeneratorChose()
    {
        List<Expert> pool = [Expert("a", specialty: "A0101"), Expert("b", specialty: "A0102"), Expert("c", specialty: "B01"), Expert("d", specialty: "A01")];

        var round = ExpertDraw.Run(pool, "A01", 3, Facts(), new CryptoDrawRandom(), 1, Now, "tenderee", DrawCause.Initial);

        Assert.Equal(3, round.Candidates.Count);
        Assert.DoesNotContain(pool[2].Id, round.Candidates);
        Assert.Equal(3, round.Drawn.Distinct().Count());
        Assert.Equal("System.Security.Cryptography.RandomNumberGenerator", round.Generator);
    }

    [Fact]
    public void Draw_OverAThousandRounds_NeverDrawsAnExcludedExpert_AndDrawsEveryEligibleOne()
    {
        var (employee, _) = Case("employer");
        var (former, _) = Case("former");
        var (kin, _) = Case("kin-of-representative");
        var (staff, _) = Case("tenderee");
        var (suspended, _) = Case("suspended");
        var eligible = Enumerable.Range(1, 8).Select(i => Expert($"ok{i}", employer: $"演示咨询公司{i}")).ToList();
        List<Expert> pool = [employee, former, kin, staff, suspended, .. eligible];
        var excluded = new HashSet<Guid> { employee.Id, former.Id, kin.Id, staff.Id, suspended.Id };
        var counts = eligible.ToDictionary(e => e.Id, _ => 0);
        var random = new CryptoDrawRandom();

        for (var i = 0; i < 1000; i++)
        {
            var round = ExpertDraw.Run(pool, "A01", 5, Facts(), random, 1, Now, "tenderee", DrawCause.Initial);
            Assert.Equal(5, round.Drawn.Count);
            Assert.DoesNotContain(round.Drawn, excluded.Contains);
            Assert.Equal(excluded.Order(), round.Excluded.Select(x => x.ExpertId).Order());
            foreach (var id in round.Drawn)
            {
                counts[id]++;
            }
        }

        // 5 of 8 each round: about 625 draws each; a fair generator keeps every one well inside 500–750.
        Assert.All(counts.Values, c => Assert.InRange(c, 500, 750));
    }

    [Fact]
    public void Draw_WithFewerEligibleThanWanted_DrawsThoseThereAre()
    {
        List<Expert> pool = [Expert("a"), Expert("b"), Case("employer").Expert];

        var round = ExpertDraw.Run(pool, "A01", 3, Facts(), new CryptoDrawRandom(), 1, Now, "tenderee", DrawCause.Initial);

        Assert.Equal(2, round.Drawn.Count);
        Assert.Single(round.Excluded);
    }

    private static DrawFacts Facts(IReadOnlySet<Guid>? recent = null, IReadOnlySet<Guid>? invited = null) =>
        new([Bidder], [Owner], recent ?? new HashSet<Guid>(), invited ?? new HashSet<Guid>(), Today);

    private static (Expert Expert, DrawFacts Facts) Case(string @case)
    {
        switch (@case)
        {
            case "employer":
                return (Expert(@case, employer: Bidder.Name), Facts());
            case "employer-by-code":
                var withCode = new BidderFacts(Guid.NewGuid(), "演示建设集团有限公司（更名前）", BidderCode, null);
                return (Expert(@case, employer: "另一名称", employerCode: BidderCode), Facts() with { Bidders = [withCode] });
            case "former":
                return (Expert(@case, past: [new PastEmployer(Bidder.Name, null, new DateOnly(2020, 1, 1), Today.AddYears(-2))]), Facts());
            case "kin-of-representative":
                return (Expert(@case, relationships: [new DeclaredRelationship(RelationshipKind.Kin, "配偶", "张建国", null, Today)]), Facts());
            case "interest-in-company":
                return (Expert(@case, relationships: [new DeclaredRelationship(RelationshipKind.EconomicInterest, "持股", Bidder.Name, null, Today)]), Facts());
            case "tenderee":
                return (Expert(@case, employer: Owner.Name), Facts());
            case "supervisor":
                return (Expert(@case, employer: "演示市住房和城乡建设局", supervising: true), Facts());
            case "suspended":
                var suspended = Expert(@case);
                suspended.ChangeStatus(ExpertStatus.Suspended, "年度考核不合格", Now, "staff");
                return (suspended, Facts());
            case "removed":
                var removed = Expert(@case);
                removed.ChangeStatus(ExpertStatus.Removed, "受到行政处罚", Now, "staff");
                return (removed, Facts());
            case "recent":
                var recent = Expert(@case);
                return (recent, Facts(recent: new HashSet<Guid> { recent.Id }));
            default:
                var invited = Expert(@case);
                return (invited, Facts(invited: new HashSet<Guid> { invited.Id }));
        }
    }

    private static Expert Expert(string name, string specialty = "A0101", string employer = "演示设计研究院", string? employerCode = null,
        IReadOnlyList<PastEmployer>? past = null, IReadOnlyList<DeclaredRelationship>? relationships = null, bool supervising = false) =>
        new(Guid.NewGuid(), name, ExpertsHost.Profile(name, specialty, employer, employerCode, past, relationships, supervising), Now, "staff");
}

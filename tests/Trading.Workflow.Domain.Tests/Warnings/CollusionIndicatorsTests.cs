using Trading.Workflow.Domain.Warnings;

namespace Trading.Workflow.Domain.Tests.Warnings;

/// <summary>Each indicator on facts alone: a shared value among different bidders is found, distinct values are not.</summary>
public sealed class CollusionIndicatorsTests
{
    private static readonly Guid A = Guid.NewGuid();
    private static readonly Guid B = Guid.NewGuid();
    private static readonly Guid C = Guid.NewGuid();
    private static readonly Guid D = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SamePayerAccount_TwoBiddersPaidFromOneAccount_IsFoundWithTheAccountAndBothBidders()
    {
        var findings = CollusionIndicators.SamePayerAccount(
        [
            new(A, "甲", "6222000011112222", "张某", 100_000m, At),
            new(B, "乙", "6222000011112222", "张某", 100_000m, At.AddMinutes(3)),
            new(C, "丙", "6222000099998888", "丙公司", 100_000m, At),
        ]);

        var finding = Assert.Single(findings);
        Assert.Equal((WarningKind.SamePayerAccount, "6222000011112222"), (finding.Kind, finding.Evidence.Value));
        Assert.Equal([A, B], finding.Evidence.Lines.Select(l => l.EntityId));
        Assert.Contains("2026-12-02 10:03:00 UTC+8", finding.Evidence.Lines[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void SamePayerAccount_DistinctAccountsOrOneBidderPayingTwice_FindsNothing()
    {
        Assert.Empty(CollusionIndicators.SamePayerAccount(
        [
            new(A, "甲", "6222000011112222", "甲公司", 50_000m, At),
            new(A, "甲", "6222000011112222", "甲公司", 50_000m, At.AddHours(1)),
            new(B, "乙", "6222000033334444", "乙公司", 100_000m, At),
        ]));
    }

    [Fact]
    public void SameSubmitter_OneUserSubmittingForTwoBidders_IsFound_ButNotOneBiddersOwnVersions()
    {
        var findings = CollusionIndicators.SameSubmitter(
        [
            Submission(A, "agent", At), Submission(B, "agent", At.AddHours(1)),
            Submission(C, "bidder3", At, version: 1), Submission(C, "bidder3", At.AddHours(2), version: 2),
        ]);

        var finding = Assert.Single(findings);
        Assert.Equal(("agent", 2), (finding.Evidence.Value, finding.Evidence.Bidders.Count));
    }

    [Fact]
    public void IdenticalBidFiles_OneDigestInTwoBiddersBids_IsFound_EmptyFilesAndDistinctDigestsAreNot()
    {
        var empty = new string('e', 64);
        var findings = CollusionIndicators.IdenticalBidFiles(
        [
            Submission(A, "a", At, files: [new("技术标.pdf", new string('1', 64), 9000), new("空.txt", empty, 0)]),
            Submission(B, "b", At, files: [new("施工组织设计.pdf", new string('1', 64), 9000), new("空.txt", empty, 0)]),
            Submission(C, "c", At, files: [new("技术标.pdf", new string('2', 64), 9000)]),
        ]);

        var finding = Assert.Single(findings);
        Assert.Equal(new string('1', 64), finding.Evidence.Value);
        Assert.Equal(["技术标.pdf (v1)", "施工组织设计.pdf (v1)"], finding.Evidence.Lines.Select(l => l.Detail));
    }

    [Fact]
    public void SameLegalRepresentativeAndPhone_AreFoundAcrossBidders_DistinctOnesAreNot()
    {
        ProfileFact[] profiles =
        [
            new(A, "甲", "张 三", ["138-0000-0001"]),
            new(B, "乙", "张三", ["13800000009"]),
            new(C, "丙", "李四", ["13800000001"]),
            new(D, "丁", "王五", ["13900000000"]),
        ];

        var representative = Assert.Single(CollusionIndicators.SameLegalRepresentative(profiles));
        Assert.Equal("张三", representative.Evidence.Value);
        Assert.Equal([A, B], representative.Evidence.Lines.Select(l => l.EntityId));
        var phone = Assert.Single(CollusionIndicators.SameContactPhone(profiles));
        Assert.Equal("13800000001", phone.Evidence.Value);
        Assert.Equal([A, C], phone.Evidence.Lines.Select(l => l.EntityId));
        Assert.Empty(CollusionIndicators.SameLegalRepresentative([profiles[2], profiles[3]]));
        Assert.Empty(CollusionIndicators.SameContactPhone([profiles[1], profiles[3]]));
    }

    [Fact]
    public void SameLegalRepresentative_OneNameTwoIdNumbers_IsNoWarning()
    {
        Assert.Empty(CollusionIndicators.SameLegalRepresentative(
        [
            new(A, "甲", "张伟", [], "350102198001010003"),
            new(B, "乙", "张伟", [], "35010219800101002X"),
        ]));
    }

    [Fact]
    public void SameLegalRepresentative_OneIdNumber_IsFoundByNumberEvenUnderAnotherSpelling()
    {
        var finding = Assert.Single(CollusionIndicators.SameLegalRepresentative(
        [
            new(A, "甲", "张伟", [], "35010219800101002x"),
            new(B, "乙", "张 伟", [], " 35010219800101002X"),
            new(C, "丙", "李四", [], "350102198001010003"),
        ]));

        Assert.Equal(CollusionIndicators.ByIdNumber, finding.Evidence.Pattern);
        Assert.Equal("3501**********002X", finding.Evidence.Value);
        Assert.Equal([A, B], finding.Evidence.Lines.Select(l => l.EntityId));
        Assert.Equal(["张伟 · 3501**********002X", "张 伟 · 3501**********002X"], finding.Evidence.Lines.Select(l => l.Detail));
    }

    [Fact]
    public void SameLegalRepresentative_WhenOneProfileHasNoIdNumber_FallsBackToTheName()
    {
        var finding = Assert.Single(CollusionIndicators.SameLegalRepresentative(
        [
            new(A, "甲", "张伟", [], "350102198001010003"),
            new(B, "乙", "张伟", [], null),
        ]));

        Assert.Null(finding.Evidence.Pattern);
        Assert.Equal("张伟", finding.Evidence.Value);
        Assert.Equal(["张伟 · 3501**********0003", "张伟"], finding.Evidence.Lines.Select(l => l.Detail));
    }

    [Fact]
    public void CloseSubmissions_FromOneAddressWithinTheWindow_AreFound()
    {
        var finding = Assert.Single(CollusionIndicators.CloseSubmissionsSameAddress(
        [
            Submission(A, "a", At, address: "203.0.113.7"),
            Submission(B, "b", At.AddSeconds(45), address: "203.0.113.7"),
            Submission(C, "c", At.AddSeconds(50), address: "198.51.100.2"),
        ]));

        Assert.Equal(("203.0.113.7", 2), (finding.Evidence.Value, finding.Evidence.Bidders.Count));
    }

    [Fact]
    public void CloseSubmissions_FurtherApartThanTheWindowOrFromDifferentAddresses_AreNotFound()
    {
        Assert.Empty(CollusionIndicators.CloseSubmissionsSameAddress(
        [
            Submission(A, "a", At, address: "203.0.113.7"),
            Submission(B, "b", At.AddSeconds(61), address: "203.0.113.7"),
            Submission(C, "c", At.AddSeconds(10), address: "198.51.100.2"),
            Submission(D, "d", At.AddSeconds(5), address: null),
        ]));
    }

    [Fact]
    public void RegularPrices_ThreePricesWithAConstantGap_AreFound()
    {
        var finding = Assert.Single(CollusionIndicators.RegularPrices(
            [new(A, "甲", 8_100_000m), new(B, "乙", 8_250_000.40m), new(C, "丙", 8_400_000m), new(D, "丁", 9_030_000m)]));

        Assert.Equal(("ConstantGap", "150,000.00"), (finding.Evidence.Pattern, finding.Evidence.Value));
        Assert.Equal([A, B, C], finding.Evidence.Lines.Select(l => l.EntityId));
    }

    [Fact]
    public void RegularPrices_ThreePricesWithAConstantRatio_AreFound()
    {
        var finding = Assert.Single(CollusionIndicators.RegularPrices(
            [new(A, "甲", 8_000_000m), new(B, "乙", 8_400_000m), new(C, "丙", 8_820_000m)]));

        Assert.Equal(("ConstantRatio", "1.0500"), (finding.Evidence.Pattern, finding.Evidence.Value));
    }

    [Fact]
    public void RegularPrices_AllWithinHalfAPercent_AreFoundAsANarrowBand()
    {
        var findings = CollusionIndicators.RegularPrices(
            [new(A, "甲", 8_000_000m), new(B, "乙", 8_013_000m), new(C, "丙", 8_031_000m)]);

        var band = Assert.Single(findings);
        Assert.Equal(("NarrowBand", "31,000.00 (0.388%)"), (band.Evidence.Pattern, band.Evidence.Value));
    }

    [Fact]
    public void RegularPrices_IndependentPricesOrFewerThanThree_FindNothing()
    {
        Assert.Empty(CollusionIndicators.RegularPrices(
            [new(A, "甲", 8_100_000m), new(B, "乙", 8_262_300m), new(C, "丙", 8_450_000m), new(D, "丁", 8_913_500m)]));
        Assert.Empty(CollusionIndicators.RegularPrices([new(A, "甲", 8_000_000m), new(B, "乙", 8_000_100m)]));
    }

    private static SubmissionFact Submission(Guid entity, string user, DateTimeOffset at, int version = 1, string? address = null, BidFileFact[]? files = null) =>
        new(entity, entity.ToString()[..4], version, user, at, address, files ?? []);
}

using Bunit;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Web.Evaluation;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Evaluation;

/// <summary>
/// The evaluation workbench's sheet (the body of <c>component:evaluation-workbench</c>): prices side by side with the
/// outlier marked, the documents shown in the browser, the review and scores sent as the member set them, the saved draft
/// shown again, a submitted sheet locked, and the aggregated outcome with at most three ranked candidates.
/// </summary>
public sealed class EvaluationWorkbenchTests : PlatformComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    private static readonly EvaluationMethod Method = new(EvaluationMethodKind.ComprehensiveScoring, BasePriceFormula.AverageLessK, 0.02m, 40m, 2m, 1m,
        [new EvaluationCriterion("tech", "施工组织设计", CriterionCategory.Technical, 40m), new EvaluationCriterion("credit", "企业信誉", CriterionCategory.Commercial, 20m)], 15m, 3);

    private static (EvaluationView View, EvaluationMember Member, EvaluationSheet Sheet) World(params decimal[] prices) => World(prices, new string?[prices.Length]);

    /// <param name="deposits">Each bid's deposit as its opening record states it (null: not stated).</param>
    private static (EvaluationView View, EvaluationMember Member, EvaluationSheet Sheet) World(decimal[] prices, string?[] deposits)
    {
        var section = new EvaluatedSection(Guid.NewGuid(), "530100-GC-2026-00007-01", "施工", Guid.NewGuid(), [.. prices.Select((p, i) => new EvaluatedBid(
            Guid.NewGuid(), Guid.Empty, Guid.NewGuid(), $"演示投标人{i + 1}有限公司", p, 300, "合格", string.Empty,
            [new EvaluatedBidItem(Guid.NewGuid(), "工程量清单.pdf", "BillOfQuantities", new string('a', 64), 2048),
                new EvaluatedBidItem(Guid.NewGuid(), "投标函.json", "BidLetter", new string('b', 64), 80)], deposits[i]))]);
        var evaluation = Domain.Evaluation.Evaluation.Open(Guid.NewGuid(), "530100-GC-2026-00007", "演示市政道路改造工程", Guid.NewGuid(), Guid.NewGuid(), null, Method, [section], Now, TimeSpan.FromDays(1));
        var member = EvaluationMember.Join(evaluation.Id, Guid.NewGuid(), "expert1", "专家1", false, 1, Now);
        var sheet = EvaluationSheet.Start(evaluation.Id, member.Id, Now);
        return (new EvaluationView(evaluation, [member], [sheet]), member, sheet);
    }

    [Fact]
    public void Prices_SideBySide_MarkTheOutlierBelowTheOthers_AndShowDocumentsInTheBrowser()
    {
        var (view, member, _) = World(1_000_000m, 1_020_000m, 780_000m);

        var cut = Render<EvaluationSheetEditor>(p => p.Add(c => c.View, view).Add(c => c.Member, member));

        var rows = cut.FindAll("[data-testid=price-row]");
        Assert.Equal(3, rows.Count);
        Assert.Contains("1,020,000.00", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Empty(rows[0].QuerySelectorAll("[data-testid=below-cost]"));
        Assert.Contains("可能低于成本", rows[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("-22.77%", rows[2].TextContent, StringComparison.Ordinal); // 780,000 against the others' 1,010,000

        cut.FindAll("[data-testid=bid-item]")[2].Click(); // the second bid's first item
        var viewer = cut.WaitForElement("[data-testid=bid-item-viewer]");
        Assert.Equal($"/api/evaluations/{view.Evaluation.Id}/items/{view.Evaluation.Sections[0].Bids[1].Items[0].ItemId}", viewer.GetAttribute("src"));
    }

    [Fact]
    public void EachBidsDeposit_FromTheOpeningRecord_IsShown_AndAnUnpaidOneMarked()
    {
        var (view, member, _) = World([1_000_000m, 1_020_000m, 1_040_000m, 1_060_000m], ["Paid", "AwaitingPayment", "Guaranteed", null]);

        var cut = Render<EvaluationSheetEditor>(p => p.Add(c => c.View, view).Add(c => c.Member, member));

        Assert.Equal(["已缴纳", "未缴纳", "电子保函", "—"], cut.FindAll("[data-testid=bid-deposit]").Select(e => e.TextContent.Trim()));
        var missing = Assert.Single(cut.FindAll("[data-testid=deposit-missing]"));
        Assert.NotNull(missing.Closest("[data-testid=price-row]"));
        Assert.Contains("未缴纳", cut.FindAll("[data-testid=price-row]")[1].TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=price-table]").Closest(".tw-table-scroll"));
    }

    [Theory]
    [InlineData("AwaitingPayment", "zh-CN", "开标记录载明投标保证金未缴纳", "第五十一条第（六）项")]
    [InlineData("PartlyPaid", "zh-CN", "开标记录载明投标保证金部分缴纳", "第五十一条第（六）项")]
    [InlineData("AwaitingPayment", "en", "states the deposit as “Not paid”", "art. 51 (6)")]
    public void BidWhoseDepositIsUnpaid_OffersNoPass_SaysWhyBesideIt_AndItsRejectionIsReadyAsNotResponsive(string deposit, string culture, string reason, string ground)
    {
        Culture(culture);
        var (view, member, _) = World([1_000_000m, 1_020_000m], ["Paid", deposit]);
        IReadOnlyList<BidReview>? saved = null;

        var cut = Render<EvaluationSheetEditor>(p => p.Add(c => c.View, view).Add(c => c.Member, member).Add(c => c.OnSave, reviews => { saved = reviews; }));

        var (paid, unpaid) = (cut.FindAll("[data-testid=review]")[0], cut.FindAll("[data-testid=review]")[1]);
        Assert.Empty(paid.QuerySelectorAll("[data-testid=deposit-unpaid-reason]"));
        Assert.NotNull(paid.QuerySelector("input[data-testid=verdict-pass]:not([disabled])"));
        var why = Assert.Single(unpaid.QuerySelectorAll("[data-testid=deposit-unpaid-reason]")).TextContent;
        Assert.Contains(reason, why, StringComparison.Ordinal);
        Assert.Contains(ground, why, StringComparison.Ordinal);
        Assert.NotNull(unpaid.QuerySelector("input[data-testid=verdict-pass][disabled]"));
        Assert.Null(unpaid.QuerySelector("input[data-testid=verdict-reject][disabled]"));

        // Choosing to reject finds the ground of 条例 51 (六) already named; saving sends it.
        unpaid.QuerySelector("input[data-testid=verdict-reject]")!.Click();
        cut.Find("[data-testid=workbench-save]").Click();
        cut.WaitForAssertion(() => Assert.NotNull(saved));
        var review = Assert.Single(saved!);
        Assert.Equal((view.Evaluation.Sections[0].Bids[1].BidId, QualificationVerdict.Reject, RejectionReason.NotResponsive), (review.BidId, review.Verdict, review.Reason));
    }

    [Theory]
    [InlineData("zh-CN", "投标函")]
    [InlineData("en", "Bid letter")]
    public void BidLetter_IsNamedInTheWorkbenchsLanguage_OtherFilesByTheirOwnName(string culture, string letter)
    {
        Culture(culture);
        var (view, member, _) = World(1_000_000m, 1_020_000m);

        var cut = Render<EvaluationSheetEditor>(p => p.Add(c => c.View, view).Add(c => c.Member, member));

        Assert.Equal(["工程量清单.pdf", letter], cut.FindAll("[data-testid=bid-item]").Take(2).Select(e => e.TextContent.Trim()));
        Assert.DoesNotContain("投标函.json", cut.Markup, StringComparison.Ordinal);
        cut.FindAll("[data-testid=bid-item]")[1].Click();
        Assert.Equal(letter, cut.WaitForElement("[data-testid=bid-item-viewer]").GetAttribute("title"));
    }

    [Fact]
    public void ScoreAboveTheCriterionsMaximum_IsKeptAsTyped_AndTheFieldSaysWhy()
    {
        var (view, member, sheet) = World(1_000_000m, 1_020_000m);
        var bid = view.Evaluation.Sections[0].Bids[0];
        sheet.Save([new BidReview(bid.BidId, QualificationVerdict.Pass, null, null, new Dictionary<string, decimal> { ["tech"] = 30m, ["credit"] = 15m })],
            Method, view.Evaluation.Sections, Now);
        IReadOnlyList<BidReview>? saved = null;
        var cut = Render<EvaluationSheetEditor>(p => p.Add(c => c.View, view).Add(c => c.Member, member)
            .Add(c => c.OnSave, reviews => { saved = reviews; }));
        Assert.DoesNotContain("分值须在", cut.Markup, StringComparison.Ordinal);

        var tech = cut.FindAll("[data-testid=review]")[0].QuerySelector("input[data-testid=score-tech], [data-testid=score-tech] input")!;
        tech.Change("45");

        // MudNumericField with Max would have turned 45 into 40 silently; the expert sees 45 and why it cannot stand.
        cut.WaitForAssertion(() => Assert.Contains("分值须在 0 至 40 之间", cut.Find("[data-testid=review] [data-testid=score-error]").TextContent, StringComparison.Ordinal));
        Assert.Equal("45", cut.FindAll("[data-testid=review]")[0].QuerySelector("input[data-testid=score-tech], [data-testid=score-tech] input")!.GetAttribute("value"));
        cut.Find("[data-testid=workbench-save]").Click();
        cut.WaitForAssertion(() => Assert.NotNull(saved));
        Assert.Equal(45m, saved!.Single().Scores["tech"]); // as typed: the server refuses it with its rule (EvaluationSheet)
    }

    [Fact]
    public void SavedDraft_IsShownAgain_AndSaveSendsTheReviews()
    {
        var (view, member, sheet) = World(1_000_000m, 1_020_000m, 1_040_000m);
        var bids = view.Evaluation.Sections[0].Bids;
        sheet.Save([
            new BidReview(bids[0].BidId, QualificationVerdict.Pass, null, null, new Dictionary<string, decimal> { ["tech"] = 30m, ["credit"] = 15m }),
            new BidReview(bids[1].BidId, QualificationVerdict.Reject, RejectionReason.NotResponsive, "工期不满足", new Dictionary<string, decimal>()),
        ], Method, view.Evaluation.Sections, Now);
        IReadOnlyList<BidReview>? saved = null;

        var cut = Render<EvaluationSheetEditor>(p => p.Add(c => c.View, view).Add(c => c.Member, member)
            .Add(c => c.OnSave, reviews => { saved = reviews; }));

        Assert.Contains("投标文件没有对招标文件的实质性要求和条件作出响应", cut.Markup, StringComparison.Ordinal);
        var scores = cut.FindAll("[data-testid=review]")[0].QuerySelectorAll("input").Select(i => i.GetAttribute("value")).ToList();
        Assert.Contains("30", scores);
        Assert.Contains("15", scores);
        cut.Find("[data-testid=workbench-save]").Click();

        cut.WaitForAssertion(() => Assert.NotNull(saved));
        Assert.Equal(2, saved!.Count); // the third bid is not reviewed yet and is not sent
        Assert.Equal(30m, saved.Single(r => r.BidId == bids[0].BidId).Scores["tech"]);
        Assert.Equal((QualificationVerdict.Reject, RejectionReason.NotResponsive, "工期不满足"),
            (saved[1].Verdict, saved[1].Reason, saved[1].Note));
    }

    [Fact]
    public void SubmittedSheet_IsLocked_AndOffersToCompleteTheTask_AndTheServersRuleIsShown()
    {
        var (view, member, sheet) = World(1_000_000m, 1_020_000m);
        var bids = view.Evaluation.Sections[0].Bids;
        sheet.Save([.. bids.Select(b => new BidReview(b.BidId, QualificationVerdict.Pass, null, null, new Dictionary<string, decimal> { ["tech"] = 30m, ["credit"] = 15m }))],
            Method, view.Evaluation.Sections, Now);
        sheet.Submit(Method, view.Evaluation.Sections, Now);

        var cut = Render<EvaluationSheetEditor>(p => p.Add(c => c.View, view).Add(c => c.Member, member).Add(c => c.Locked, true).Add(c => c.CanComplete, true)
            .Add(c => c.Error, "分值须在 0 至该评分因素满分之间，最多两位小数。"));

        Assert.True(cut.Find("[data-testid=workbench-submit]").HasAttribute("disabled"));
        Assert.True(cut.Find("[data-testid=workbench-save]").HasAttribute("disabled"));
        Assert.NotEmpty(cut.FindAll("[data-testid=workbench-complete]"));
        Assert.Contains("最多两位小数", cut.Find("[data-testid=workbench-error]").TextContent, StringComparison.Ordinal);
        // Four buttons: on a phone the row wraps instead of squeezing each label to a narrow column.
        Assert.Contains("flex-wrap", cut.Find("[data-testid=workbench-actions]").ClassList);
    }

    private static EvaluationView Aggregated()
    {
        var (view, _, _) = World(1_000_000m, 1_020_000m, 1_040_000m, 1_060_000m, 1_080_000m);
        var section = view.Evaluation.Sections[0];
        var sheets = Enumerable.Range(0, 3).Select(_ =>
        {
            var s = EvaluationSheet.Start(view.Evaluation.Id, Guid.NewGuid(), Now);
            s.Save([.. section.Bids.Select((b, i) => i == 4
                ? new BidReview(b.BidId, QualificationVerdict.Reject, RejectionReason.CollusionFraudOrBribery, null, new Dictionary<string, decimal>())
                : new BidReview(b.BidId, QualificationVerdict.Pass, null, null, new Dictionary<string, decimal> { ["tech"] = 30m + i, ["credit"] = 15m }))], Method, view.Evaluation.Sections, Now);
            s.Submit(Method, view.Evaluation.Sections, Now);
            return s;
        }).ToList();
        view.Evaluation.Aggregate(EvaluationAggregation.Aggregate(Method, view.Evaluation.Sections, sheets), "expert1", Now);
        return view;
    }

    [Fact]
    public void Outcome_ShowsBasePriceRanksAndRejections_InEnglishToo()
    {
        var view = Aggregated();
        Culture("en");

        var cut = Render<EvaluationOutcomeTable>(p => p.Add(c => c.Evaluation, view.Evaluation));

        Assert.Contains("Base price: 1,009,400.00 yuan", cut.Find("[data-testid=base-price]").TextContent, StringComparison.Ordinal);
        var rows = cut.FindAll("[data-testid=outcome-row]");
        Assert.Equal(5, rows.Count);
        Assert.Equal(3, rows.Count(r => r.TextContent.Contains("Candidate", StringComparison.Ordinal)));
        Assert.Contains("Rejected: Collusion, fraud or bribery (3 members)", cut.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public void PriceAndOutcomeTables_KeepNamesAndResultsReadable_AndScrollSidewaysWhenNarrow(string culture)
    {
        // The 2026-12-07 walk at 1280 px: bidders' names one character a line, the documents column cut off, the
        // chair's report's result column one character a line. Short cells keep one line (the shared list table), names
        // and results wrap from a readable width, the documents stack, and the table scrolls in its own box.
        Culture(culture);
        var (view, member, _) = World(1_000_000m, 1_020_000m, 780_000m);
        var sheet = Render<EvaluationSheetEditor>(p => p.Add(c => c.View, view).Add(c => c.Member, member));
        var prices = sheet.Find("[data-testid=price-table]");
        Assert.NotNull(prices.Closest(".tw-list-table.tw-list-compact"));
        Assert.NotNull(prices.Closest(".tw-table-scroll"));
        Assert.All(sheet.FindAll("[data-testid=price-bidder]"), td => Assert.Equal(["tw-list-wrap", "tw-list-name"], td.ClassList));
        Assert.All(sheet.FindAll("[data-testid=bid-items]"), td => Assert.Contains("tw-list-stack", td.ClassList));

        var outcome = Render<EvaluationOutcomeTable>(p => p.Add(c => c.Evaluation, Aggregated().Evaluation));
        var table = outcome.Find("[data-testid=outcome-table]");
        Assert.NotNull(table.Closest(".tw-list-table.tw-list-compact"));
        Assert.NotNull(table.Closest(".tw-table-scroll"));
        Assert.All(outcome.FindAll("[data-testid=outcome-bidder]"), td => Assert.Equal(["tw-list-wrap", "tw-list-name"], td.ClassList));
        Assert.All(outcome.FindAll("[data-testid=outcome-result]"), td => Assert.Contains("tw-list-wrap", td.ClassList));

        // The task page gives these screens its whole width (beside the task's details, two thirds of 1280 px held 560 px).
        Assert.All(new[] { EvaluationWeb.WorkbenchComponent, EvaluationWeb.ReportComponent, EvaluationWeb.ConfirmationComponent }, c => Assert.True(c.Wide));

        // The shared rules those classes stand for.
        var css = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Trading.Workflow.Web", "wwwroot", "css", "app.css"));
        Assert.Contains(".tw-list-table td.tw-list-name { min-width:", css, StringComparison.Ordinal);
        Assert.Contains(".tw-list-table.tw-list-compact th { white-space: normal; word-break: keep-all; }", css, StringComparison.Ordinal);
        Assert.Contains(".tw-list-table td.tw-list-stack > * { display: flex;", css, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Trading.Workflow.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}

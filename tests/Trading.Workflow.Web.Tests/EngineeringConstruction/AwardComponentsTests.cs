using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Web.Components.Pages.EngineeringConstruction.Award;
using Trading.Workflow.Web.EngineeringConstruction;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.EngineeringConstruction;

/// <summary>
/// The award part's components as each party sees them: the public summary of the candidates, objections (a bidder
/// its own and the form during the publicity only; the tenderee every one with an answer field; a complaint only after
/// the answer), the award decision (rank 1 fixed when state-funded, a reason otherwise), the notices (a bidder its own)
/// and the contracts (the bond's 10% cap named). The commands behind them are the domain tests' (AwardProcedureTests).
/// </summary>
public sealed class AwardComponentsTests : PlatformComponentTest
{
    private static readonly DateTimeOffset ReportAt = new(2026, 11, 2, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly IBusinessCalendar Calendar = new ReloadableBusinessCalendar(new InMemoryHolidayCalendarSource(), TimeProvider.System);
    private static readonly Guid SectionId = Guid.NewGuid();
    private static readonly (Guid Id, string Name)[] Bidders = [(Guid.NewGuid(), "演示建设工程有限公司"), (Guid.NewGuid(), "演示第二建筑有限公司"), (Guid.NewGuid(), "演示第三建筑有限公司")];

    private readonly FixedClock _clock = new(ReportAt.AddDays(1));

    public AwardComponentsTests()
    {
        Services.AddSingleton<TimeProvider>(_clock);
        // Rendering only: the commands of these components run through AwardService, proven by the domain tests.
        Services.AddSingleton(new AwardWeb(null!, null!));
        Services.AddSingleton(new ComplaintService(null!, null!, Calendar, Options.Create(AwardLimits.Statutory), null!, _clock));
        Services.AddSingleton(Options.Create(AwardLimits.Statutory));
        Services.AddSingleton(Calendar);
        Services.AddSingleton(Options.Create(new DocumentOptions { MaxBytes = 10 * 1024 * 1024, ChunkedAboveBytes = 2 * 1024 * 1024, AllowedKinds = [FileKind.Pdf] }));
    }

    private static TenderAward Published(bool stateFunded)
    {
        var tender = Tender.Create(Guid.NewGuid(), "530100-GC-2026-00042", "演示市政道路改造工程（演示数据）", Guid.NewGuid(), Guid.NewGuid(), null, TenderKind.Open, ReportAt);
        var prices = new[] { 4_200_000m, 4_350_000m, 4_480_000m };
        var award = TenderAward.Publish(tender, "演示市城市建设投资有限公司", stateFunded, Guid.NewGuid(), ReportAt, "三家投标人均通过资格评审。",
            [.. Bidders.Select((b, i) => new AwardCandidate(SectionId, "BD01", i + 1, b.Id, b.Name, prices[i], 92m - (5 * i), 300 + i))],
            [.. Bidders.Select((b, i) => new AwardBidder(SectionId, b.Id, b.Name, prices[i], false))],
            ReportAt, AwardLimits.Statutory, Calendar);
        award.AttachPublicityNotice(Guid.NewGuid());
        return award;
    }

    private static AwardView View(TenderAward award, IReadOnlyList<ResultObjection>? objections = null, IReadOnlyList<AwardSection>? sections = null, IReadOnlyList<AwardNoticeIssue>? notices = null) =>
        new(award, sections ?? [], notices ?? [], objections ?? [], [], []);

    private static AwardParty BidderParty(int i) => new(false, [new AwardBidder(SectionId, Bidders[i].Id, Bidders[i].Name, 0m, false)], false, false);

    private static readonly AwardParty TendereeParty = new(true, [], false, false);

    [Fact]
    public void Summary_ShowsRankedCandidatesWithPriceDurationAndScore_AndTheSuspension()
    {
        var award = Published(stateFunded: true);
        var cut = Render<AwardSummary>(p => p.Add(c => c.View, View(award)));
        Assert.Equal(Bidders.Select(b => b.Name), cut.FindAll("[data-testid=candidate-name]").Select(e => e.TextContent.Trim()));
        Assert.Contains("4,350,000.00", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("301", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("2026-11-02 10:00 – 2026-11-06 00:00", cut.Find("[data-testid=award-publicity]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=award-suspended]"));
        // At 390 px the candidate rows stack as cards: every value carries its column's label (the walk found bare values).
        Assert.All(cut.Find("[data-testid=award-candidates]").QuerySelectorAll("tbody td"), td => Assert.False(string.IsNullOrEmpty(td.GetAttribute("data-label"))));
        Assert.Equal("排序", cut.Find("[data-testid=candidate-name]").ParentElement!.Children[1].GetAttribute("data-label"));

        award.Suspend(ReportAt.AddDays(1));
        Assert.NotEmpty(Render<AwardSummary>(p => p.Add(c => c.View, View(award))).FindAll("[data-testid=award-suspended]"));
    }

    [Fact]
    public void Objections_ABidderSeesTheFormDuringPublicityAndOnlyItsOwn_TheTendereeEveryOneWithAnAnswerField()
    {
        var award = Published(stateFunded: true);
        var mine = ResultObjection.Raise(award.ProjectId, Bidders[1].Id, Bidders[1].Name, "第一名项目经理有在建工程。", "bidder2", ReportAt.AddHours(5), ReportAt.AddDays(4));
        var theirs = ResultObjection.Raise(award.ProjectId, Bidders[2].Id, Bidders[2].Name, "评分有误。", "bidder3", ReportAt.AddHours(6), ReportAt.AddDays(4));
        var principal = new System.Security.Claims.ClaimsPrincipal();

        var bidder = Render<ObjectionsBlock>(p => p.Add(c => c.View, View(award, [mine, theirs])).Add(c => c.Party, BidderParty(1)).Add(c => c.Principal, principal));
        Assert.NotEmpty(bidder.FindAll("[data-testid=objection-form]"));
        Assert.Single(bidder.FindAll("[data-testid=result-objection]"));
        Assert.DoesNotContain("评分有误", bidder.Markup, StringComparison.Ordinal);
        Assert.Empty(bidder.FindAll("[data-testid=objection-answer]"));

        var tenderee = Render<ObjectionsBlock>(p => p.Add(c => c.View, View(award, [mine, theirs])).Add(c => c.Party, TendereeParty).Add(c => c.Principal, principal));
        Assert.Equal(2, tenderee.FindAll("[data-testid=result-objection]").Count);
        Assert.Equal(2, tenderee.FindAll("[data-testid=objection-answer]").Count);
        Assert.Empty(tenderee.FindAll("[data-testid=objection-form]"));

        // A bidder that raised none is told so, not that there are none (it cannot see the others').
        var silent = Render<ObjectionsBlock>(p => p.Add(c => c.View, View(award, [mine, theirs])).Add(c => c.Party, BidderParty(0)).Add(c => c.Principal, principal));
        Assert.Empty(silent.FindAll("[data-testid=result-objection]"));
        Assert.Equal("您所代表的单位未提出异议。", silent.Find("[data-testid=objections-none]").TextContent.Trim());

        // After the publicity the form is gone; once answered the objector may complain (条例 60).
        _clock.Now = award.PublicityEndsAt;
        mine.AnswerWith("已核实，不影响评标结果。", "tenderee", award.PublicityEndsAt);
        var later = Render<ObjectionsBlock>(p => p.Add(c => c.View, View(award, [mine, theirs])).Add(c => c.Party, BidderParty(1)).Add(c => c.Principal, principal));
        Assert.Empty(later.FindAll("[data-testid=objection-form]"));
        Assert.Contains("已核实，不影响评标结果。", later.Find("[data-testid=objection-answered]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(later.FindAll("[data-testid=complaint-file]"));
    }

    [Fact]
    public void Objections_UnansweredPastItsDueTime_TheObjectorMayComplain_NobodyElse_AndNotBefore()
    {
        var award = Published(stateFunded: true);
        var mine = ResultObjection.Raise(award.ProjectId, Bidders[1].Id, Bidders[1].Name, "第一名项目经理有在建工程。", "bidder2", ReportAt.AddHours(5), ReportAt.AddDays(4));
        var principal = new System.Security.Claims.ClaimsPrincipal();
        IRenderedComponent<ObjectionsBlock> As(AwardParty party) =>
            Render<ObjectionsBlock>(p => p.Add(c => c.View, View(award, [mine])).Add(c => c.Party, party).Add(c => c.Principal, principal));

        // While the tenderee's 3 日 run, no complaint yet (objection first, then its answer or the period's end).
        _clock.Now = mine.AnswerDueAt.AddMinutes(-1);
        Assert.Empty(As(BidderParty(1)).FindAll("[data-testid=complaint-file]"));

        // The period passed without an answer: the tenderee could otherwise keep the bidder from the supervisor for ever.
        _clock.Now = mine.AnswerDueAt.AddMinutes(1);
        var objector = As(BidderParty(1));
        Assert.NotEmpty(objector.FindAll("[data-testid=complaint-file]"));
        Assert.Contains("招标人未在答复期限内答复", objector.Find("[data-testid=result-objection]").TextContent, StringComparison.Ordinal);
        Assert.Empty(As(BidderParty(2)).FindAll("[data-testid=complaint-file]"));
        Assert.Empty(As(TendereeParty).FindAll("[data-testid=complaint-file]"));

        // The 10 日 from the due time (条例 60) last to 24:00 China time of the last day; then the form gives way to when it ended.
        var last = AwardRules.ComplaintLastDay(null, mine.AnswerDueAt, AwardLimits.Statutory, Calendar);
        _clock.Now = TenderRules.EndOf(last).AddMinutes(-1);
        Assert.NotEmpty(As(BidderParty(1)).FindAll("[data-testid=complaint-file]"));
        _clock.Now = TenderRules.EndOf(last);
        var closed = As(BidderParty(1));
        Assert.Empty(closed.FindAll("[data-testid=complaint-file]"));
        // Due 2026-11-06 10:00; 10 日 not counting that day: the 16th is the last.
        Assert.Equal(new DateOnly(2026, 11, 16), last);
        Assert.Equal("投诉期限已于 2026-11-17 00:00 届满（条例 60）。", closed.Find("[data-testid=complaint-closed]").TextContent.Trim());
    }

    [Fact]
    public void Decision_StateFunded_OnlyRankOneSelectable_OtherwiseAReasonPerSection_AndTheWaitIsSaid()
    {
        var principal = new System.Security.Claims.ClaimsPrincipal();
        var state = Render<AwardDecisionForm>(p => p.Add(c => c.View, View(Published(true))).Add(c => c.Party, TendereeParty).Add(c => c.Principal, principal));
        var radios = state.FindAll("[data-testid=decision-section] input[type=radio]");
        Assert.Equal([false, true, true], radios.Select(r => r.HasAttribute("disabled")));
        Assert.Empty(state.FindAll("[data-testid=decision-reason]"));
        Assert.NotEmpty(state.FindAll("[data-testid=decision-wait]"));

        _clock.Now = ReportAt.AddDays(5);
        var free = Render<AwardDecisionForm>(p => p.Add(c => c.View, View(Published(false))).Add(c => c.Party, TendereeParty).Add(c => c.Principal, principal));
        Assert.All(free.FindAll("[data-testid=decision-section] input[type=radio]"), r => Assert.False(r.HasAttribute("disabled")));
        Assert.Single(free.FindAll("[data-testid=decision-reason]"));
        Assert.Empty(free.FindAll("[data-testid=decision-wait]"));
    }

    [Fact]
    public void Notices_ABidderSeesOnlyItsOwn_TheTendereeEveryOne_AndContractsNameTheBondCap()
    {
        var award = Published(true);
        var at = award.PublicityEndsAt.AddHours(9);
        _clock.Now = at;
        var section = Assert.Single(award.Award([new AwardChoice(SectionId, Bidders[0].Id, null)], 0, "tenderee", at, AwardLimits.Statutory, Calendar));
        var notices = new[]
        {
            AwardNoticeIssue.Issue(award.ProjectId, SectionId, "BD01", Bidders[0].Id, Bidders[0].Name, AwardNoticeKind.Award, at),
            AwardNoticeIssue.Issue(award.ProjectId, SectionId, "BD01", Bidders[1].Id, Bidders[1].Name, AwardNoticeKind.Result, at),
            AwardNoticeIssue.Issue(award.ProjectId, SectionId, "BD01", Bidders[2].Id, Bidders[2].Name, AwardNoticeKind.Result, at),
        };
        notices[1].Printed(new Trading.Workflow.Domain.Printing.IssuedDocument(Guid.NewGuid(), Guid.NewGuid(), award.ProjectId, SectionId, "result-notice", "中标结果通知书",
            award.OwnerName, null, "result-notice.pdf", 1234, new string('a', 64), at, "tenderee", "/verify/x"));
        var view = View(award, sections: [section], notices: notices);
        var principal = new System.Security.Claims.ClaimsPrincipal();

        var bidder = Render<NoticesBlock>(p => p.Add(c => c.View, view).Add(c => c.Party, BidderParty(1)).Add(c => c.Principal, principal));
        Assert.Equal(["中标结果通知书"], bidder.FindAll("[data-testid=award-notice-kind]").Select(e => e.TextContent.Trim()));
        Assert.Equal("result-notice.pdf", bidder.Find("[data-testid=award-notice-pdf]").TextContent.Trim());
        // The hash on a line of its own after the verify link (it read "VerifySM3 aaaa…").
        Assert.NotNull(bidder.Find("[data-testid=award-notice]").QuerySelector("br + [data-testid=award-notice-sm3]"));
        // The five columns and the long file name stay inside a 390 px screen: the table scrolls in its own box.
        Assert.NotNull(bidder.Find("[data-testid=award-notice]").Closest(".tw-table-scroll"));
        Assert.Empty(bidder.FindAll("[data-testid=award-print]"));

        var tenderee = Render<NoticesBlock>(p => p.Add(c => c.View, view).Add(c => c.Party, TendereeParty).Add(c => c.Principal, principal));
        Assert.Equal(3, tenderee.FindAll("[data-testid=award-notice]").Count);
        Assert.NotEmpty(tenderee.FindAll("[data-testid=award-print]"));

        var contracts = Render<ContractsBlock>(p => p.Add(c => c.View, view).Add(c => c.Party, TendereeParty).Add(c => c.Principal, principal));
        Assert.Contains("420,000.00", contracts.Markup, StringComparison.Ordinal);
        Assert.NotEmpty(contracts.FindAll("[data-testid=contract-upload]"));
        var seen = Render<ContractsBlock>(p => p.Add(c => c.View, view).Add(c => c.Party, BidderParty(0)).Add(c => c.Principal, principal));
        Assert.Empty(seen.FindAll("[data-testid=contract-upload]"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
    }
}

using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Web.Components.Pages.EngineeringConstruction.Award;
using Trading.Workflow.Web.Components.Pages.Openings;
using Trading.Workflow.Web.EngineeringConstruction;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.EngineeringConstruction;

/// <summary>
/// Complaints (条例 60–61) as each party sees them: the objector's form once it knows the answer (any of the three
/// objections) and where its complaint stands with both due dates; the supervisor's accept / not accept, then decide,
/// never a decision before acceptance; the supervision list with each kind labelled and overdue ones marked; other
/// bidders see nothing. The commands behind them are the domain tests' (ComplaintProcedureTests).
/// </summary>
public sealed class ComplaintComponentsTests : PlatformComponentTest
{
    private static readonly IBusinessCalendar Calendar = new ReloadableBusinessCalendar(new InMemoryHolidayCalendarSource(), TimeProvider.System);
    private static readonly Guid Project = Guid.NewGuid();
    private static readonly Guid Objector = Guid.NewGuid();

    private readonly Clock _clock = new(At(10, 9));

    public ComplaintComponentsTests()
    {
        Services.AddSingleton<TimeProvider>(_clock);
        // Rendering only: the commands run through ComplaintService, proven by the domain tests.
        Services.AddSingleton(new AwardWeb(null!, null!));
        Services.AddSingleton(new ComplaintService(null!, null!, Calendar, Options.Create(AwardLimits.Statutory), null!, _clock));
        Services.AddSingleton(Options.Create(AwardLimits.Statutory));
        Services.AddSingleton(Calendar);
    }

    private static DateTimeOffset At(int month, int day, int hour = 10) => new(2026, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Filed Wed 30 Sep: acceptance due after Thu 8, Fri 9 and the 调休 Saturday 10 Oct.</summary>
    private static TenderComplaint Filed(ComplaintObjectionKind kind = ComplaintObjectionKind.Documents, Guid? objection = null) =>
        TenderComplaint.File(kind, objection ?? Guid.NewGuid(), Project, Objector, "演示第二建筑有限公司", "答复未解决清单与图纸的矛盾。", "bidder2", At(9, 30),
            ComplaintRules.AcceptDue(At(9, 30), AwardLimits.Statutory, Calendar));

    private IRenderedComponent<ComplaintCard> Card(TenderComplaint complaint, bool canAct) =>
        Render<ComplaintCard>(p => p.Add(c => c.Complaint, complaint).Add(c => c.Now, _clock.GetUtcNow()).Add(c => c.CanAct, canAct).Add(c => c.ShowKind, true));

    [Theory]
    [InlineData("zh-CN", "待受理：行政监督部门应于 2026-10-11 00:00 前决定是否受理（条例 61）。", "投诉：对招标文件的异议（条例 22）")]
    [InlineData("en", "Awaiting acceptance: the supervising department decides by 2026-10-11 00:00 whether to accept it (Regulations art. 61).", "Complaint: objection to the tender documents (Regulations art. 22)")]
    public void Filed_TheSupervisorAcceptsOrRefuses_NeverDecidesYet_TheComplainantOnlyReadsTheDueDate(string culture, string stage, string kind)
    {
        Culture(culture);
        var complaint = Filed();

        var supervisor = Card(complaint, canAct: true);
        Assert.Equal(stage, supervisor.Find("[data-testid=complaint-stage]").TextContent.Trim());
        Assert.Equal(kind, supervisor.Find("[data-testid=complaint-kind]").TextContent.Trim());
        Assert.NotEmpty(supervisor.FindAll("[data-testid=complaint-accept]"));
        Assert.NotEmpty(supervisor.FindAll("[data-testid=complaint-refuse]"));
        Assert.Empty(supervisor.FindAll("[data-testid=complaint-decide]"));
        Assert.Empty(supervisor.FindAll("[data-testid=complaint-overdue]"));

        var complainant = Card(complaint, canAct: false);
        Assert.Equal(stage, complainant.Find("[data-testid=complaint-stage]").TextContent.Trim());
        Assert.Empty(complainant.FindAll("[data-testid=complaint-accept]"));
        Assert.Empty(complainant.FindAll("[data-testid=complaint-refuse]"));
    }

    [Fact]
    public void PastTheLimit_MarkedOverdue_ThenAccepted_TheDecisionDueShown_AndARefusalWithItsReason()
    {
        var complaint = Filed();
        _clock.Now = At(10, 11, 0);
        Assert.NotEmpty(Card(complaint, canAct: true).FindAll("[data-testid=complaint-overdue]"));

        complaint.Accept("supervisor", At(10, 12), ComplaintRules.DecideDue(At(10, 12), AwardLimits.Statutory, Calendar));
        _clock.Now = At(10, 12, 11);
        var accepted = Card(complaint, canAct: true);
        Assert.Empty(accepted.FindAll("[data-testid=complaint-overdue]"));
        Assert.Empty(accepted.FindAll("[data-testid=complaint-accept]"));
        Assert.NotEmpty(accepted.FindAll("[data-testid=complaint-decide]"));
        // Accepted Mon 12 Oct: 30 working days end on Mon 23 Nov.
        Assert.Equal("2026-10-12 10:00 已受理；处理决定应于 2026-11-24 00:00 前作出（条例 61）。", accepted.Find("[data-testid=complaint-stage]").TextContent.Trim());
        Assert.Empty(Card(complaint, canAct: false).FindAll("[data-testid=complaint-decide]"));

        var refused = Filed();
        refused.Refuse("投诉人未先提出异议。", "supervisor", At(10, 9, 15));
        var card = Card(refused, canAct: true);
        Assert.Equal("2026-10-09 15:00 不予受理：投诉人未先提出异议。", card.Find("[data-testid=complaint-stage]").TextContent.Trim());
        Assert.Empty(card.FindAll("[data-testid=complaint-accept]"));
        Assert.Empty(card.FindAll("[data-testid=complaint-decide]"));
    }

    [Fact]
    public void SupervisionList_EveryKindLabelled_OverdueCounted_LinkedToWhereTheObjectionWasMade()
    {
        _clock.Now = At(10, 12);
        var overdue = Filed(ComplaintObjectionKind.Opening);
        var onTime = TenderComplaint.File(ComplaintObjectionKind.Result, Guid.NewGuid(), Project, Objector, "演示第三建筑有限公司", "评分有误。", "bidder3", At(10, 12, 9),
            ComplaintRules.AcceptDue(At(10, 12, 9), AwardLimits.Statutory, Calendar));
        ComplaintItem[] items = [new(overdue, "530100-GC-2026-00042", "演示市政道路改造工程"), new(onTime, "530100-GC-2026-00042", "演示市政道路改造工程")];

        var cut = Render<SupervisionComplaints>(p => p.Add(c => c.Items, items).Add(c => c.Now, _clock.GetUtcNow()).Add(c => c.Principal, new System.Security.Claims.ClaimsPrincipal()));

        Assert.Equal(["投诉：开标现场异议（条例 44）", "投诉：对评标结果的异议（条例 54）"], cut.FindAll("[data-testid=complaint-kind]").Select(e => e.TextContent.Trim()));
        Assert.Single(cut.FindAll("[data-testid=complaint-overdue]"));
        Assert.Contains("1 项投诉超过受理或处理期限", cut.Find("[data-testid=supervision-complaints-overdue]").TextContent, StringComparison.Ordinal);
        Assert.Equal([$"/engineering/tenders/{Project}", $"/engineering/tenders/{Project}/award"],
            cut.FindAll("[data-testid=supervision-complaint-project]").Select(a => a.GetAttribute("href")));
        Assert.Equal(2, cut.FindAll("[data-testid=complaint-accept]").Count);

        var none = Render<SupervisionComplaints>(p => p.Add(c => c.Items, Array.Empty<ComplaintItem>()).Add(c => c.Now, _clock.GetUtcNow()).Add(c => c.Principal, new System.Security.Claims.ClaimsPrincipal()));
        Assert.NotEmpty(none.FindAll("[data-testid=supervision-complaints-none]"));
    }

    [Fact]
    public void OpeningObjection_TheObjectorComplainsOnceAnswered_OrOnceTheOpeningClosed_NobodyElse()
    {
        var objection = Guid.NewGuid();
        IRenderedComponent<ComplaintFiling> Filing(DateTimeOffset? answeredAt, DateTimeOffset? closedAt, bool mayFile, IReadOnlyList<TenderComplaint>? complaints = null) =>
            Render<ComplaintFiling>(p => p.Add(c => c.Kind, ComplaintObjectionKind.Opening).Add(c => c.ObjectionId, objection).Add(c => c.AnsweredAt, answeredAt)
                .Add(c => c.AnswerDueAt, closedAt).Add(c => c.MayFile, mayFile).Add(c => c.Complaints, complaints ?? []));

        // Unanswered while the opening runs: not yet (条例 60: the answer first).
        Assert.Empty(Filing(null, null, mayFile: true).FindAll("[data-testid=complaint-file]"));
        Assert.NotEmpty(Filing(null, At(10, 9, 9), mayFile: true).FindAll("[data-testid=complaint-file]"));
        Assert.NotEmpty(Filing(At(10, 9, 9), null, mayFile: true).FindAll("[data-testid=complaint-file]"));
        Assert.Empty(Filing(At(10, 9, 9), null, mayFile: false).FindAll("[data-testid=complaint-file]"));

        // Filed: where it stands instead of the form.
        var filed = Filing(At(10, 9, 9), null, mayFile: true, [Filed(ComplaintObjectionKind.Opening, objection)]);
        Assert.Empty(filed.FindAll("[data-testid=complaint-file]"));
        Assert.Contains("2026-10-11 00:00", filed.Find("[data-testid=complaint-stage]").TextContent, StringComparison.Ordinal);

        // Not accepted (不予受理): the card says so and the form is there again for a complaint put right.
        var notAccepted = Filed(ComplaintObjectionKind.Opening, objection);
        notAccepted.Refuse("投诉书未附证明材料。", "supervisor", At(10, 9, 15));
        var again = Filing(At(10, 9, 9), null, mayFile: true, [notAccepted]);
        Assert.NotEmpty(again.FindAll("[data-testid=complaint-file]"));
        Assert.Contains("投诉书未附证明材料", again.Find("[data-testid=complaint-stage]").TextContent, StringComparison.Ordinal);

        // Answered 9 Oct: 10 日 to Mon 19 Oct; from 24:00 that day the time has passed.
        _clock.Now = At(10, 20, 0);
        Assert.NotEmpty(Filing(At(10, 9, 9), null, mayFile: true).FindAll("[data-testid=complaint-closed]"));
    }

    /// <summary>
    /// Found walking the tender page at 390 px: the right to complain was the field's label, cut to "Not satisfied with
    /// the answer? Complain…", and nowhere said until when. Now a line above the field gives it with its last day.
    /// </summary>
    [Theory]
    [InlineData("zh-CN", "对答复不服的，可在答复之日起 10 日内向行政监督部门投诉（条例 60），期限至 2026-10-20 00:00。", "招标人未在答复期限内答复的，可自期限届满之日起 10 日内向行政监督部门投诉（条例 60），期限至 2026-10-20 00:00。", "投诉内容")]
    [InlineData("en", "Not satisfied with the answer? Complain to the supervising department within 10 days of it (Regulations art. 60), by 2026-10-20 00:00.", "The tenderee did not answer by the due time: you may complain to the supervising department within 10 days of it (Regulations art. 60), by 2026-10-20 00:00.", "Complaint")]
    public void DocumentsObjection_TheObjectorReadsTheLastDayToComplain_AboveAShortLabel(string culture, string answered, string unanswered, string label)
    {
        Culture(culture);
        IRenderedComponent<ComplaintFiling> Filing(DateTimeOffset? answeredAt, DateTimeOffset due) =>
            Render<ComplaintFiling>(p => p.Add(c => c.Kind, ComplaintObjectionKind.Documents).Add(c => c.ObjectionId, Guid.NewGuid()).Add(c => c.AnsweredAt, answeredAt)
                .Add(c => c.AnswerDueAt, due).Add(c => c.MayFile, true));

        // Answered Fri 9 Oct, or its 3 日 ended then unanswered: 10 日 to Mon 19 Oct, so until 24:00 that day.
        var cut = Filing(At(10, 9, 9), At(10, 10, 0));
        Assert.Equal(answered, cut.Find("[data-testid=complaint-due]").TextContent.Trim());
        Assert.Equal(label, cut.Find("[data-testid=complaint-text]").Closest(".mud-input-control")!.QuerySelector("label")!.TextContent.Trim());
        Assert.Equal(unanswered, Filing(null, At(10, 9, 9)).Find("[data-testid=complaint-due]").TextContent.Trim());
    }

    /// <summary>Found at 390 px: the kind's chip widened the page and the refusal's reason field shrank to a few letters.</summary>
    [Fact]
    public void SupervisorCard_OnAPhone_TheKindWraps_TheActionsWrap_TheReasonKeepsItsWidth()
    {
        Culture("en");
        var cut = Card(Filed(), canAct: true);
        Assert.Contains("tw-chip-wrap", cut.Find("[data-testid=complaint-kind]").ClassList);
        Assert.Contains("flex-wrap", cut.Find("[data-testid=complaint-actions]").ClassList);
        Assert.NotNull(cut.Find("[data-testid=complaint-refuse-reason]").Closest(".tw-grow-field"));
    }

    [Fact]
    public void OpeningRoom_ObjectionsShowWhatIsGivenUnderEach()
    {
        var mine = Trading.Workflow.Domain.Openings.OpeningObjection.Raise(Guid.NewGuid(), Objector, "演示第二建筑有限公司", "bidder2", "解密失败应查明原因。", At(10, 9, 9));
        var cut = Render<OpeningObjections>(p => p.Add(c => c.Objections, [mine])
            .Add(c => c.Below, (Trading.Workflow.Domain.Openings.OpeningObjection o) => b => b.AddMarkupContent(0, $"<span data-testid=\"below\">{o.Id}</span>")));
        Assert.Equal(mine.Id.ToString(), cut.Find("[data-testid=below]").TextContent);
    }

    [Fact]
    public void AwardPage_TheSupervisorAcceptsFirst_TheComplainantSeesItsOwn_OtherBiddersNothing()
    {
        var tender = Tender.Create(Project, "530100-GC-2026-00042", "演示市政道路改造工程（演示数据）", Guid.NewGuid(), Guid.NewGuid(), null, TenderKind.Open, At(9, 28));
        var section = Guid.NewGuid();
        var other = Guid.NewGuid();
        var award = TenderAward.Publish(tender, "演示市城市建设投资有限公司", true, Guid.NewGuid(), At(9, 28), "两家投标人均通过资格评审。",
            [new AwardCandidate(section, "BD01", 1, other, "演示建设工程有限公司", 4_200_000m, 92m, 300), new AwardCandidate(section, "BD01", 2, Objector, "演示第二建筑有限公司", 4_350_000m, 87m, 301)],
            [new AwardBidder(section, other, "演示建设工程有限公司", 4_200_000m, false), new AwardBidder(section, Objector, "演示第二建筑有限公司", 4_350_000m, false)],
            At(9, 28), AwardLimits.Statutory, Calendar);
        var objection = ResultObjection.Raise(Project, Objector, "演示第二建筑有限公司", "评分有误。", "bidder2", At(9, 28, 12), At(10, 9, 0));
        objection.AnswerWith("评分无误。", "tenderee", At(9, 29));
        var complaint = Filed(ComplaintObjectionKind.Result, objection.Id);
        var view = new AwardView(award, [], [], [objection], [complaint], []);
        IRenderedComponent<ObjectionsBlock> As(AwardParty party) =>
            Render<ObjectionsBlock>(p => p.Add(c => c.View, view).Add(c => c.Party, party).Add(c => c.Principal, new System.Security.Claims.ClaimsPrincipal()));

        var supervisor = As(new AwardParty(false, [], false, true));
        Assert.NotEmpty(supervisor.FindAll("[data-testid=complaint-accept]"));
        Assert.Empty(supervisor.FindAll("[data-testid=complaint-decide]"));

        var complainant = As(new AwardParty(false, [new AwardBidder(section, Objector, "演示第二建筑有限公司", 0m, false)], false, false));
        Assert.Contains("2026-10-11 00:00", complainant.Find("[data-testid=complaint-stage]").TextContent, StringComparison.Ordinal);
        Assert.Empty(complainant.FindAll("[data-testid=complaint-accept]"));
        Assert.Empty(complainant.FindAll("[data-testid=complaint-file]"));

        var otherBidder = As(new AwardParty(false, [new AwardBidder(section, other, "演示建设工程有限公司", 0m, false)], false, false));
        Assert.Empty(otherBidder.FindAll("[data-testid=complaint]"));
        Assert.DoesNotContain("答复未解决清单", otherBidder.Markup, StringComparison.Ordinal);
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
    }
}

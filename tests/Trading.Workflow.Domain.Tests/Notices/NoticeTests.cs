using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Tests.Notices;

public sealed class NoticeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly Guid Project = Guid.NewGuid();

    private static Notice Draft(string body = "<p>现公开招标。</p>") => Notice.Draft(Project, Guid.NewGuid(), TradeTypes.EngineeringConstruction,
        NoticeKind.Tender, "演示学校教学楼新建工程施工招标公告", body, ["sha-1"], "tenderee", Now);

    private static Notice Published()
    {
        var notice = Draft();
        notice.SubmitForReview();
        notice.Publish("staff", Now.AddHours(1));
        return notice;
    }

    [Theory]
    [InlineData("<p>开标时间<script>alert(1)</script></p>", "<p>开标时间</p>")]
    [InlineData("<p onclick=\"steal()\">投标</p>", "<p>投标</p>")]
    [InlineData("<a href=\"javascript:alert(1)\">文件</a>", "<a rel=\"noopener noreferrer nofollow\">文件</a>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe><p>正文</p>", "<p>正文</p>")]
    [InlineData("<p style=\"position:fixed\">正文</p>", "<p>正文</p>")]
    [InlineData("<table><tr><td colspan=\"2\">标段</td></tr></table>", "<table><tbody><tr><td colspan=\"2\">标段</td></tr></tbody></table>")]
    public void Draft_SanitisesTheBody(string body, string expected)
    {
        Assert.Equal(expected, Draft(body).BodyHtml);
    }

    [Fact]
    public void Draft_ABodyThatIsOnlyScript_IsRefusedAsEmpty()
    {
        Assert.Equal(NoticeRules.BodyRequired, Assert.Throws<DomainRuleException>(() => Draft("<script>x()</script>")).RuleCode);
    }

    [Fact]
    public void Publish_ByTheDrafter_IsRefused()
    {
        var notice = Draft();
        notice.SubmitForReview();

        Assert.Equal(NoticeRules.ReviewerIsDrafter, Assert.Throws<DomainRuleException>(() => notice.Publish("tenderee", Now)).RuleCode);
    }

    [Fact]
    public void Published_CannotBeEditedOrReturned()
    {
        var notice = Published();

        Assert.Equal(NoticeRules.NotEditable, Assert.Throws<DomainRuleException>(() => notice.Edit("新标题", "<p>x</p>", [], "tenderee")).RuleCode);
        Assert.Equal(NoticeRules.NotUnderReview, Assert.Throws<DomainRuleException>(() => notice.Return("staff", "不对")).RuleCode);
        Assert.Equal(Now.AddHours(1), notice.PublishedAt);
    }

    [Fact]
    public void Return_NeedsAReasonAndReopensTheDraft()
    {
        var notice = Draft();
        notice.SubmitForReview();

        Assert.Equal(NoticeRules.ReturnReasonRequired, Assert.Throws<DomainRuleException>(() => notice.Return("staff", "")).RuleCode);
        notice.Return("staff", "投标截止时间不足20日");
        notice.Edit("演示学校教学楼新建工程施工招标公告", "<p>截止时间已调整。</p>", [], "tenderee");
        notice.SubmitForReview();

        Assert.Equal(NoticeState.UnderReview, notice.State);
        Assert.Null(notice.ReturnReason);
    }

    [Fact]
    public void Correction_NamesAPublishedNoticeOfTheSameProject()
    {
        var original = Published();

        var correction = Notice.Draft(Project, original.CentreId, original.TradeType, NoticeKind.Tender, "更正公告", "<p>更正开标时间。</p>", [], "tenderee", Now, original);

        Assert.Equal(NoticeKind.Correction, correction.Kind);
        Assert.Equal(original.Id, correction.CorrectsNoticeId);
        Assert.Equal(NoticeRules.CorrectsUnpublished, Assert.Throws<DomainRuleException>(() =>
            Notice.Draft(Project, Guid.NewGuid(), "x", NoticeKind.Correction, "更正", "<p>x</p>", [], "t", Now, Draft())).RuleCode);
        Assert.Equal(NoticeRules.CorrectsOtherProject, Assert.Throws<DomainRuleException>(() =>
            Notice.Draft(Guid.NewGuid(), Guid.NewGuid(), "x", NoticeKind.Correction, "更正", "<p>x</p>", [], "t", Now, original)).RuleCode);
    }
}

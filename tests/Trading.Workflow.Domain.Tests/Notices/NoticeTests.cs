using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Tests.Notices;

public sealed class NoticeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly NoticeProject Project = NoticeProject.Create(
        Guid.NewGuid(), "GC-440100-2026-0001", Guid.NewGuid(), TradeTypes.EngineeringConstruction, "440100", "演示学校教学楼新建工程");

    private static readonly NoticeAttachment File = NoticeAttachment.Create(new string('a', 64), "招标文件.pdf", 1024);

    private static Notice Draft(string body = "<p>现公开招标。</p>", NoticeProject? project = null) => Notice.Draft(project ?? Project,
        NoticeKind.Tender, "演示学校教学楼新建工程施工招标公告", body, [File], "tenderee", Now);

    private static Notice Published()
    {
        var notice = Draft();
        notice.SubmitForReview("tenderee", Now);
        notice.Publish("staff", Now.AddHours(1));
        return notice;
    }

    [Theory]
    [InlineData("<p>开标时间<script>alert(1)</script></p>", "<p>开标时间</p>")]
    [InlineData("<p onclick=\"steal()\">投标</p>", "<p>投标</p>")]
    [InlineData("<a href=\"javascript:alert(1)\">文件</a>", "<a rel=\"noopener noreferrer nofollow\">文件</a>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe><p>正文</p>", "<p>正文</p>")]
    [InlineData("<p style=\"position:fixed\">正文</p>", "<p>正文</p>")]
    [InlineData("<img src=x onerror=alert(1)><p>正文</p>", "<p>正文</p>")]
    [InlineData("<svg><script>alert(1)</script></svg><p>正文</p>", "<p>正文</p>")]
    [InlineData("<table><tr><td colspan=\"2\">标段</td></tr></table>", "<table><tbody><tr><td colspan=\"2\">标段</td></tr></tbody></table>")]
    public void Draft_SanitisesTheBody(string body, string expected)
    {
        Assert.Equal(expected, Draft(body).BodyHtml);
    }

    [Fact]
    public void Draft_ABodyThatIsOnlyScriptOrEmptyTags_IsRefusedAsEmpty()
    {
        Assert.Equal(NoticeRules.BodyRequired, Assert.Throws<DomainRuleException>(() => Draft("<script>x()</script>")).RuleCode);
        Assert.Equal(NoticeRules.BodyRequired, Assert.Throws<DomainRuleException>(() => Draft("<p> </p><br>")).RuleCode);
    }

    [Fact]
    public void Draft_KeepsTheProjectItBelongsTo()
    {
        var notice = Notice.Draft(Project, NoticeKind.Tender, "标题", "<p>正文</p>", [File, File], "tenderee", Now, sectionIds: [Guid.Empty, Guid.Empty]);

        Assert.Equal((Project.ProjectId, Project.ProjectCode, Project.CentreId, Project.TradeType, Project.RegionCode),
            (notice.ProjectId, notice.ProjectCode, notice.CentreId, notice.TradeType, notice.RegionCode));
        Assert.Single(notice.Attachments);
        Assert.Single(notice.SectionIds);
        Assert.Equal(NoticeState.Draft, notice.State);
    }

    [Fact]
    public void Project_WithoutCodeOrCentre_IsRefused()
    {
        Assert.Equal(NoticeRules.ProjectRequired, Assert.Throws<DomainRuleException>(() =>
            NoticeProject.Create(Guid.NewGuid(), " ", Guid.NewGuid(), TradeTypes.LandRights, "440100", "地块")).RuleCode);
        Assert.Equal(NoticeRules.ProjectRequired, Assert.Throws<DomainRuleException>(() =>
            NoticeProject.Create(Guid.NewGuid(), "TD-1", Guid.Empty, TradeTypes.LandRights, "440100", "地块")).RuleCode);
    }

    [Theory]
    [InlineData("ABC", "a.pdf", 1)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "a.pdf", 0)]
    public void Attachment_WithoutAHashOrBytes_IsRefused(string sha, string name, long length)
    {
        Assert.Equal(NoticeRules.AttachmentInvalid, Assert.Throws<DomainRuleException>(() => NoticeAttachment.Create(sha, name, length)).RuleCode);
    }

    [Fact]
    public void Publish_ByTheDrafterOrSubmitter_IsRefused()
    {
        var notice = Draft();
        notice.SubmitForReview("agency-clerk", Now);

        Assert.Equal(NoticeRules.ReviewerIsDrafter, Assert.Throws<DomainRuleException>(() => notice.Publish("tenderee", Now)).RuleCode);
        Assert.Equal(NoticeRules.ReviewerIsDrafter, Assert.Throws<DomainRuleException>(() => notice.Publish("agency-clerk", Now)).RuleCode);
        Assert.Equal(NoticeState.UnderReview, notice.State);
    }

    [Fact]
    public void Draft_CannotBePublishedWithoutReview()
    {
        Assert.Equal(NoticeRules.NotUnderReview, Assert.Throws<DomainRuleException>(() => Draft().Publish("staff", Now)).RuleCode);
    }

    [Fact]
    public void UnderReview_CannotBeEdited()
    {
        var notice = Draft();
        notice.SubmitForReview("tenderee", Now);

        Assert.Equal(NoticeRules.NotEditable, Assert.Throws<DomainRuleException>(() => notice.Edit("新标题", "<p>x</p>", [], "tenderee")).RuleCode);
    }

    [Fact]
    public void Published_IsImmutable()
    {
        var notice = Published();
        var version = notice.Version;

        Assert.Equal(NoticeRules.Immutable, Assert.Throws<DomainRuleException>(() => notice.Edit("新标题", "<p>x</p>", [], "tenderee")).RuleCode);
        Assert.Equal(NoticeRules.Immutable, Assert.Throws<DomainRuleException>(() => notice.SubmitForReview("tenderee", Now)).RuleCode);
        Assert.Equal(NoticeRules.NotUnderReview, Assert.Throws<DomainRuleException>(() => notice.Return("staff", "不对")).RuleCode);
        Assert.Equal(NoticeRules.NotUnderReview, Assert.Throws<DomainRuleException>(() => notice.Publish("staff2", Now.AddDays(1))).RuleCode);
        Assert.Equal(Now.AddHours(1), notice.PublishedAt);
        Assert.Equal("演示学校教学楼新建工程施工招标公告", notice.Title);
        Assert.Equal(version, notice.Version);
    }

    [Fact]
    public void Return_NeedsAReasonAndReopensTheDraft()
    {
        var notice = Draft();
        notice.SubmitForReview("tenderee", Now);

        Assert.Equal(NoticeRules.ReturnReasonRequired, Assert.Throws<DomainRuleException>(() => notice.Return("staff", "  ")).RuleCode);
        notice.Return("staff", "投标截止时间不足20日");
        Assert.Equal((NoticeState.Returned, "投标截止时间不足20日"), (notice.State, notice.ReturnReason));
        notice.Edit("演示学校教学楼新建工程施工招标公告", "<p>截止时间已调整。</p>", [], "tenderee");
        notice.SubmitForReview("tenderee", Now);

        Assert.Equal(NoticeState.UnderReview, notice.State);
        Assert.Null(notice.ReturnReason);
        Assert.Empty(notice.Attachments);
    }

    [Fact]
    public void Correction_NamesAPublishedNoticeOfTheSameProject()
    {
        var original = Published();

        var correction = Notice.Draft(Project, NoticeKind.Tender, "更正公告", "<p>更正开标时间。</p>", [], "tenderee", Now, original);

        Assert.Equal(NoticeKind.Correction, correction.Kind);
        Assert.Equal(original.Id, correction.CorrectsNoticeId);
        Assert.Equal(NoticeState.Published, original.State);
        Assert.Equal(NoticeRules.CorrectsUnpublished, Assert.Throws<DomainRuleException>(() =>
            Notice.Draft(Project, NoticeKind.Correction, "更正", "<p>x</p>", [], "t", Now)).RuleCode);
        Assert.Equal(NoticeRules.CorrectsUnpublished, Assert.Throws<DomainRuleException>(() =>
            Notice.Draft(Project, NoticeKind.Correction, "更正", "<p>x</p>", [], "t", Now, Draft())).RuleCode);
        var otherProject = Project with { ProjectId = Guid.NewGuid() };
        Assert.Equal(NoticeRules.CorrectsOtherProject, Assert.Throws<DomainRuleException>(() =>
            Notice.Draft(otherProject, NoticeKind.Correction, "更正", "<p>x</p>", [], "t", Now, original)).RuleCode);
    }

    [Fact]
    public void PlainText_DropsTagsAndSeparatesBlocks()
    {
        Assert.Equal("标段 一 二 城市道路", NoticeHtml.ToPlainText("<table><tr><td>标段</td><td>一</td></tr></table><p>二</p><p>城市<b>道路</b></p>"));
    }
}

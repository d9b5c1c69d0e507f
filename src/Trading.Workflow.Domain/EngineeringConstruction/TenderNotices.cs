using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>The tender's notices the platform builds from what it holds (nobody types them).</summary>
public static class TenderNotices
{
    /// <summary>
    /// Publishes a notice the platform writes beside the one that announced the tender (its latest published tender or
    /// prequalification notice), in the caller's transaction: searchable and in the trail. An invited tender has no such
    /// notice (its invitees read the tender page): null, nothing published.
    /// </summary>
    internal static async Task<Notice?> PublishBesideAnnouncementAsync(
        TradingDbContext db, IAuditTrail trail, Tender tender, string actor, Func<NoticeProject, Notice, Notice> build, object trailData,
        CancellationToken cancellationToken)
    {
        var kind = tender.Prequalification ? NoticeKind.Prequalification : NoticeKind.Tender;
        var announcement = await db.Set<Notice>().AsNoTracking()
            .Where(n => n.ProjectId == tender.ProjectId && n.Kind == kind && n.State == NoticeState.Published)
            .OrderByDescending(n => n.PublishedAt).FirstOrDefaultAsync(cancellationToken);
        if (announcement is null)
        {
            return null;
        }

        var project = await db.Set<Project>().AsNoTracking().FirstAsync(p => p.Id == tender.ProjectId, cancellationToken);
        var notice = build(NoticeProject.Create(project.Id, project.Code, project.CentreId, project.TradeType, project.RegionCode, project.Name), announcement);
        db.Add(notice);
        await db.SaveChangesAsync(cancellationToken);
        await NoticeSearchIndex.AddAsync(db, notice, cancellationToken);
        await trail.AppendAsync(db, NoticeService.Record(actor, notice, "notices.notice.published", trailData), cancellationToken);
        return notice;
    }

    /// <summary>
    /// 更正公告 of the notice that announced the sale, when the sale went on later than announced and its end or the bid
    /// deadline moved (<see cref="Tender.OpenSale"/>): the published times no longer hold, and only a published correction
    /// tells the bidders who read them (条例 15: what a notice announces is published on the portal).
    /// </summary>
    internal static Notice SaleDatesCorrection(NoticeProject project, Notice original, SaleDatesMoved moved, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(moved);
        var title = $"{project.ProjectName} 更正公告（招标文件发售及投标截止时间）";
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture,
            $"<p>项目 / Project: {E(project.ProjectCode)} {E(project.ProjectName)}；更正 / Corrects: {E(original.Title)}</p>");
        body.Append("<p>招标文件未能在原定时间开始发售，发售于下列时间开始。为保证不少于 5 日的发售期（条例 16）和不少于 20 日的编制投标文件时间（招标投标法第二十四条），发售截止和投标截止（开标）时间相应顺延如下，其余内容不变。 ");
        body.Append("The documents did not go on sale at the time announced. To keep the sale at least 5 days long and the time to prepare bids at least 20 days, the end of the sale and the bid deadline (the opening) move as below; everything else stands.</p>");
        body.Append("<table><thead><tr><th>事项 / Item</th><th>原定 / Announced</th><th>变更为 / Now</th></tr></thead><tbody>");
        Row(body, "招标文件发售开始 / Sale starts", moved.SaleStartsBefore, moved.SaleStartsAt);
        Row(body, "招标文件发售截止 / Sale ends", moved.SaleEndsBefore, moved.SaleEndsAt);
        Row(body, "投标截止及开标时间 / Bid deadline and opening", moved.DeadlineBefore, moved.BidDeadline);
        body.Append("</tbody></table><p>时间均为北京时间 (UTC+8). Times are China Standard Time.</p>");
        var notice = Notice.Draft(
            project, NoticeKind.Correction, title.Length <= Notice.MaxTitleLength ? title : title[..Notice.MaxTitleLength], body.ToString(), [],
            AwardNotices.PlatformDrafter, now, original, original.SectionIds);
        notice.SubmitForReview(AwardNotices.PlatformDrafter, now);
        notice.Publish(AwardNotices.PlatformReviewer, now);
        return notice;
    }

    /// <summary>
    /// 澄清公告 of a clarification or amendment (法 23): published on the portal where the tender was announced, in the
    /// clarification's own transaction, so the portal and the tender page always tell the same clarifications. The
    /// amended file is not attached: it goes only to the entities that obtained the documents, on the tender page.
    /// </summary>
    internal static Notice Clarification(NoticeProject project, Notice announcement, TenderClarification clarification, string publishedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        ArgumentNullException.ThrowIfNull(clarification);
        var title = $"{project.ProjectName} 招标文件澄清公告（第 {clarification.Number} 号）：{clarification.Title}";
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture,
            $"<p>项目 / Project: {E(project.ProjectCode)} {E(project.ProjectName)}；澄清或修改 / Clarification No. {clarification.Number}: {E(clarification.Title)}</p>");
        foreach (var paragraph in clarification.Body.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>{E(paragraph)}</p>");
        }

        if (clarification.DocumentId is not null)
        {
            body.Append("<p>修改后的招标文件已发给所有获取招标文件的潜在投标人，请在本项目的招标项目页下载。 The amended documents went to every entity that obtained the documents; download them on the project's tender page.</p>");
        }

        var deadline = AwardNotices.Local(clarification.DeadlineAfter);
        body.Append(clarification.MovedDeadline
            ? $"<p>投标截止及开标时间顺延至 {deadline}（北京时间，法 23）。 The bid deadline and the opening move to {deadline} (China Standard Time, Bidding Law art. 23).</p>"
            : $"<p>投标截止及开标时间不变：{deadline}（北京时间）。 The bid deadline and the opening stand: {deadline} (China Standard Time).</p>");
        var notice = Notice.Draft(
            project, NoticeKind.Clarification, title.Length <= Notice.MaxTitleLength ? title : title[..Notice.MaxTitleLength], body.ToString(), [],
            publishedBy, now, sectionIds: announcement.SectionIds);
        notice.SubmitForReview(publishedBy, now);
        notice.Publish(AwardNotices.PlatformReviewer, now);
        return notice;
    }

    private static void Row(StringBuilder body, string label, DateTimeOffset before, DateTimeOffset now) =>
        body.Append(CultureInfo.InvariantCulture,
            $"<tr><td>{E(label)}</td><td>{AwardNotices.Local(before)}</td><td>{(before == now ? "不变 / unchanged" : AwardNotices.Local(now))}</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

using System.Globalization;
using System.Net;
using System.Text;
using Trading.Workflow.Domain.Notices;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>The tender's notices the platform builds from what it holds (nobody types them).</summary>
public static class TenderNotices
{
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

    private static void Row(StringBuilder body, string label, DateTimeOffset before, DateTimeOffset now) =>
        body.Append(CultureInfo.InvariantCulture,
            $"<tr><td>{E(label)}</td><td>{AwardNotices.Local(before)}</td><td>{(before == now ? "不变 / unchanged" : AwardNotices.Local(now))}</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

using System.Globalization;
using System.Net;
using System.Text;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Printing;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// The texts the platform builds from what it holds (nobody types them): the candidates' publicity and the result
/// announcement on the portal, and the award and result notices printed as PDFs.
/// </summary>
public static class AwardNotices
{
    /// <summary>Who "drafts" and "reviews" notices built by the platform from the confirmed evaluation report or the award decision.</summary>
    public const string PlatformDrafter = "system:procedure";

    public const string PlatformReviewer = "system:award-record";

    public static string Local(DateTimeOffset instant) =>
        instant.ToOffset(ChinaStandardTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Money(decimal value) => value.ToString("N2", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    internal static Notice PublicityNotice(NoticeProject project, TenderAward award, AwardLimits limits, DateTimeOffset now)
    {
        var title = Trim($"{award.ProjectName} 中标候选人公示");
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>项目 / Project: {E(award.ProjectCode)} {E(award.ProjectName)}；招标人 / Tenderee: {E(award.OwnerName)}</p>");
        body.Append(CultureInfo.InvariantCulture,
            $"<p>公示期 / Publicity: {Local(award.PublicityStartsAt)} 至 / to {Local(award.PublicityEndsAt)} (UTC+8)；评标报告确认 / Report confirmed: {Local(award.ReportConfirmedAt)}</p>");
        foreach (var section in award.Candidates.GroupBy(c => c.SectionCode))
        {
            body.Append(CultureInfo.InvariantCulture, $"<h3>标段 / Section {E(section.Key)}</h3>");
            body.Append("<table><thead><tr><th>排序 / Rank</th><th>中标候选人 / Candidate</th><th>投标报价（元）/ Price (CNY)</th><th>工期（日历天）/ Duration (days)</th><th>评标得分 / Score</th></tr></thead><tbody>");
            foreach (var c in section.OrderBy(c => c.Rank))
            {
                body.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{c.Rank}</td><td>{E(c.EntityName)}</td><td>{Money(c.Price)}</td><td>{(c.DurationDays is { } d ? d.ToString(CultureInfo.InvariantCulture) : "—")}</td><td>{(c.Score is { } s ? s.ToString("0.##", CultureInfo.InvariantCulture) : "—")}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append(CultureInfo.InvariantCulture, $"<p>评标情况 / Evaluation summary: {E(award.ReportSummary)}</p>");
        body.Append(CultureInfo.InvariantCulture,
            $"<p>异议 / Objections: 投标人或者其他利害关系人对评标结果有异议的，应当在公示期间登录平台在本项目的定标页面在线提出；招标人自收到异议之日起 {limits.ObjectionAnswerDays} 日内作出答复，作出答复前暂停招标投标活动（条例 54）。对答复不满意的，可以自知道或者应当知道之日起 {limits.ComplaintDays} 日内向行政监督部门投诉（条例 60）。 Bidders object online on the project's award page during the publicity; the tenderee answers within {limits.ObjectionAnswerDays} 日 and nothing proceeds until then. A complaint to the supervising department follows the answer, within {limits.ComplaintDays} 日.</p>");
        var notice = Notice.Draft(project, NoticeKind.CandidatePublicity, title, body.ToString(), [], PlatformDrafter, now, sectionIds: award.SectionIds);
        notice.SubmitForReview(PlatformDrafter, now);
        notice.Publish(PlatformReviewer, now);
        return notice;
    }

    internal static Notice ResultNotice(NoticeProject project, TenderAward award, IReadOnlyList<AwardSection> sections, DateTimeOffset now)
    {
        var title = Trim($"{award.ProjectName} 中标结果公告");
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>项目 / Project: {E(award.ProjectCode)} {E(award.ProjectName)}；招标人 / Tenderee: {E(award.OwnerName)}</p>");
        body.Append(CultureInfo.InvariantCulture, $"<p>定标时间 / Awarded: {Local(now)} (UTC+8)</p>");
        body.Append("<table><thead><tr><th>标段 / Section</th><th>中标人 / Winner</th><th>中标价（元）/ Price (CNY)</th><th>候选人排序 / Rank</th></tr></thead><tbody>");
        foreach (var s in sections.OrderBy(s => s.SectionCode, StringComparer.Ordinal))
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(s.SectionCode)}</td><td>{E(s.WinnerName)}</td><td>{Money(s.ContractPrice)}</td><td>{s.WinnerRank}</td></tr>");
        }

        body.Append("</tbody></table>");
        var notice = Notice.Draft(project, NoticeKind.Result, title, body.ToString(), [], PlatformDrafter, now, sectionIds: [.. sections.Select(s => s.SectionId)]);
        notice.SubmitForReview(PlatformDrafter, now);
        notice.Publish(PlatformReviewer, now);
        return notice;
    }

    /// <summary>The 中标通知书 or 中标结果通知书 of one bidder, as the printing part renders it.</summary>
    public static OfficialDocumentSpec Pdf(TenderAward award, AwardSection section, AwardNoticeIssue issue, string issuedBy)
    {
        ArgumentNullException.ThrowIfNull(award);
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(issue);
        var isAward = issue.Kind == AwardNoticeKind.Award;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("项目编号 / Project code", award.ProjectCode),
            new("项目名称 / Project", award.ProjectName),
            new("标段 / Section", section.SectionCode),
            new("招标人 / Tenderee", award.OwnerName),
            new("致 / To", issue.EntityName),
            new("发出时间 / Issued", Local(issue.IssuedAt) + " (UTC+8)"),
        };
        var blocks = new List<DocumentBlock> { new FieldsBlock(fields) };
        if (isAward)
        {
            blocks.Add(new ParagraphBlock(
                $"经评标委员会评审、中标候选人公示期满，贵单位被确定为本标段中标人，中标价 {Money(section.ContractPrice)} 元。请自本通知书发出之日起 30 日内，按照招标文件和贵单位的投标文件与招标人订立书面合同（《招标投标法》第四十六条）；履约保证金不超过中标合同金额的 10%（《实施条例》第五十八条）。"));
            blocks.Add(new ParagraphBlock(
                $"You are awarded this section at {Money(section.ContractPrice)} CNY. Sign the written contract with the tenderee within 30 日 of this notice (Bidding Law art. 46); a performance bond may not exceed 10% of the contract price (Regulations art. 58)."));
        }
        else
        {
            blocks.Add(new ParagraphBlock(
                $"本标段中标人为 {section.WinnerName}，中标价 {Money(section.ContractPrice)} 元。感谢贵单位参与投标。投标保证金及银行同期存款利息将在书面合同签订后 5 日内退还（《实施条例》第五十七条）。"));
            blocks.Add(new ParagraphBlock(
                $"The winner of this section is {section.WinnerName} at {Money(section.ContractPrice)} CNY. Your bid deposit is refunded with bank deposit interest within 5 日 after the contract is signed (Regulations art. 57)."));
        }

        blocks.Add(new SignaturesBlock([$"招标人 / Tenderee: {award.OwnerName}"]));
        return new OfficialDocumentSpec(
            award.ProjectId,
            isAward ? OfficialDocumentKinds.AwardNotice : OfficialDocumentKinds.ResultNotice,
            isAward ? "中标通知书" : "中标结果通知书",
            award.OwnerName,
            blocks,
            DocumentAudience.ForEntities(issue.EntityId, award.OwnerEntityId))
        {
            SectionId = section.SectionId,
            // What it is, where and to whom (the tenderee downloads one a bidder): never the issue's GUID.
            FileName = NoticeFileName.Of(".pdf", isAward ? "中标通知书" : "中标结果通知书", award.ProjectCode, section.SectionCode, issue.EntityName),
            Number = $"{award.ProjectCode}-{section.SectionCode}-{(isAward ? "Z" : "J")}{issue.Id.ToString("N")[..6].ToUpperInvariant()}",
            IssuedBy = issuedBy,
        };
    }

    private static string Trim(string title) => title.Length <= Notice.MaxTitleLength ? title : title[..Notice.MaxTitleLength];
}

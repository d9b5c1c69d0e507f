using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Domain.Printing;

/// <summary>
/// The opening record and the evaluation report as official PDFs, built only from what the platform holds: the signed
/// opening record (tr_opening_records) and the committee's confirmed report (<see cref="IEvaluationResults"/>, from the
/// evaluation part when it is registered). Each is issued once; asking again returns the one issued.
/// </summary>
public sealed class ProjectRecordPrinter(ITradingDatabase database, IOfficialDocuments documents, IServiceProvider services) : IProjectRecordPrinter
{
    public async Task<IssuedDocument> IssueOpeningRecordAsync(Guid projectId, Guid sectionId, string issuedBy, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var issued = await IssueOpeningRecordAsync(db, projectId, sectionId, issuedBy, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return issued;
    }

    public async Task<IssuedDocument> IssueEvaluationReportAsync(Guid projectId, string issuedBy, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var issued = await IssueEvaluationReportAsync(db, projectId, issuedBy, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return issued;
    }

    /// <summary>The same in the caller's transaction (the <c>printing.issueOpeningRecord</c> handler: the engine's command).</summary>
    public async Task<IssuedDocument> IssueOpeningRecordAsync(TradingDbContext db, Guid projectId, Guid sectionId, string issuedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(issuedBy);
        if (await ExistingAsync(db, projectId, sectionId, OfficialDocumentKinds.OpeningRecord, cancellationToken) is { } issued)
        {
            return issued;
        }

        var session = await db.Set<OpeningSession>().AsNoTracking().FirstOrDefaultAsync(s => s.SectionId == sectionId && s.ProjectId == projectId, cancellationToken);
        var record = session is null ? null : await db.Set<OpeningRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.SessionId == session.Id, cancellationToken);
        if (session is null || record is null)
        {
            throw new DomainRuleException(PrintingRules.OpeningNotClosed, "The section's opening has not closed with a signed record yet.");
        }

        var bidders = await db.Set<OpeningBid>().AsNoTracking().Where(b => b.SessionId == session.Id).Select(b => b.EntityId).ToListAsync(cancellationToken);
        var spec = OpeningRecordSpec(projectId, sectionId, record, await IssuerAsync(db, session.CentreId, cancellationToken), bidders, issuedBy);
        return await documents.IssueAsync(db, spec, cancellationToken);
    }

    /// <summary>The same in the caller's transaction (the <c>printing.issueEvaluationReport</c> handler: the engine's command).</summary>
    public async Task<IssuedDocument> IssueEvaluationReportAsync(TradingDbContext db, Guid projectId, string issuedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(issuedBy);
        if (await ExistingAsync(db, projectId, null, OfficialDocumentKinds.EvaluationReport, cancellationToken) is { } issued)
        {
            return issued;
        }

        var results = services.GetService<IEvaluationResults>();
        var report = results is null ? null : await results.GetConfirmedReportAsync(db, projectId, cancellationToken);
        if (report is null)
        {
            throw new DomainRuleException(PrintingRules.ReportNotConfirmed, "The evaluation report is not confirmed by every committee member yet.");
        }

        var project = await db.Set<Project>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken)
            ?? throw new DomainRuleException(PrintingRules.ProjectNotFound, $"Project {projectId} does not exist.");
        return await documents.IssueAsync(db, EvaluationReportSpec(report, await IssuerAsync(db, project.CentreId, cancellationToken), issuedBy), cancellationToken);
    }

    /// <summary>The opening record's document: read by the section's bidders, the tenderee, staff and supervisors.</summary>
    public static OfficialDocumentSpec OpeningRecordSpec(Guid projectId, Guid sectionId, OpeningRecord record, string issuer, IReadOnlyCollection<Guid> bidders, string issuedBy)
    {
        ArgumentNullException.ThrowIfNull(record);
        var content = record.Content;
        var blocks = new List<DocumentBlock>
        {
            new FieldsBlock([
                new("标段编号", content.SectionCode),
                new("标段名称", content.SectionSubject),
                new("投标截止时间", PdfComposer.FormatChinaTime(content.Deadline)),
                new("开标结束时间", PdfComposer.FormatChinaTime(content.ClosedAt)),
                new("递交投标文件数", content.BidCount.ToString(CultureInfo.InvariantCulture)),
                new("未解密（未开启）数", content.NotOpened.ToString(CultureInfo.InvariantCulture)),
            ]),
            new HeadingBlock("开标一览表"),
            new TableBlock(
                ["序号", "投标人", "投标报价（元）", "工期（日历天）", "质量", "保证金", "备注"],
                [.. content.Entries.Select(e => (IReadOnlyList<string>)[
                    e.Order.ToString(CultureInfo.InvariantCulture), e.Bidder, e.Price, e.DurationDays.ToString(CultureInfo.InvariantCulture),
                    e.Quality, DepositLabel(e.Deposit), e.Remarks])],
                [0.6, 2.6, 1.6, 1.1, 1, 1, 1.6]),
            new HeadingBlock("记录说明", 2),
            new ParagraphBlock(
                "本开标记录由平台依据各投标人解密后的投标函自动生成，未经人工录入。记录的规范化内容经平台 SM2 签名："
                + $"SM3 {record.Sm3}；公钥指纹 {record.KeyFingerprint}；签名时间 {PdfComposer.FormatChinaTime(record.SignedAt)}。"),
        };
        return new OfficialDocumentSpec(projectId, OfficialDocumentKinds.OpeningRecord, "开标记录", issuer, blocks,
            new DocumentAudience([.. bidders.Distinct()], [PlatformRoles.Tenderee], []))
        {
            SectionId = sectionId,
            FileName = $"开标记录-{content.ProjectCode}-{content.SectionCode}",
            IssuedBy = issuedBy,
        };
    }

    /// <summary>The evaluation report's document: read by the tenderee, the committee, staff and supervisors.</summary>
    public static OfficialDocumentSpec EvaluationReportSpec(EvaluationReport report, string issuer, string issuedBy)
    {
        ArgumentNullException.ThrowIfNull(report);
        var blocks = new List<DocumentBlock>
        {
            new FieldsBlock([
                new("评标委员会主任委员", report.ChairDisplayName),
                new("全体成员确认时间", PdfComposer.FormatChinaTime(report.ConfirmedAt)),
            ]),
            new HeadingBlock("评标结论"),
            new ParagraphBlock(report.Summary),
        };
        foreach (var section in report.Sections)
        {
            blocks.Add(new HeadingBlock($"标段 {section.SectionCode}（评标办法：{MethodLabel(section.Method)}）"));
            blocks.Add(new HeadingBlock("中标候选人", 2));
            blocks.Add(new TableBlock(
                ["排序", "中标候选人", "投标报价（元）", "得分"],
                [.. section.Candidates.OrderBy(c => c.Rank).Select(c => (IReadOnlyList<string>)[
                    c.Rank.ToString(CultureInfo.InvariantCulture), c.EntityName, Money(c.Price), c.Score is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "—"])],
                [0.7, 3, 1.6, 1]));
            blocks.Add(new HeadingBlock("投标人评审情况", 2));
            blocks.Add(new TableBlock(
                ["投标人", "投标报价（元）", "评审结果", "得分"],
                [.. section.Bidders.Select(b => (IReadOnlyList<string>)[
                    b.EntityName, Money(b.Price), b.Rejected ? "否决：" + (b.RejectionReason ?? string.Empty) : "通过",
                    b.Score is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "—"])],
                [2.6, 1.5, 2.4, 0.9]));
        }

        blocks.Add(new SignaturesBlock(["评标委员会主任委员", "评标委员会成员（已在线确认）"]));
        return new OfficialDocumentSpec(report.ProjectId, OfficialDocumentKinds.EvaluationReport, "评标报告", issuer, blocks,
            new DocumentAudience([], [PlatformRoles.Tenderee, PlatformRoles.Expert], []))
        {
            FileName = "评标报告",
            IssuedBy = issuedBy,
        };
    }

    private static string Money(decimal value) => value.ToString("#,##0.00", CultureInfo.InvariantCulture);

    private static string MethodLabel(string method) => method switch
    {
        "comprehensive" or "Comprehensive" or "ComprehensiveScoring" => "综合评估法",
        "lowest-price" or "LowestEvaluatedPrice" or "lowest-evaluated-price" => "经评审的最低投标价法",
        _ => method,
    };

    private static string DepositLabel(string state) => state switch
    {
        "Paid" => "已缴纳",
        "Guaranteed" => "保函",
        "PartlyPaid" => "部分缴纳",
        "AwaitingPayment" => "未缴纳",
        "None" => "不要求",
        "Refunding" or "Refunded" => "已退还",
        "Forfeited" => "不予退还",
        _ => state,
    };

    private static async Task<IssuedDocument?> ExistingAsync(TradingDbContext db, Guid projectId, Guid? sectionId, string kind, CancellationToken cancellationToken)
    {
        var row = await db.Set<OfficialDocumentRecord>().AsNoTracking()
            .Where(d => d.ProjectId == projectId && d.Kind == kind && d.SectionId == sectionId)
            .OrderBy(d => d.IssuedAt).FirstOrDefaultAsync(cancellationToken);
        return row?.ToIssued();
    }

    private static async Task<string> IssuerAsync(TradingDbContext db, Guid centreId, CancellationToken cancellationToken)
    {
        var name = await db.Set<TradingCentre>().AsNoTracking().Where(c => c.Id == centreId).Select(c => c.NameZh).FirstOrDefaultAsync(cancellationToken);
        return string.IsNullOrWhiteSpace(name) ? "公共资源交易平台" : name + "（公共资源交易平台）";
    }
}

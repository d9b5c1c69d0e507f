using System.Globalization;
using System.Net;
using System.Text;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Printing;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Grants;

/// <summary>
/// The grant's public notices (出让公告, 流拍公告, 终止公告, 出让结果公示) and its 成交确认书, written from the offering and the bid log's
/// outcome only (nothing typed in again). Notices are published by the procedure, as the platform's own.
/// </summary>
public static class GrantDocuments
{
    public const string PlatformDrafter = "system:procedure";
    public const string PlatformReviewer = "system:grant-record";

    public static string Money(decimal value) => value.ToString("N2", CultureInfo.InvariantCulture);

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    public static string KindName(string tradeType) => tradeType == TradeTypes.MineralRights ? "矿业权" : "国有建设用地使用权";

    public static string ModeName(GrantMode mode) => mode switch
    {
        GrantMode.Listing => "挂牌",
        GrantMode.Auction => "拍卖",
        _ => "招标",
    };

    private static string ModeEn(GrantMode mode) => mode switch
    {
        GrantMode.Listing => "listing",
        GrantMode.Auction => "auction",
        _ => "tender",
    };

    private static NoticeProject ProjectOf(GrantOffering o) =>
        NoticeProject.Create(o.ProjectId, o.ProjectCode, o.CentreId, o.TradeType, o.RegionCode, o.Title);

    private static Notice Publish(GrantOffering o, NoticeKind kind, string title, string body, DateTimeOffset now)
    {
        var notice = Notice.Draft(ProjectOf(o), kind, title.Length <= Notice.MaxTitleLength ? title : title[..Notice.MaxTitleLength], body, [], PlatformDrafter, now, sectionIds: [o.SectionId]);
        notice.SubmitForReview(PlatformDrafter, now);
        notice.Publish(PlatformReviewer, now);
        return notice;
    }

    private static void Parcel(StringBuilder body, GrantOffering o)
    {
        var p = o.Parcel;
        body.Append("<table><tbody>");
        void Row(string label, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(label)}</th><td>{E(value)}</td></tr>");
            }
        }

        Row("项目编号 / Project code", o.ProjectCode);
        Row("出让人 / Grantor", o.OwnerName);
        Row("位置 / Location", p.Location);
        Row(o.TradeType == TradeTypes.MineralRights ? "面积（平方公里）/ Area (km²)" : "面积（平方米）/ Area (m²)", p.Area.ToString("0.####", CultureInfo.InvariantCulture));
        Row("用途 / Use", p.Use);
        Row("出让年限 / Term", $"{p.TermYears} 年 / years");
        Row("规划条件 / Planning conditions", p.PlanningConditions);
        Row("矿种 / Mineral", p.Mineral);
        Row("矿权类型 / Right", p.RightKind switch { MineralRightKind.Exploration => "探矿权 / exploration", MineralRightKind.Mining => "采矿权 / mining", _ => null });
        Row("范围拐点坐标 / Area coordinates", p.Coordinates);
        Row("资源储量 / Reserves", p.Reserves);
        body.Append("</tbody></table>");
    }

    /// <summary>The allowed multiples of the increment as the notice and the pages state them ("1, 2, 5"), null for any whole multiple.</summary>
    public static string? MultiplesText(IReadOnlyList<int> multiples) =>
        multiples.Count == 0 ? null : string.Join(", ", multiples.Select(m => m.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// 出让公告: the offering, the bidding terms (the price cap, public, and what follows it; the allowed multiples), the
    /// dates, the deposit and how to apply; published by the procedure after staff's review. Never the reserve.
    /// </summary>
    internal static Notice OfferingNotice(GrantOffering o, GrantLimits limits, DateTimeOffset now)
    {
        var title = $"{o.Title} {KindName(o.TradeType)}{ModeName(o.Mode)}出让公告";
        var body = new StringBuilder();
        if (o.DemoSchedule)
        {
            body.Append("<p><strong>演示数据：本公告的时间已为演示压缩，不适用法定期限。 Demo data: the dates are compressed for the demo.</strong></p>");
        }

        body.Append(CultureInfo.InvariantCulture, $"<p>经批准，{E(o.OwnerName)}决定以网上{ModeName(o.Mode)}方式出让下列{KindName(o.TradeType)}。 The grantor offers the following by online {ModeEn(o.Mode)}.</p>");
        Parcel(body, o);
        body.Append("<table><tbody>");
        body.Append(CultureInfo.InvariantCulture, $"<tr><th>起始价（元）/ Start price (CNY)</th><td>{Money(o.StartPrice)}</td></tr>");
        body.Append(CultureInfo.InvariantCulture, $"<tr><th>增价幅度（元）/ Increment (CNY)</th><td>{Money(o.Increment)}</td></tr>");
        if (o.Mode != GrantMode.Tender)
        {
            var multiples = MultiplesText(o.AllowedMultiples) is { } listed ? $"{listed} 倍 / times the increment" : "任意整数倍 / any whole multiple";
            body.Append(CultureInfo.InvariantCulture, $"<tr><th>加价倍数 / Allowed multiples</th><td>{multiples}</td></tr>");
            body.Append(CultureInfo.InvariantCulture, $"<tr><th>最高限价（元）/ Price cap (CNY)</th><td>{(o.PriceCap is { } cap ? Money(cap) : "不设 / none")}</td></tr>");
        }

        body.Append(CultureInfo.InvariantCulture, $"<tr><th>竞买保证金（元）/ Deposit (CNY)</th><td>{Money(o.Deposit)}</td></tr>");
        body.Append(CultureInfo.InvariantCulture, $"<tr><th>申请及保证金到账截止 / Applications and deposits by</th><td>{GrantSchedule.Local(o.ApplicationDeadline)} (UTC+8)</td></tr>");
        body.Append(CultureInfo.InvariantCulture, $"<tr><th>{(o.Mode == GrantMode.Listing ? "挂牌期 / Listing" : "竞价时间 / Bidding")}</th><td>{GrantSchedule.Local(o.BiddingOpens)} — {GrantSchedule.Local(o.BiddingEnds)} (UTC+8)</td></tr>");
        body.Append("</tbody></table>");
        body.Append(o.HasReserve ? "<p>本宗设有底价（保密），最高报价不低于底价方可成交。" : "<p>本宗不设底价，最高报价不低于起始价即可成交。");
        body.Append("竞买人可以是法人、其他组织或自然人，须在平台登记并通过核验，在截止时间前提交竞买申请并将保证金足额缴入平台为其生成的保证金子账户，经交易中心资格确认后取得竞买号牌参加网上竞价。");
        if (o.Mode == GrantMode.Listing)
        {
            body.Append(CultureInfo.InvariantCulture,
                $"挂牌期间自由报价；挂牌截止时有两个以上竞买人报价的，进入限时竞价（{limits.CountdownMinutes} 分钟，每次报价重新计时），价高者得；{(o.HasReserve ? "只有一个竞买人报价且不低于底价的成交。" : "只有一个竞买人报价的成交。")}");
        }
        else if (o.Mode == GrantMode.Auction)
        {
            // How an online auction ends is a term of the sale (the 2026-12-06 walk found it only in the room).
            body.Append(CultureInfo.InvariantCulture,
                $"竞价期间自由报价，每次报价须高于当前价至少一个增价幅度；竞价截止前 {limits.ExtensionMinutes} 分钟内有新报价的，截止时间顺延至该报价后 {limits.ExtensionMinutes} 分钟，直至无人再报价，价高者得。");
        }

        if (o.PriceCap is not null && o.Mode != GrantMode.Tender)
        {
            body.Append(CultureInfo.InvariantCulture,
                $"报价达到最高限价后不再接受更高报价：其他竞买人可在 {limits.CapMatchMinutes} 分钟内以最高限价应价，随后达到最高限价的竞买人在 {limits.SealedRoundMinutes} 分钟内进行一次报价（不低于最高限价，密封至结束），价高者得，报价相同的先报者得；无人一次报价的，最先达到最高限价者以最高限价竞得。");
        }

        body.Append(CultureInfo.InvariantCulture, $"竞得人的保证金转作出让价款，其他竞买人的保证金在竞价结束后 {limits.RefundWorkingDays} 个工作日内原路退还，不计利息。</p>");
        var closeEn = o.Mode switch
        {
            GrantMode.Listing => string.Create(CultureInfo.InvariantCulture, $"Bids are free during the listing; with two or more bidders at its end a timed phase of {limits.CountdownMinutes} minutes, reset by each bid, decides. "),
            GrantMode.Auction => string.Create(CultureInfo.InvariantCulture, $"A bid in the last {limits.ExtensionMinutes} minutes moves the end to {limits.ExtensionMinutes} minutes after it, until nobody bids again; the highest bid wins. "),
            _ => string.Empty,
        };
        var capEn = o.PriceCap is not null && o.Mode != GrantMode.Tender
            ? string.Create(CultureInfo.InvariantCulture, $"Once a bid reaches the price cap no higher bid is taken: the others may match the cap within {limits.CapMatchMinutes} minutes, then those who reached it make one sealed offer (at or above the cap) within {limits.SealedRoundMinutes} minutes; the highest wins, the earliest on a tie; without a sealed offer the first to reach the cap buys at the cap. ")
            : string.Empty;
        body.Append(CultureInfo.InvariantCulture, $"<p>{closeEn}{capEn}{(o.HasReserve ? "A confidential reserve applies." : "There is no reserve: the best bid at or above the start price buys.")} Companies, other organisations and natural persons verified on the platform apply before the deadline and pay the deposit into their own sub-account; after staff confirm eligibility they bid online under a bidder number. The winner's deposit becomes part of the price; every other deposit is refunded within {limits.RefundWorkingDays} working days, without interest.</p>");
        return Publish(o, NoticeKind.Tender, title, body.ToString(), now);
    }

    /// <summary>流拍公告: no bid, or the best bid below the reserve.</summary>
    internal static Notice NoSaleNotice(GrantOffering o, string reason, int refundWorkingDays, DateTimeOffset now)
    {
        var title = $"{o.Title} {KindName(o.TradeType)}{ModeName(o.Mode)}出让流拍公告";
        var body = new StringBuilder();
        Parcel(body, o);
        var why = reason == Bidding.NoSaleReasons.ReserveNotMet
            ? "最高报价未达到底价 / the best bid was below the reserve"
            : "无人报价 / no bid was made";
        body.Append(CultureInfo.InvariantCulture, $"<p>本宗{E(ModeName(o.Mode))}于 {GrantSchedule.Local(now)} (UTC+8) 结束，因{E(why)}，未能成交（流拍）。{RefundZh(refundWorkingDays)} The sale ended without a sale; {RefundEn(refundWorkingDays)}</p>");
        return Publish(o, NoticeKind.NoSale, title, body.ToString(), now);
    }

    // What every notice that ends a sale without a winner says of the deposits (流拍, 终止): the trade type's own limit
    // (Grants:Limits:<type>:RefundWorkingDays), the one the refunds are scheduled by.
    private static string RefundZh(int days) => string.Create(CultureInfo.InvariantCulture, $"竞买保证金在 {days} 个工作日内原路退还，不计利息。");

    private static string RefundEn(int days) => string.Create(CultureInfo.InvariantCulture, $"deposits are refunded within {days} working days, without interest.");

    /// <summary>终止公告: the sale ended after its notice, before a result, for the reason given; no result, deposits refunded.</summary>
    internal static Notice TerminationNotice(GrantOffering o, string reason, int refundWorkingDays, DateTimeOffset now)
    {
        var title = $"{o.Title} {KindName(o.TradeType)}{ModeName(o.Mode)}出让终止公告";
        var body = new StringBuilder();
        Parcel(body, o);
        body.Append(CultureInfo.InvariantCulture, $"<p>本宗{KindName(o.TradeType)}{E(ModeName(o.Mode))}出让（出让公告发布于 {GrantSchedule.Local(o.NoticePublishedAt ?? now)} (UTC+8)）经出让人申请，于 {GrantSchedule.Local(now)} (UTC+8) 终止。终止理由：{E(reason)}。网上竞价终止，不产生竞价结果。{RefundZh(refundWorkingDays)}</p>");
        body.Append(CultureInfo.InvariantCulture, $"<p>At the grantor's request this {ModeEn(o.Mode)} was terminated on {GrantSchedule.Local(now)} (UTC+8), before a result. Reason: {E(reason)}. The online bidding stops without a result; {RefundEn(refundWorkingDays)}</p>");
        return Publish(o, NoticeKind.Termination, title, body.ToString(), now);
    }

    /// <summary>出让结果公示: the winner and the price, within the result limit after the close.</summary>
    internal static Notice ResultNotice(GrantOffering o, DateTimeOffset now)
    {
        var title = $"{o.Title} {KindName(o.TradeType)}出让结果公示";
        var body = new StringBuilder();
        Parcel(body, o);
        body.Append("<table><tbody>");
        body.Append(CultureInfo.InvariantCulture, $"<tr><th>出让方式 / Mode</th><td>网上{E(ModeName(o.Mode))} / online {ModeEn(o.Mode)}</td></tr>");
        body.Append(CultureInfo.InvariantCulture, $"<tr><th>竞得人 / Winner</th><td>{E(o.WinnerName)}</td></tr>");
        body.Append(CultureInfo.InvariantCulture, $"<tr><th>成交价（元）/ Price (CNY)</th><td>{Money(o.Price ?? 0m)}</td></tr>");
        body.Append(CultureInfo.InvariantCulture, $"<tr><th>成交时间 / Closed</th><td>{GrantSchedule.Local(o.ClosedAt ?? now)} (UTC+8)</td></tr>");
        body.Append("</tbody></table>");
        return Publish(o, NoticeKind.Result, title, body.ToString(), now);
    }

    /// <summary>The 成交确认书, for the grantor and the winner to sign online.</summary>
    public static OfficialDocumentSpec Confirmation(GrantOffering o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var p = o.Parcel;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("项目编号 / Project code", o.ProjectCode),
            new("标的 / Object", o.Title),
            new("出让人 / Grantor", o.OwnerName),
            new("竞得人 / Winner", $"{o.WinnerName}（竞买号 / bidder no. {o.WinnerNumber}）"),
            new("出让方式 / Mode", "网上" + ModeName(o.Mode)),
            new("成交价（元）/ Price (CNY)", Money(o.Price ?? 0m)),
            new("成交时间 / Closed", GrantSchedule.Local(o.ClosedAt ?? DateTimeOffset.MinValue) + " (UTC+8)"),
            new("位置 / Location", p.Location),
            new("面积 / Area", p.Area.ToString("0.####", CultureInfo.InvariantCulture)),
            new("用途 / Use", p.Use),
            new("年限 / Term", $"{p.TermYears} 年 / years"),
        };
        if (p.Mineral is { Length: > 0 })
        {
            fields.Add(new("矿种 / Mineral", p.Mineral));
        }

        var blocks = new List<DocumentBlock>
        {
            new FieldsBlock(fields),
            new ParagraphBlock($"竞得人已缴纳的竞买保证金 {Money(o.Deposit)} 元转作出让价款。双方应按出让公告和出让文件的约定签订出让合同。本确认书由出让人和竞得人在平台在线签署。"),
            new ParagraphBlock($"The winner's deposit of {Money(o.Deposit)} CNY becomes part of the price. The parties sign the grant contract as the notice and the grant documents state. Both parties sign this confirmation online on the platform."),
            new SignaturesBlock([$"出让人 / Grantor: {o.OwnerName}", $"竞得人 / Winner: {o.WinnerName}"]),
        };
        return new OfficialDocumentSpec(o.ProjectId, OfficialDocumentKinds.DealConfirmation, "成交确认书", o.OwnerName, blocks,
            DocumentAudience.ForEntities(o.WinnerEntityId!.Value, o.OwnerEntityId))
        {
            SectionId = o.SectionId,
            FileName = NoticeFileName.Of(".pdf", "成交确认书", o.ProjectCode),
            Number = $"{o.ProjectCode}-CJ",
            IssuedBy = PlatformDrafter,
        };
    }
}

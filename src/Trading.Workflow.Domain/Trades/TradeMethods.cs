namespace Trading.Workflow.Domain.Trades;

/// <summary>
/// The trade methods (交易方式) of each trade type, by their stable code. A project is of one type and one method;
/// which procedure the pair starts is configuration (<c>Trading:Projects:Procedures</c>).
/// </summary>
public static class TradeMethods
{
    public const string OpenTender = "open-tender";                           // 公开招标
    public const string InvitedTender = "invited-tender";                     // 邀请招标
    public const string CompetitiveNegotiation = "competitive-negotiation";   // 竞争性谈判
    public const string CompetitiveConsultation = "competitive-consultation"; // 竞争性磋商
    public const string Inquiry = "inquiry";                                  // 询价
    public const string SingleSource = "single-source";                       // 单一来源
    public const string Tender = "tender";                                    // 招标（出让）
    public const string Auction = "auction";                                  // 拍卖
    public const string Listing = "listing";                                  // 挂牌
    public const string OnlineBidding = "online-bidding";                     // 网络竞价
    public const string Agreement = "agreement";                              // 协议转让

    private static readonly Dictionary<string, IReadOnlyList<string>> ByType = new(StringComparer.Ordinal)
    {
        [TradeTypes.EngineeringConstruction] = [OpenTender, InvitedTender],
        [TradeTypes.GovernmentProcurement] = [OpenTender, InvitedTender, CompetitiveNegotiation, CompetitiveConsultation, Inquiry, SingleSource],
        [TradeTypes.LandRights] = [Tender, Auction, Listing],
        [TradeTypes.MineralRights] = [Tender, Auction, Listing],
        [TradeTypes.StateAssets] = [Auction, Tender, OnlineBidding, Agreement],
        [TradeTypes.EnvironmentalRights] = [Agreement, OnlineBidding, Auction, Listing],
    };

    /// <summary>The methods of a registrable trade type; empty for any other.</summary>
    public static IReadOnlyList<string> Of(string tradeType) =>
        ByType.TryGetValue(tradeType, out var methods) ? methods : [];

    public static bool IsMethodOf(string tradeType, string? method) => method is not null && Of(tradeType).Contains(method, StringComparer.Ordinal);
}

using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Notices;

namespace Trading.Workflow.Web.Notices;

/// <summary>How notices are named on pages: the opening notice takes its trade type's own name (招标/采购/出让/挂牌公告).</summary>
public static class NoticeText
{
    public static string Kind(IStringLocalizer<NoticesResource> text, NoticeKind kind, string tradeType)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (kind == NoticeKind.Tender && text[$"Kind.Tender.{tradeType}"] is { ResourceNotFound: false } specific)
        {
            return specific.Value;
        }

        return text[$"Kind.{kind}"].Value;
    }

    public static string TradeType(IStringLocalizer<NoticesResource> text, string tradeType) => text[$"TradeType.{tradeType}"].Value;

    /// <summary>The message of a notice rule in the user's language.</summary>
    public static string Rule(IStringLocalizer<NoticesResource> text, string ruleCode) => text[$"Rule.{ruleCode}"] is { ResourceNotFound: false } found
        ? found.Value
        : ruleCode;

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MB",
    };
}

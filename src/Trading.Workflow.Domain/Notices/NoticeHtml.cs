using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace Trading.Workflow.Domain.Notices;

/// <summary>
/// The HTML a notice body may carry: text formatting, headings, lists, tables and links to http(s) pages; no
/// script, style, form, frame, event handler or inline style survives. Applied when a draft is saved, so what
/// reviewers approve is exactly what the public sees.
/// </summary>
public static class NoticeHtml
{
    private static readonly HtmlSanitizer Sanitizer = Create();

    public static string Sanitize(string html) => Sanitizer.Sanitize(html);

    /// <summary>The text a reader sees, for the search index and feed summaries (block elements separated by spaces).</summary>
    public static string ToPlainText(string html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return string.Empty;
        }

        var document = new HtmlParser().ParseDocument("<body></body>");
        document.Body!.InnerHtml = html;
        foreach (var block in document.Body.QuerySelectorAll("p,br,li,tr,td,th,h2,h3,h4,div,blockquote,caption"))
        {
            block.Append(document.CreateTextNode(" "));
        }

        return string.Join(' ', (document.Body.TextContent ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static HtmlSanitizer Create()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "h2", "h3", "h4", "ul", "ol", "li",
                "table", "thead", "tbody", "tr", "th", "td", "caption", "a", "blockquote", "hr", "span",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "title", "colspan", "rowspan" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
        };
        var sanitizer = new HtmlSanitizer(options);
        sanitizer.PostProcessNode += (_, e) =>
        {
            // Links leave the platform without handing it the reader's session.
            if (e.Node is AngleSharp.Dom.IElement { TagName: "A" } link)
            {
                link.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        };
        return sanitizer;
    }
}

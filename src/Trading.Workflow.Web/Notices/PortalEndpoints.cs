using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Web.Errors;

namespace Trading.Workflow.Web.Notices;

/// <summary>A page of the portal's notices as the REST API returns it; <c>TotalCapped</c>: more match than <c>Total</c>.</summary>
public sealed record PortalPageDto(IReadOnlyList<NoticeSummary> Items, int Total, int Page, int PageSize, bool TotalCapped);

/// <summary>The portal's query string: text, filters, a 1-based page.</summary>
public sealed record PortalRequest(
    [FromQuery(Name = "q")] string? Text,
    [FromQuery] string? TradeType,
    [FromQuery] Guid? Centre,
    [FromQuery] string? Region,
    [FromQuery] DateOnly? From,
    [FromQuery] DateOnly? To,
    [FromQuery] int? Page,
    [FromQuery] int? PageSize,
    [FromQuery] NoticeKind? Kind)
{
    public PortalQuery ToQuery() => new(Text, NoticePortal.Dates(new NoticeFilter(TradeType, Centre, Region, Kind: Kind), From, To),
        Page ?? 1, PageSize ?? PortalQuery.DefaultPageSize);
}

/// <summary>
/// The public portal's endpoints, all without sign-in: the notice list and search as JSON, each trade type's RSS 2.0
/// feed, and the attachments of published notices (served only after their bytes matched their SHA-256).
/// </summary>
public static class PortalEndpoints
{
    public const string FeedPathFormat = "/portal/feeds/{0}.xml";

    public static string FeedPath(string tradeType) => string.Format(CultureInfo.InvariantCulture, FeedPathFormat, tradeType);

    public static string AttachmentPath(Guid noticeId, string sha256) => $"/portal/notices/{noticeId}/attachments/{sha256}";

    public static IEndpointRouteBuilder MapNoticePortal(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/portal").WithTags("Portal").AllowAnonymous();
        api.MapGet("/notices", ListAsync).WithName("PortalNotices").WithSummary("Published notices, filtered, searched (Chinese full text) and paged.");
        api.MapGet("/projects/{code}", ProjectAsync).WithName("PortalProject").WithSummary("Every published notice of a project, in order.");

        endpoints.MapGet("/portal/feeds/{tradeType}.xml", FeedAsync).AllowAnonymous().WithTags("Portal").WithName("PortalFeed")
            .WithSummary("RSS 2.0 feed of a trade type's newest published notices.");
        endpoints.MapGet("/portal/notices/{id:guid}/attachments/{sha256}", AttachmentAsync).AllowAnonymous().WithFileRefusalPage().WithTags("Portal").WithName("PortalAttachment")
            .WithSummary("An attachment of a published notice, checked against its SHA-256 before it is served.");
        return endpoints;
    }

    public static async Task<Ok<PortalPageDto>> ListAsync([AsParameters] PortalRequest request, NoticePortal portal, CancellationToken cancellationToken)
    {
        var page = await portal.SearchAsync(request.ToQuery(), cancellationToken);
        return TypedResults.Ok(new PortalPageDto(page.Items, page.Total, page.Page, page.PageSize, page.TotalCapped));
    }

    public static async Task<Ok<IReadOnlyList<NoticeSummary>>> ProjectAsync(string code, NoticePortal portal, CancellationToken cancellationToken) =>
        TypedResults.Ok(await portal.ProjectAsync(code, cancellationToken));

    public static async Task<Results<NotFound, FileStreamHttpResult>> AttachmentAsync(Guid id, string sha256, NoticePortal portal, CancellationToken cancellationToken)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            return TypedResults.NotFound();
        }

        // A damaged file (DocumentDamagedException) is refused by the platform's exception handler, never streamed.
        var opened = await portal.OpenAttachmentAsync(id, sha256, cancellationToken);
        if (opened is not { } file)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.File(file.Content, ContentTypeOf(file.Attachment.Name), file.Attachment.Name, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{sha256}\""));
    }

    public static async Task<Results<NotFound, ContentHttpResult>> FeedAsync(
        string tradeType, HttpContext http, NoticePortal portal, IStringLocalizer<NoticesResource> text, CancellationToken cancellationToken)
    {
        if (!TradeTypes.All.Contains(tradeType, StringComparer.Ordinal))
        {
            return TypedResults.NotFound();
        }

        var notices = await portal.FeedAsync(tradeType, 50, cancellationToken);
        var origin = $"{http.Request.Scheme}://{http.Request.Host}";
        var title = text["Portal.FeedOf", text[$"TradeType.{tradeType}"].Value].Value;
        var builder = new StringBuilder();
        await using (var xml = XmlWriter.Create(builder, new XmlWriterSettings { Async = true, Indent = true, Encoding = Encoding.UTF8 }))
        {
            await xml.WriteStartDocumentAsync();
            xml.WriteStartElement("rss");
            xml.WriteAttributeString("version", "2.0");
            xml.WriteAttributeString("xmlns", "atom", null, "http://www.w3.org/2005/Atom");
            xml.WriteStartElement("channel");
            xml.WriteElementString("title", title);
            xml.WriteElementString("link", $"{origin}/portal?tradeType={Uri.EscapeDataString(tradeType)}");
            xml.WriteElementString("description", text["Portal.Lead"].Value);
            xml.WriteElementString("language", CultureInfo.CurrentUICulture.Name.ToLowerInvariant());
            xml.WriteStartElement("atom", "link", "http://www.w3.org/2005/Atom");
            xml.WriteAttributeString("href", origin + FeedPath(tradeType));
            xml.WriteAttributeString("rel", "self");
            xml.WriteAttributeString("type", "application/rss+xml");
            xml.WriteEndElement();
            if (notices.Count > 0)
            {
                xml.WriteElementString("lastBuildDate", notices[0].PublishedAt!.Value.ToString("r", CultureInfo.InvariantCulture));
            }

            foreach (var notice in notices)
            {
                var link = $"{origin}/portal/notices/{notice.Id}";
                xml.WriteStartElement("item");
                xml.WriteElementString("title", notice.Title);
                xml.WriteElementString("link", link);
                xml.WriteStartElement("guid");
                xml.WriteAttributeString("isPermaLink", "true");
                xml.WriteString(link);
                xml.WriteEndElement();
                xml.WriteElementString("category", notice.ProjectCode);
                xml.WriteElementString("pubDate", notice.PublishedAt!.Value.ToString("r", CultureInfo.InvariantCulture));
                var summary = NoticeHtml.ToPlainText(notice.BodyHtml);
                xml.WriteElementString("description", summary.Length > 300 ? summary[..300] + "…" : summary);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            await xml.WriteEndDocumentAsync();
        }

        // StringBuilder output declares utf-16; the bytes we send are UTF-8.
        var body = builder.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
        return TypedResults.Content(body, "application/rss+xml; charset=utf-8", Encoding.UTF8);
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".pdf" => "application/pdf",
        ".ofd" => "application/ofd",
        ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".zip" => "application/zip",
        _ => "application/octet-stream",
    };
}

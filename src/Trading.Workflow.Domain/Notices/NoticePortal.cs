using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Notices;

/// <summary>A published notice as lists show it (no body).</summary>
public sealed record NoticeSummary(
    Guid Id, NoticeKind Kind, string Title, string ProjectCode, string ProjectName, Guid CentreId, string TradeType, string RegionCode,
    DateTimeOffset PublishedAt, Guid? CorrectsNoticeId);

/// <summary>What the portal asks: optional text and filters, a 1-based page.</summary>
public sealed record PortalQuery(string? Text, NoticeFilter Filter, int Page = 1, int PageSize = PortalQuery.DefaultPageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxTextLength = 100;
}

/// <param name="ByRelevance">A search's page in order of relevance; false for lists and for searches with more than
/// <see cref="NoticeSearchIndex.RankLimit"/> matches, which come newest first.</param>
/// <param name="TotalCapped">A search matched more than <see cref="NoticeSearchIndex.CountCap"/> notices: the total is
/// that cap ("more than"), not the exact count, and the pages go no further than it.</param>
public sealed record PortalPage(IReadOnlyList<NoticeSummary> Items, int Total, int Page, int PageSize, bool ByRelevance = false, bool TotalCapped = false);

/// <summary>A published notice with what it corrects and what corrects it.</summary>
public sealed record PublishedNotice(Notice Notice, NoticeSummary? Corrects, IReadOnlyList<NoticeSummary> CorrectedBy);

/// <summary>
/// The public side of notices (交易信息公开): only published notices, to anyone, without sign-in. Lists page on the
/// server (newest first), text searches go through the full-text index (<see cref="NoticeSearchIndex"/>) ranked,
/// attachments are served only after the file store checked their bytes against their SHA-256.
/// </summary>
public sealed class NoticePortal(ITradingDatabase database, IFileStore files)
{
    /// <summary>China Standard Time (no daylight saving): the portal's dates are dates in China.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public static NoticeFilter Dates(NoticeFilter filter, DateOnly? from, DateOnly? to) => filter with
    {
        From = from is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), ChinaOffset) : null,
        Before = to is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaOffset) : null,
    };

    public async Task<PortalPage> SearchAsync(PortalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, PortalQuery.MaxPageSize);
        var page = Math.Max(1, query.Page);
        var skip = (page - 1) * pageSize;
        var text = query.Text?.Trim();
        await using var db = database.Create();
        if (!string.IsNullOrEmpty(text))
        {
            text = text.Length > PortalQuery.MaxTextLength ? text[..PortalQuery.MaxTextLength] : text;
            var found = await NoticeSearchIndex.SearchAsync(db, text, query.Filter, skip, pageSize, cancellationToken);
            var ids = found.Hits.Select(h => h.Id).ToList();
            var rows = await Summaries(Published(db).Where(n => ids.Contains(n.Id))).ToListAsync(cancellationToken);
            var order = ids.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => p.index);
            return new PortalPage([.. rows.OrderBy(r => order[r.Id])], found.Total, page, pageSize, found.ByRelevance, found.TotalCapped);
        }

        var filtered = Filter(Published(db), query.Filter);
        var count = await filtered.CountAsync(cancellationToken);
        var items = await Summaries(filtered.OrderByDescending(n => n.PublishedAt).ThenBy(n => n.Id).Skip(skip).Take(pageSize)).ToListAsync(cancellationToken);
        return new PortalPage(items, count, page, pageSize);
    }

    /// <summary>A published notice, or null when there is none with that id (drafts are never shown).</summary>
    public async Task<PublishedNotice?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var notice = await Published(db).AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (notice is null)
        {
            return null;
        }

        var corrects = notice.CorrectsNoticeId is { } old
            ? await Summaries(Published(db).Where(n => n.Id == old)).SingleOrDefaultAsync(cancellationToken)
            : null;
        var correctedBy = await Summaries(Published(db).Where(n => n.CorrectsNoticeId == id).OrderBy(n => n.PublishedAt)).ToListAsync(cancellationToken);
        return new PublishedNotice(notice, corrects, correctedBy);
    }

    /// <summary>Every published notice of a project, in the order they were published.</summary>
    public async Task<IReadOnlyList<NoticeSummary>> ProjectAsync(string projectCode, CancellationToken cancellationToken = default)
    {
        var code = (projectCode ?? string.Empty).Trim();
        await using var db = database.Create();
        return await Summaries(Published(db).Where(n => n.ProjectCode == code).OrderBy(n => n.PublishedAt).ThenBy(n => n.Id)).ToListAsync(cancellationToken);
    }

    /// <summary>The newest published notices of a trade type with their bodies, for its feed.</summary>
    public async Task<IReadOnlyList<Notice>> FeedAsync(string tradeType, int take = 50, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await Published(db).AsNoTracking().Where(n => n.TradeType == tradeType)
            .OrderByDescending(n => n.PublishedAt).ThenBy(n => n.Id).Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Opens an attachment of a published notice after checking its bytes; null when the notice is not published or has
    /// no such attachment. A damaged file throws <see cref="DocumentDamagedException"/> and is never served.
    /// </summary>
    public async Task<(NoticeAttachment Attachment, Stream Content)?> OpenAttachmentAsync(Guid noticeId, string sha256, CancellationToken cancellationToken = default)
    {
        PublishedNotice? published = await GetAsync(noticeId, cancellationToken);
        var attachment = published?.Notice.Attachments.FirstOrDefault(a => string.Equals(a.Sha256, sha256, StringComparison.Ordinal));
        if (attachment is null)
        {
            return null;
        }

        return (attachment, await files.OpenVerifiedAsync(attachment.Sha256, cancellationToken));
    }

    private static IQueryable<Notice> Published(DbContext db) => db.Set<Notice>().Where(n => n.State == NoticeState.Published);

    private static IQueryable<Notice> Filter(IQueryable<Notice> notices, NoticeFilter filter)
    {
        if (!string.IsNullOrEmpty(filter.TradeType))
        {
            notices = notices.Where(n => n.TradeType == filter.TradeType);
        }

        if (filter.CentreId is { } centre)
        {
            notices = notices.Where(n => n.CentreId == centre);
        }

        if (!string.IsNullOrEmpty(filter.RegionCode))
        {
            notices = notices.Where(n => n.RegionCode == filter.RegionCode);
        }

        if (filter.Kind is { } kind)
        {
            notices = notices.Where(n => n.Kind == kind);
        }

        if (filter.From is { } from)
        {
            notices = notices.Where(n => n.PublishedAt >= from);
        }

        if (filter.Before is { } before)
        {
            notices = notices.Where(n => n.PublishedAt < before);
        }

        return notices;
    }

    private static IQueryable<NoticeSummary> Summaries(IQueryable<Notice> notices) => notices.Select(n => new NoticeSummary(
        n.Id, n.Kind, n.Title, n.ProjectCode, n.ProjectName, n.CentreId, n.TradeType, n.RegionCode, n.PublishedAt!.Value, n.CorrectsNoticeId));
}

using Microsoft.EntityFrameworkCore;

namespace Trading.Workflow.Domain.Notices.Search;

/// <summary>A search result before its notice is read: the notice and its rank (higher is better).</summary>
public sealed record NoticeSearchHit(Guid Id, double Rank);

/// <summary>
/// A page of hits, how many match in all (at most <see cref="NoticeSearchIndex.CountCap"/>: <paramref name="TotalCapped"/>
/// says there are more), and whether the page is in order of relevance (else newest first).
/// </summary>
public sealed record SearchResult(IReadOnlyList<NoticeSearchHit> Hits, int Total, bool ByRelevance, bool TotalCapped = false);

/// <summary>What the portal filters by, besides the text.</summary>
public sealed record NoticeFilter(
    string? TradeType = null, Guid? CentreId = null, string? RegionCode = null, DateTimeOffset? From = null, DateTimeOffset? Before = null,
    NoticeKind? Kind = null);

/// <summary>
/// The full-text index of published notices, one implementation per provider behind the same terms
/// (<see cref="SearchTerms"/>). SQLite: a contentless FTS5 table whose rowid is the notice's integer key
/// (<c>tr_notice_search_keys</c>, given in publication order) and whose "facets" column carries the portal's filters
/// as tokens (<see cref="NoticeFacets"/>), so filtering, ranking (bm25, title ×10), ordering newest first (rowid DESC)
/// and the page limit all run inside FTS5. PostgreSQL: a GIN-indexed tsvector ranked by ts_rank. A notice is indexed
/// once, when it is published, in the publishing transaction; it never changes after.
/// </summary>
public static class NoticeSearchIndex
{
    /// <summary>The most matches ranked by relevance; a query matching more lists them newest first.</summary>
    public const int RankLimit = 2000;

    /// <summary>Searches count their matches up to this many; past it the total is shown as "more than".</summary>
    public const int CountCap = 10_000;

    public static bool IsPostgreSql(DbContext db) => db.Database.ProviderName?.Contains("PostgreSQL", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Adds a published notice to the index, in the context's current transaction.</summary>
    public static async Task AddAsync(DbContext db, Notice notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.State != NoticeState.Published)
        {
            throw new InvalidOperationException("Only published notices are indexed.");
        }

        var title = SearchTerms.ForIndex(notice.Title + " " + notice.ProjectCode + " " + notice.ProjectName);
        var body = SearchTerms.ForIndex(NoticeHtml.ToPlainText(notice.BodyHtml));
        if (IsPostgreSql(db))
        {
            // A tsvector literal (no parser or locale touches it) with one position per lexeme, because ts_rank weighs
            // positions: a lexeme without one (array_to_tsvector) ranks the same in the title as in the body.
            var titleTerms = title.Distinct(StringComparer.Ordinal).ToList();
            var inTitle = titleTerms.ToHashSet(StringComparer.Ordinal);
            var document = string.Join(' ', titleTerms.Select(t => Lexeme(t) + ":1A")
                .Concat(body.Distinct(StringComparer.Ordinal).Where(t => !inTitle.Contains(t)).Select(t => Lexeme(t) + ":1")));
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "tr_notice_search" ("notice_id", "document") VALUES ({notice.Id}, CAST({document} AS tsvector))""",
                cancellationToken);
        }
        else
        {
            var titleText = string.Join(' ', title);
            var bodyText = string.Join(' ', body);
            var facets = NoticeFacets.For(notice);
            var publishedAt = notice.PublishedAt!.Value.UtcTicks;
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "tr_notice_search_keys" ("notice_id", "published_at") VALUES ({notice.Id}, {publishedAt})""",
                cancellationToken);
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO "tr_notice_fts" ("rowid", "title", "body", "facets")
                SELECT k."key", {titleText}, {bodyText}, {facets} FROM "tr_notice_search_keys" k WHERE k."notice_id" = {notice.Id}
                """,
                cancellationToken);
        }
    }

    /// <summary>
    /// One page of the published notices matching <paramref name="query"/> and the filter, best first (then newest),
    /// and how many match in all, counted up to <paramref name="countCap"/> (<see cref="CountCap"/> by default). A query
    /// without any term matches nothing.
    /// </summary>
    public static Task<SearchResult> SearchAsync(
        DbContext db, string query, NoticeFilter filter, int skip, int take, CancellationToken cancellationToken = default, int countCap = CountCap)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(countCap, 1);
        return IsPostgreSql(db)
            ? SearchPostgreSqlAsync(db, query, filter, skip, take, countCap, cancellationToken)
            : SearchSqliteAsync(db, query, filter, skip, take, countCap, cancellationToken);
    }

    private static readonly SearchResult Nothing = new([], 0, ByRelevance: true);

    private static async Task<SearchResult> SearchSqliteAsync(
        DbContext db, string query, NoticeFilter filter, int skip, int take, int countCap, CancellationToken cancellationToken)
    {
        var terms = SearchTerms.ForQuery(query);
        if (terms.Count == 0)
        {
            return Nothing;
        }

        // One FTS5 expression: the text's terms in title or body, every filter a token of the facets column.
        var match = new List<string> { "{title body} : (" + string.Join(" AND ", terms.Select(Quote)) + ")" };
        if (!string.IsNullOrEmpty(filter.TradeType))
        {
            match.Add("facets : " + Quote(NoticeFacets.TradeType(filter.TradeType)));
        }

        if (filter.CentreId is { } centre)
        {
            match.Add("facets : " + Quote(NoticeFacets.Centre(centre)));
        }

        if (filter.Kind is { } kind)
        {
            match.Add("facets : " + Quote(NoticeFacets.Kind(kind)));
        }

        if (!string.IsNullOrEmpty(filter.RegionCode))
        {
            match.Add("facets : " + Quote(NoticeFacets.Region(filter.RegionCode)));
        }

        // Dates: the whole China days the range touches as tokens; a bound that is not a China midnight is checked
        // exactly on the key table (the portal's own date filters always are midnights).
        var parameters = new List<object>();
        var exact = new List<string>();
        if (filter.From is not null || filter.Before is not null)
        {
            // An open end is the first or last publication there is (one step of the key table's published_at index).
            DateTimeOffset? known = null;
            if (filter.From is null || filter.Before is null)
            {
                var ticks = await db.Database.SqlQueryRaw<long?>(
                    filter.From is null
                        ? """SELECT MIN("published_at") AS "Value" FROM "tr_notice_search_keys" """
                        : """SELECT MAX("published_at") AS "Value" FROM "tr_notice_search_keys" """).SingleAsync(cancellationToken);
                if (ticks is null)
                {
                    return Nothing;
                }

                known = new DateTimeOffset(ticks.Value, TimeSpan.Zero);
            }

            var first = NoticeFacets.ChinaDay(filter.From ?? known!.Value);
            var last = filter.Before is { } before ? NoticeFacets.ChinaDay(before.AddTicks(-1)) : NoticeFacets.ChinaDay(known!.Value);
            if ((filter.From is { } start && filter.Before is { } end && start >= end) || first > last)
            {
                return Nothing;
            }

            match.Add("facets : (" + string.Join(" OR ", NoticeFacets.DayRange(first, last).Select(Quote)) + ")");
            if (filter.From is { } f && !NoticeFacets.IsChinaMidnight(f))
            {
                parameters.Add(f.UtcTicks);
                exact.Add("k.\"published_at\" >= {" + parameters.Count + "}");
            }

            if (filter.Before is { } b && !NoticeFacets.IsChinaMidnight(b))
            {
                parameters.Add(b.UtcTicks);
                exact.Add("k.\"published_at\" < {" + parameters.Count + "}");
            }
        }

        parameters.Insert(0, string.Join(" AND ", match));
        var join = exact.Count == 0 ? string.Empty : """JOIN "tr_notice_search_keys" k ON k."key" = "tr_notice_fts"."rowid" """;
        var where = string.Join(" AND ", ["\"tr_notice_fts\" MATCH {0}", .. exact]);

        // Only fixed SQL and numbers are spliced in; every value the user gave is a parameter.
        var countSql = $"""SELECT CAST(COUNT(*) AS integer) AS "Value" FROM (SELECT "tr_notice_fts"."rowid" FROM "tr_notice_fts" {join} WHERE {where} LIMIT {countCap + 1})""";
        var counted = await db.Database.SqlQueryRaw<int>(countSql, [.. parameters]).SingleAsync(cancellationToken);
        if (counted == 0)
        {
            return Nothing;
        }

        // FTS5 ranks (bm25 as configured by the schema script) without reading any notice; past RankLimit matches the
        // newest come first (the order a reader of a common word wants), which is rowid DESC inside FTS5.
        var byRelevance = counted <= Math.Min(RankLimit, countCap);
        var page = byRelevance
            ? $"""SELECT "tr_notice_fts"."rowid" AS "r", "tr_notice_fts"."rank" AS "rank" FROM "tr_notice_fts" {join} WHERE {where} ORDER BY "tr_notice_fts"."rank", "tr_notice_fts"."rowid" DESC LIMIT {take} OFFSET {skip}"""
            : $"""SELECT "tr_notice_fts"."rowid" AS "r", 0.0 AS "rank" FROM "tr_notice_fts" {join} WHERE {where} ORDER BY "tr_notice_fts"."rowid" DESC LIMIT {take} OFFSET {skip}""";
        var pageSql = $"""
            SELECT s."notice_id" AS "Id", CAST(-m."rank" AS REAL) AS "Rank"
            FROM ({page}) m JOIN "tr_notice_search_keys" s ON s."key" = m."r"
            ORDER BY m."rank", m."r" DESC
            """;
        var hits = await db.Database.SqlQueryRaw<NoticeSearchHit>(pageSql, [.. parameters]).ToListAsync(cancellationToken);
        return new SearchResult(hits, Math.Min(counted, countCap), byRelevance, counted > countCap);
    }

    private static async Task<SearchResult> SearchPostgreSqlAsync(
        DbContext db, string query, NoticeFilter filter, int skip, int take, int countCap, CancellationToken cancellationToken)
    {
        var match = SearchTerms.TsQuery(query);
        if (match is null)
        {
            return Nothing;
        }

        var parameters = new List<object> { match };
        var where = new List<string> { """s."document" @@ CAST({0} AS tsquery)""", """n."state" = 'Published'""" };
        void Add(string condition, object value)
        {
            parameters.Add(value);
            where.Add(condition.Replace("{p}", "{" + (parameters.Count - 1) + "}", StringComparison.Ordinal));
        }

        if (!string.IsNullOrEmpty(filter.TradeType))
        {
            Add("""n."trade_type" = {p}""", filter.TradeType);
        }

        if (filter.CentreId is { } centre)
        {
            Add("""n."centre_id" = {p}""", centre);
        }

        if (filter.Kind is { } kind)
        {
            Add("""n."kind" = {p}""", kind.ToString());
        }

        if (!string.IsNullOrEmpty(filter.RegionCode))
        {
            Add("""n."region_code" = {p}""", filter.RegionCode);
        }

        if (filter.From is { } from)
        {
            Add("""n."published_at" >= {p}""", from.UtcTicks);
        }

        if (filter.Before is { } before)
        {
            Add("""n."published_at" < {p}""", before.UtcTicks);
        }

        const string from_ = """ "tr_notice_search" s JOIN "tr_notices" n ON n."id" = s."notice_id" """;
        var conditions = string.Join(" AND ", where);
        // Only fixed SQL and numbers are spliced in; every value the user gave is a parameter.
        var countSql = $"""SELECT CAST(COUNT(*) AS integer) AS "Value" FROM (SELECT 1 FROM {from_} WHERE {conditions} LIMIT {countCap + 1}) c""";
        var counted = await db.Database.SqlQueryRaw<int>(countSql, [.. parameters]).SingleAsync(cancellationToken);
        if (counted == 0)
        {
            return Nothing;
        }

        var byRelevance = counted <= Math.Min(RankLimit, countCap);
        var rank = byRelevance ? """ts_rank(s."document", CAST({0} AS tsquery))""" : "0";
        var pageSql = $"""
            SELECT s."notice_id" AS "Id", CAST({rank} AS double precision) AS "Rank"
            FROM {from_}
            WHERE {conditions}
            ORDER BY {(byRelevance ? "\"Rank\" DESC, " : string.Empty)}n."published_at" DESC, n."id"
            LIMIT {take} OFFSET {skip}
            """;
        var hits = await db.Database.SqlQueryRaw<NoticeSearchHit>(pageSql, [.. parameters]).ToListAsync(cancellationToken);
        return new SearchResult(hits, Math.Min(counted, countCap), byRelevance, counted > countCap);
    }

    private static string Lexeme(string term) => "'" + term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

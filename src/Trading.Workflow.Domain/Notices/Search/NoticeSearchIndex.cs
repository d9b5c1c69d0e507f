using Microsoft.EntityFrameworkCore;

namespace Trading.Workflow.Domain.Notices.Search;

/// <summary>A search result before its notice is read: the notice and its rank (higher is better).</summary>
public sealed record NoticeSearchHit(Guid Id, double Rank);

/// <summary>A page of hits, how many match in all, and whether the page is in order of relevance (else newest first).</summary>
public sealed record SearchResult(IReadOnlyList<NoticeSearchHit> Hits, int Total, bool ByRelevance);

/// <summary>What the portal filters by, besides the text.</summary>
public sealed record NoticeFilter(string? TradeType = null, Guid? CentreId = null, string? RegionCode = null, DateTimeOffset? From = null, DateTimeOffset? Before = null);

/// <summary>
/// The full-text index of published notices, one implementation per provider behind the same terms
/// (<see cref="SearchTerms"/>): FTS5 ranked by bm25 on SQLite, a GIN-indexed tsvector ranked by ts_rank on
/// PostgreSQL. A notice is indexed once, when it is published, in the publishing transaction; it never changes after.
/// </summary>
public static class NoticeSearchIndex
{
    private const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";
    private const string TitleWeight = "10.0"; // a term in the title counts ten times one in the body (bm25)

    /// <summary>The most matches ranked by relevance; a query matching more lists them newest first.</summary>
    public const int RankLimit = 2000;

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
            var titleTerms = title.Distinct(StringComparer.Ordinal).ToArray();
            var bodyTerms = body.Distinct(StringComparer.Ordinal).ToArray();
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "tr_notice_search" ("notice_id", "document") VALUES ({notice.Id}, setweight(array_to_tsvector({titleTerms}), 'A') || array_to_tsvector({bodyTerms}))""",
                cancellationToken);
        }
        else
        {
            var titleText = string.Join(' ', title);
            var bodyText = string.Join(' ', body);
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "tr_notice_search" ("notice_id", "title", "body") VALUES ({notice.Id}, {titleText}, {bodyText})""",
                cancellationToken);
        }
    }

    /// <summary>
    /// One page of the published notices matching <paramref name="query"/> and the filter, best first (then newest),
    /// and how many match in all. A query without any term matches nothing.
    /// </summary>
    public static async Task<SearchResult> SearchAsync(
        DbContext db, string query, NoticeFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var postgres = IsPostgreSql(db);
        var match = postgres ? SearchTerms.TsQuery(query) : SearchTerms.Fts5Query(query);
        if (match is null)
        {
            return new SearchResult([], 0, ByRelevance: true);
        }

        var parameters = new List<object> { match };
        var where = new List<string>();
        if (postgres)
        {
            where.Add("""s."document" @@ CAST({0} AS tsquery)""");
        }
        else
        {
            where.Add("\"tr_notice_search\" MATCH {0}");
        }

        where.Add("""n."state" = 'Published'""");
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

        // FTS5 wants the table's own name (not an alias) in MATCH and bm25.
        var from_ = postgres
            ? """ "tr_notice_search" s JOIN "tr_notices" n ON n."id" = s."notice_id" """
            : """ "tr_notice_search" JOIN "tr_notices" n ON n."id" = "tr_notice_search"."notice_id" """;
        var conditions = string.Join(" AND ", where);
        // Only fixed SQL and numbers are spliced in; every value the user gave is a parameter.
        var countSql = $"""SELECT CAST(COUNT(*) AS integer) AS "Value" FROM {from_} WHERE {conditions}""";
        var total = await db.Database.SqlQueryRaw<int>(countSql, [.. parameters]).SingleAsync(cancellationToken);
        if (total == 0)
        {
            return new SearchResult([], 0, ByRelevance: true);
        }

        // Ranking reads every match's terms: cheap for the few hundred matches of a specific query, not for a word in
        // half the notices. Past RankLimit matches the newest come first instead (the order a reader of a common word
        // wants anyway), which the published_at index serves.
        var byRelevance = total <= RankLimit;
        var rank = !byRelevance
            ? "0"
            : postgres
                ? """ts_rank(s."document", CAST({0} AS tsquery))"""
                : $"""-bm25("tr_notice_search", 0.0, {TitleWeight}, 1.0)""";
        var pageSql = $"""
            SELECT {(postgres ? "s" : "\"tr_notice_search\"")}."notice_id" AS "Id", CAST({rank} AS double precision) AS "Rank"
            FROM {from_}
            WHERE {conditions}
            ORDER BY {(byRelevance ? "\"Rank\" DESC, " : string.Empty)}n."published_at" DESC, n."id"
            LIMIT {take} OFFSET {skip}
            """;
        if (!postgres)
        {
            pageSql = pageSql.Replace("double precision", "REAL", StringComparison.Ordinal);
        }

        var hits = await db.Database.SqlQueryRaw<NoticeSearchHit>(pageSql, [.. parameters]).ToListAsync(cancellationToken);
        return new SearchResult(hits, total, byRelevance);
    }
}

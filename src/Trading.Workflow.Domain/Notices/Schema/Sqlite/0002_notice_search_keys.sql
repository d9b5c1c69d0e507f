-- Faster portal search on SQLite (issue 11, point 5). 0001's FTS5 table kept its own copy of the terms and named each
-- notice by its TEXT id, so a search joined every match to tr_notices to filter, count and order it (seconds for a
-- common word at 100,000 notices). From here on:
--  * each published notice gets an integer key in publication order ("tr_notice_search_keys"), which is the rowid of
--    its row in a contentless FTS5 table (no second copy of the text; ordering newest first is rowid DESC, which FTS5
--    serves from its own index and stops after one page);
--  * the portal's filters are tokens of a "facets" column of the same FTS5 row, so a filtered search is one FTS5 query
--    (trade type t…, centre c…, kind k…, region r…, publication day d…/month m…/year y… in China Standard Time; see
--    Notices/Search/NoticeFacets.cs, which writes the same tokens for new notices);
--  * relevance is FTS5's own rank, bm25 with a title term worth ten body terms and the facets worth nothing.
CREATE TABLE "tr_notice_search_keys" (
    "key" INTEGER NOT NULL CONSTRAINT "PK_tr_notice_search_keys" PRIMARY KEY AUTOINCREMENT,
    "notice_id" TEXT NOT NULL CONSTRAINT "FK_tr_notice_search_keys_notice" REFERENCES "tr_notices" ("id"),
    "published_at" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_notice_search_keys_notice" ON "tr_notice_search_keys" ("notice_id");
CREATE INDEX "IX_tr_notice_search_keys_published" ON "tr_notice_search_keys" ("published_at");

CREATE TRIGGER "TR_tr_notice_search_keys_no_update" BEFORE UPDATE ON "tr_notice_search_keys"
BEGIN
    SELECT RAISE(ABORT, 'tr_notice_search_keys: a published notice is indexed once and never changes');
END;

CREATE TRIGGER "TR_tr_notice_search_keys_no_delete" BEFORE DELETE ON "tr_notice_search_keys"
BEGIN
    SELECT RAISE(ABORT, 'tr_notice_search_keys: a published notice is indexed once and never changes');
END;

CREATE VIRTUAL TABLE "tr_notice_fts" USING fts5(
    "title",
    "body",
    "facets",
    content = '',
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO "tr_notice_fts" ("tr_notice_fts", "rank") VALUES ('rank', 'bm25(10.0, 1.0, 0.0)');

-- The notices published before this script, in publication order, with the terms 0001's table kept.
INSERT INTO "tr_notice_search_keys" ("notice_id", "published_at")
SELECT n."id", n."published_at"
FROM "tr_notices" n
JOIN "tr_notice_search" s ON s."notice_id" = n."id"
WHERE n."state" = 'Published'
ORDER BY n."published_at", n."id";

INSERT INTO "tr_notice_fts" ("rowid", "title", "body", "facets")
SELECT k."key", s."title", s."body",
       't' || replace(replace(lower(n."trade_type"), '-', ''), '_', '')
       || ' c' || lower(replace(n."centre_id", '-', ''))
       || ' k' || lower(n."kind")
       || ' r' || lower(replace(n."region_code", '-', ''))
       || ' y' || strftime('%Y', (n."published_at" - 621355968000000000) / 10000000 + 28800, 'unixepoch')
       || ' m' || strftime('%Y%m', (n."published_at" - 621355968000000000) / 10000000 + 28800, 'unixepoch')
       || ' d' || strftime('%Y%m%d', (n."published_at" - 621355968000000000) / 10000000 + 28800, 'unixepoch')
FROM "tr_notice_search_keys" k
JOIN "tr_notice_search" s ON s."notice_id" = k."notice_id"
JOIN "tr_notices" n ON n."id" = k."notice_id";

DROP TABLE "tr_notice_search";

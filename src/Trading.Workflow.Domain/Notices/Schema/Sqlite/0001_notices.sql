-- Notices and the public portal (module "notices"). Times are UTC ticks (INTEGER) on both providers, so they sort
-- and compare natively; enums are their names. A published notice never changes: the triggers refuse to update or
-- delete it whatever the application does (a correction is a new notice whose corrects_notice_id names the old one).
CREATE TABLE "tr_notices" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_notices" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "project_code" TEXT NOT NULL,
    "project_name" TEXT NOT NULL,
    "centre_id" TEXT NOT NULL,
    "trade_type" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "section_ids" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body_html" TEXT NOT NULL,
    "attachments" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "corrects_notice_id" TEXT NULL CONSTRAINT "FK_tr_notices_corrects" REFERENCES "tr_notices" ("id"),
    "drafted_by" TEXT NOT NULL,
    "drafted_at" INTEGER NOT NULL,
    "submitted_by" TEXT NULL,
    "submitted_at" INTEGER NULL,
    "reviewed_by" TEXT NULL,
    "return_reason" TEXT NULL,
    "published_at" INTEGER NULL,
    "version" INTEGER NOT NULL
);
-- The portal reads only published notices, newest first, whole or by trade type, centre or region.
CREATE INDEX "IX_tr_notices_published" ON "tr_notices" ("published_at" DESC, "id") WHERE "state" = 'Published';
CREATE INDEX "IX_tr_notices_published_trade" ON "tr_notices" ("trade_type", "published_at" DESC, "id") WHERE "state" = 'Published';
CREATE INDEX "IX_tr_notices_published_centre" ON "tr_notices" ("centre_id", "published_at" DESC, "id") WHERE "state" = 'Published';
CREATE INDEX "IX_tr_notices_published_region" ON "tr_notices" ("region_code", "published_at" DESC, "id") WHERE "state" = 'Published';
CREATE INDEX "IX_tr_notices_published_centre_trade" ON "tr_notices" ("centre_id", "trade_type", "published_at" DESC, "id") WHERE "state" = 'Published';
CREATE INDEX "IX_tr_notices_project" ON "tr_notices" ("project_id", "drafted_at");
CREATE INDEX "IX_tr_notices_project_code" ON "tr_notices" ("project_code");
CREATE INDEX "IX_tr_notices_centre_state" ON "tr_notices" ("centre_id", "state");
CREATE INDEX "IX_tr_notices_corrects" ON "tr_notices" ("corrects_notice_id");

CREATE TRIGGER "TR_tr_notices_published_no_update" BEFORE UPDATE ON "tr_notices" WHEN OLD."state" = 'Published'
BEGIN
    SELECT RAISE(ABORT, 'tr_notices: a published notice is immutable; publish a correction instead');
END;

CREATE TRIGGER "TR_tr_notices_published_no_delete" BEFORE DELETE ON "tr_notices" WHEN OLD."state" = 'Published'
BEGIN
    SELECT RAISE(ABORT, 'tr_notices: a published notice is immutable; publish a correction instead');
END;

-- Full-text index of published notices: the terms of Notices/Search/SearchTerms.cs (CJK characters and pairs,
-- lower-case words) separated by spaces, so FTS5's unicode61 tokenizer keeps each as one token.
CREATE VIRTUAL TABLE "tr_notice_search" USING fts5(
    "notice_id" UNINDEXED,
    "title",
    "body",
    tokenize = 'unicode61 remove_diacritics 0'
);

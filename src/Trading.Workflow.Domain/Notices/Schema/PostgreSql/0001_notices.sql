-- Notices and the public portal (module "notices"). Times are UTC ticks (bigint) as on SQLite, so both providers
-- sort and compare them the same way; enums are their names. A published notice never changes: the trigger refuses
-- to update or delete it whatever the application does (a correction is a new notice naming the old one).
CREATE TABLE "tr_notices" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_notices" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "project_code" text NOT NULL,
    "project_name" text NOT NULL,
    "centre_id" uuid NOT NULL,
    "trade_type" text NOT NULL,
    "region_code" text NOT NULL,
    "section_ids" text NOT NULL,
    "kind" text NOT NULL,
    "title" text NOT NULL,
    "body_html" text NOT NULL,
    "attachments" text NOT NULL,
    "state" text NOT NULL,
    "corrects_notice_id" uuid NULL CONSTRAINT "FK_tr_notices_corrects" REFERENCES "tr_notices" ("id"),
    "drafted_by" text NOT NULL,
    "drafted_at" bigint NOT NULL,
    "submitted_by" text NULL,
    "submitted_at" bigint NULL,
    "reviewed_by" text NULL,
    "return_reason" text NULL,
    "published_at" bigint NULL,
    "version" integer NOT NULL
);
CREATE INDEX "IX_tr_notices_published" ON "tr_notices" ("published_at" DESC, "id") WHERE "state" = 'Published';
CREATE INDEX "IX_tr_notices_published_trade" ON "tr_notices" ("trade_type", "published_at" DESC, "id") WHERE "state" = 'Published';
CREATE INDEX "IX_tr_notices_published_centre" ON "tr_notices" ("centre_id", "published_at" DESC, "id") WHERE "state" = 'Published';
CREATE INDEX "IX_tr_notices_published_region" ON "tr_notices" ("region_code", "published_at" DESC, "id") WHERE "state" = 'Published';
CREATE INDEX "IX_tr_notices_published_centre_trade" ON "tr_notices" ("centre_id", "trade_type", "published_at" DESC, "id") WHERE "state" = 'Published';
CREATE INDEX "IX_tr_notices_project" ON "tr_notices" ("project_id", "drafted_at");
CREATE INDEX "IX_tr_notices_project_code" ON "tr_notices" ("project_code");
CREATE INDEX "IX_tr_notices_centre_state" ON "tr_notices" ("centre_id", "state");
CREATE INDEX "IX_tr_notices_corrects" ON "tr_notices" ("corrects_notice_id");

CREATE FUNCTION "tr_notices_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%: a published notice is immutable; publish a correction instead', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER "TR_tr_notices_published_immutable" BEFORE UPDATE OR DELETE ON "tr_notices"
    FOR EACH ROW WHEN (OLD."state" = 'Published') EXECUTE FUNCTION "tr_notices_refuse_change"();

-- Full-text index of published notices: the terms of Notices/Search/SearchTerms.cs (CJK characters and pairs,
-- lower-case words) as lexemes, built with array_to_tsvector so no text-search parser or locale changes them;
-- title terms weigh A, body terms D. Rows are written once, at publication, and never changed.
CREATE TABLE "tr_notice_search" (
    "notice_id" uuid NOT NULL CONSTRAINT "PK_tr_notice_search" PRIMARY KEY
        CONSTRAINT "FK_tr_notice_search_notice" REFERENCES "tr_notices" ("id"),
    "document" tsvector NOT NULL
);
CREATE INDEX "IX_tr_notice_search_document" ON "tr_notice_search" USING gin ("document");

CREATE TRIGGER "TR_tr_notice_search_immutable" BEFORE UPDATE OR DELETE ON "tr_notice_search"
    FOR EACH ROW EXECUTE FUNCTION "tr_notices_refuse_change"();

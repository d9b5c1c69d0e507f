-- The document registry (module "documents"): every uploaded document over the content-addressed file store, and
-- who downloaded which (visible to staff and supervisors only). Times are UTC ticks.
CREATE TABLE "tr_documents" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_documents" PRIMARY KEY,
    "sha256" text NOT NULL,
    "sm3" text NOT NULL,
    "length" bigint NOT NULL,
    "kind" text NOT NULL,
    "content_type" text NOT NULL,
    "name" text NOT NULL,
    "uploaded_by" text NOT NULL,
    "uploaded_at" bigint NOT NULL,
    "centre_id" uuid NULL,
    "project_id" uuid NULL,
    "section_id" uuid NULL,
    "damaged_at" bigint NULL,
    "damaged_sha256" text NULL
);
CREATE INDEX "IX_tr_documents_sha256" ON "tr_documents" ("sha256");
CREATE INDEX "IX_tr_documents_project" ON "tr_documents" ("project_id", "section_id");
CREATE INDEX "IX_tr_documents_damaged" ON "tr_documents" ("damaged_at") WHERE "damaged_at" IS NOT NULL;

CREATE TABLE "tr_document_downloads" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_document_downloads" PRIMARY KEY,
    "document_id" uuid NOT NULL CONSTRAINT "FK_tr_document_downloads_document" REFERENCES "tr_documents" ("id"),
    "user_name" text NOT NULL,
    "at" bigint NOT NULL,
    "refused" boolean NOT NULL
);
CREATE INDEX "IX_tr_document_downloads_document" ON "tr_document_downloads" ("document_id", "at");
CREATE INDEX "IX_tr_document_downloads_at" ON "tr_document_downloads" ("at");

-- Download records are evidence: the application's role cannot change or remove them.
CREATE OR REPLACE FUNCTION "tr_refuse_download_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tr_document_downloads is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "tr_document_downloads_append_only" BEFORE UPDATE OR DELETE ON "tr_document_downloads"
    FOR EACH ROW EXECUTE FUNCTION "tr_refuse_download_change"();

-- The document registry (module "documents"): every uploaded document over the content-addressed file store, and
-- who downloaded which (visible to staff and supervisors only). Times are UTC ticks.
CREATE TABLE "tr_documents" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_documents" PRIMARY KEY,
    "sha256" TEXT NOT NULL,
    "sm3" TEXT NOT NULL,
    "length" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uploaded_by" TEXT NOT NULL,
    "uploaded_at" INTEGER NOT NULL,
    "centre_id" TEXT NULL,
    "project_id" TEXT NULL,
    "section_id" TEXT NULL,
    "damaged_at" INTEGER NULL,
    "damaged_sha256" TEXT NULL
);
CREATE INDEX "IX_tr_documents_sha256" ON "tr_documents" ("sha256");
CREATE INDEX "IX_tr_documents_project" ON "tr_documents" ("project_id", "section_id");
CREATE INDEX "IX_tr_documents_damaged" ON "tr_documents" ("damaged_at") WHERE "damaged_at" IS NOT NULL;

CREATE TABLE "tr_document_downloads" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_document_downloads" PRIMARY KEY,
    "document_id" TEXT NOT NULL CONSTRAINT "FK_tr_document_downloads_document" REFERENCES "tr_documents" ("id"),
    "user_name" TEXT NOT NULL,
    "at" INTEGER NOT NULL,
    "refused" INTEGER NOT NULL
);
CREATE INDEX "IX_tr_document_downloads_document" ON "tr_document_downloads" ("document_id", "at");
CREATE INDEX "IX_tr_document_downloads_at" ON "tr_document_downloads" ("at");

-- Issued official documents (PDF): the stored document, its SM3 and who may read it; the portal's verify page reads it.
CREATE TABLE "tr_printing_documents" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_printing_documents" PRIMARY KEY,
    "document_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "section_id" TEXT NULL,
    "centre_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "number" TEXT NULL,
    "file_name" TEXT NOT NULL,
    "length" INTEGER NOT NULL,
    "sm3" TEXT NOT NULL,
    "issued_at" INTEGER NOT NULL,
    "issued_by" TEXT NOT NULL,
    "audience" TEXT NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_printing_documents_document" ON "tr_printing_documents" ("document_id");
CREATE INDEX "IX_tr_printing_documents_project" ON "tr_printing_documents" ("project_id", "kind");

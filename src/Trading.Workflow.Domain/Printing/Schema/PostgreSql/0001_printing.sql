-- Issued official documents (PDF): the stored document, its SM3 and who may read it; the portal's verify page reads it.
CREATE TABLE "tr_printing_documents" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_printing_documents" PRIMARY KEY,
    "document_id" uuid NOT NULL,
    "project_id" uuid NOT NULL,
    "section_id" uuid NULL,
    "centre_id" uuid NOT NULL,
    "kind" text NOT NULL,
    "title" text NOT NULL,
    "issuer" text NOT NULL,
    "number" text NULL,
    "file_name" text NOT NULL,
    "length" bigint NOT NULL,
    "sm3" text NOT NULL,
    "issued_at" bigint NOT NULL,
    "issued_by" text NOT NULL,
    "audience" text NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_printing_documents_document" ON "tr_printing_documents" ("document_id");
CREATE INDEX "IX_tr_printing_documents_project" ON "tr_printing_documents" ("project_id", "kind");

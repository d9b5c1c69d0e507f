-- Supplements of an archive (补充归档): a deposit of an archived project that became final afterwards (a refund paid or
-- refused by the bank, ...) is recorded in a package of its own, linked to the original by SM3; the original package is
-- never rewritten. One per (project, reason, subject), so a bank callback delivered twice makes one; numbered per project.
CREATE TABLE "tr_archive_supplements" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_archive_supplements" PRIMARY KEY,
    "project_id" uuid NOT NULL CONSTRAINT "FK_tr_archive_supplements_project" REFERENCES "tr_archive_projects" ("project_id"),
    "centre_id" uuid NOT NULL,
    "sequence" integer NOT NULL,
    "reason" text NOT NULL,
    "subject_id" uuid NOT NULL,
    "section_id" uuid NOT NULL,
    "section_code" text NOT NULL,
    "entity_id" uuid NOT NULL,
    "principal" numeric(18,2) NOT NULL,
    "interest" numeric(18,2) NOT NULL,
    "bank_reference" text NULL,
    "made_at" bigint NOT NULL,
    "made_by" text NOT NULL,
    "package_document_id" uuid NOT NULL,
    "package_sm3" text NOT NULL,
    "manifest_sm3" text NOT NULL,
    "entries" integer NOT NULL,
    "original_manifest_sm3" text NOT NULL,
    "previous_manifest_sm3" text NULL,
    "ledger_json" text NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_archive_supplements_project_sequence" ON "tr_archive_supplements" ("project_id", "sequence");
CREATE UNIQUE INDEX "IX_tr_archive_supplements_project_reason_subject" ON "tr_archive_supplements" ("project_id", "reason", "subject_id");

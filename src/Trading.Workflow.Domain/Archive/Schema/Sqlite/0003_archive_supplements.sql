-- Supplements of an archive (补充归档): a deposit of an archived project that became final afterwards (a refund paid or
-- refused by the bank, ...) is recorded in a package of its own, linked to the original by SM3; the original package is
-- never rewritten. One per (project, reason, subject), so a bank callback delivered twice makes one; numbered per project.
CREATE TABLE "tr_archive_supplements" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_archive_supplements" PRIMARY KEY,
    "project_id" TEXT NOT NULL CONSTRAINT "FK_tr_archive_supplements_project" REFERENCES "tr_archive_projects" ("project_id"),
    "centre_id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "section_id" TEXT NOT NULL,
    "section_code" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "principal" TEXT NOT NULL,
    "interest" TEXT NOT NULL,
    "bank_reference" TEXT NULL,
    "made_at" INTEGER NOT NULL,
    "made_by" TEXT NOT NULL,
    "package_document_id" TEXT NOT NULL,
    "package_sm3" TEXT NOT NULL,
    "manifest_sm3" TEXT NOT NULL,
    "entries" INTEGER NOT NULL,
    "original_manifest_sm3" TEXT NOT NULL,
    "previous_manifest_sm3" TEXT NULL,
    "ledger_json" TEXT NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_archive_supplements_project_sequence" ON "tr_archive_supplements" ("project_id", "sequence");
CREATE UNIQUE INDEX "IX_tr_archive_supplements_project_reason_subject" ON "tr_archive_supplements" ("project_id", "reason", "subject_id");

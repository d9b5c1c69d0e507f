-- Prequalification applications (资格预审申请) and the review's finding on each (条例 18–19). Times are UTC ticks.
CREATE TABLE "tr_ec_applications" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_ec_applications" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "document_id" TEXT NOT NULL,
    "submitted_by" TEXT NOT NULL,
    "submitted_at" INTEGER NOT NULL,
    "decision" TEXT NULL,
    "reason" TEXT NULL,
    "reviewed_by" TEXT NULL,
    "reviewed_at" INTEGER NULL
);
CREATE UNIQUE INDEX "IX_tr_ec_applications_project_entity" ON "tr_ec_applications" ("project_id", "entity_id");
CREATE INDEX "IX_tr_ec_applications_entity" ON "tr_ec_applications" ("entity_id");

-- Prequalification applications (资格预审申请) and the review's finding on each (条例 18–19). Times are UTC ticks.
CREATE TABLE "tr_ec_applications" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_ec_applications" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "entity_id" uuid NOT NULL,
    "entity_name" text NOT NULL,
    "document_id" uuid NOT NULL,
    "submitted_by" text NOT NULL,
    "submitted_at" bigint NOT NULL,
    "decision" text NULL,
    "reason" text NULL,
    "reviewed_by" text NULL,
    "reviewed_at" bigint NULL
);
CREATE UNIQUE INDEX "IX_tr_ec_applications_project_entity" ON "tr_ec_applications" ("project_id", "entity_id");
CREATE INDEX "IX_tr_ec_applications_entity" ON "tr_ec_applications" ("entity_id");

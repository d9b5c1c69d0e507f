-- Collusion warnings (module "warnings"): evidence on a section for a supervisor to review, never a verdict.
-- identity is SM3 of kind, section, shared value and bidders: computing again finds the same row. Times are UTC ticks.
CREATE TABLE "tr_collusion_warnings" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_collusion_warnings" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "section_id" TEXT NOT NULL,
    "centre_id" TEXT NOT NULL,
    "project_code" TEXT NOT NULL,
    "project_name" TEXT NOT NULL,
    "section_code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "bidders" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,
    "first_computed_at" INTEGER NOT NULL,
    "computed_at" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "reviewed_by" TEXT NULL,
    "reviewed_at" INTEGER NULL,
    "review_note" TEXT NULL,
    "version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_collusion_warnings_identity" ON "tr_collusion_warnings" ("section_id", "identity");
CREATE INDEX "IX_tr_collusion_warnings_project" ON "tr_collusion_warnings" ("project_id", "state");
CREATE INDEX "IX_tr_collusion_warnings_centre" ON "tr_collusion_warnings" ("centre_id", "state");

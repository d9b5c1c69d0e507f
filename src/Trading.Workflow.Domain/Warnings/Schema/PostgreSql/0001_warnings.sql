-- Collusion warnings (module "warnings"): evidence on a section for a supervisor to review, never a verdict.
-- identity is SM3 of kind, section, shared value and bidders: computing again finds the same row. Times are UTC ticks.
CREATE TABLE "tr_collusion_warnings" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_collusion_warnings" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "section_id" uuid NOT NULL,
    "centre_id" uuid NOT NULL,
    "project_code" text NOT NULL,
    "project_name" text NOT NULL,
    "section_code" text NOT NULL,
    "kind" text NOT NULL,
    "identity" text NOT NULL,
    "bidders" text NOT NULL,
    "evidence" text NOT NULL,
    "first_computed_at" bigint NOT NULL,
    "computed_at" bigint NOT NULL,
    "state" text NOT NULL,
    "reviewed_by" text NULL,
    "reviewed_at" bigint NULL,
    "review_note" text NULL,
    "version" integer NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_collusion_warnings_identity" ON "tr_collusion_warnings" ("section_id", "identity");
CREATE INDEX "IX_tr_collusion_warnings_project" ON "tr_collusion_warnings" ("project_id", "state");
CREATE INDEX "IX_tr_collusion_warnings_centre" ON "tr_collusion_warnings" ("centre_id", "state");

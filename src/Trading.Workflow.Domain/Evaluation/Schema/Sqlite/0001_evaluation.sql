-- Evaluation (module "evaluation"): the method of a project, its evaluation with the decrypted bids taken from the
-- opening, the committee's members, and each member's sheet. Times are UTC ticks; enums are their names; the method,
-- the bids, the results and the reviews are JSON.
CREATE TABLE "tr_evaluation_plans" (
    "project_id" TEXT NOT NULL CONSTRAINT "PK_tr_evaluation_plans" PRIMARY KEY,
    "method" TEXT NOT NULL,
    "set_by" TEXT NOT NULL,
    "set_at" INTEGER NOT NULL,
    "locked_at" INTEGER NULL,
    "version" INTEGER NOT NULL
);

CREATE TABLE "tr_evaluations" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_evaluations" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "project_code" TEXT NOT NULL,
    "project_name" TEXT NOT NULL,
    "centre_id" TEXT NOT NULL,
    "committee_id" TEXT NOT NULL,
    "instance_id" TEXT NULL,
    "method" TEXT NOT NULL,
    "sections" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "started_at" INTEGER NOT NULL,
    "due_at" INTEGER NOT NULL,
    "extensions" INTEGER NOT NULL,
    "outcomes" TEXT NOT NULL,
    "aggregated_at" INTEGER NULL,
    "chair_user_name" TEXT NULL,
    "summary" TEXT NULL,
    "report_written_at" INTEGER NULL,
    "confirmed_at" INTEGER NULL,
    "version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_evaluations_project" ON "tr_evaluations" ("project_id");

CREATE TABLE "tr_evaluation_members" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_evaluation_members" PRIMARY KEY,
    "evaluation_id" TEXT NOT NULL CONSTRAINT "FK_tr_evaluation_members_evaluation" REFERENCES "tr_evaluations" ("id"),
    "expert_id" TEXT NOT NULL,
    "user_name" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "tenderee_representative" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "joined_at" INTEGER NOT NULL,
    "replaced_at" INTEGER NULL,
    "replacement_reason" TEXT NULL,
    "asked_for_time_at" INTEGER NULL,
    "confirmation" TEXT NOT NULL,
    "dissent" TEXT NULL,
    "confirmed_at" INTEGER NULL,
    "version" INTEGER NOT NULL
);
CREATE INDEX "IX_tr_evaluation_members_evaluation" ON "tr_evaluation_members" ("evaluation_id");
CREATE INDEX "IX_tr_evaluation_members_user" ON "tr_evaluation_members" ("user_name");

CREATE TABLE "tr_evaluation_sheets" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_evaluation_sheets" PRIMARY KEY,
    "evaluation_id" TEXT NOT NULL CONSTRAINT "FK_tr_evaluation_sheets_evaluation" REFERENCES "tr_evaluations" ("id"),
    "member_id" TEXT NOT NULL CONSTRAINT "FK_tr_evaluation_sheets_member" REFERENCES "tr_evaluation_members" ("id"),
    "state" TEXT NOT NULL,
    "reviews" TEXT NOT NULL,
    "updated_at" INTEGER NOT NULL,
    "submitted_at" INTEGER NULL,
    "version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_evaluation_sheets_member" ON "tr_evaluation_sheets" ("member_id");
CREATE INDEX "IX_tr_evaluation_sheets_evaluation" ON "tr_evaluation_sheets" ("evaluation_id");

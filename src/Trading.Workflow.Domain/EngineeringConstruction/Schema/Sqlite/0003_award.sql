-- Candidate publicity, objections to the result, complaints and suspensions, the award with its notices, contracts and
-- the winner report of an engineering tender (条例 54–62, 法 45–47). Times are UTC ticks; enums are their names.

CREATE TABLE "tr_ec_awards" (
    "project_id" TEXT NOT NULL CONSTRAINT "PK_tr_ec_awards" PRIMARY KEY,
    "project_code" TEXT NOT NULL,
    "project_name" TEXT NOT NULL,
    "centre_id" TEXT NOT NULL,
    "owner_entity_id" TEXT NOT NULL,
    "owner_name" TEXT NOT NULL,
    "agency_entity_id" TEXT NULL,
    "state_funded" INTEGER NOT NULL,
    "report_id" TEXT NOT NULL,
    "report_confirmed_at" INTEGER NOT NULL,
    "report_summary" TEXT NOT NULL,
    "candidates" TEXT NOT NULL,
    "bidders" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "publicity_notice_id" TEXT NOT NULL,
    "publicity_starts_at" INTEGER NOT NULL,
    "publicity_ends_at" INTEGER NOT NULL,
    "published_late" INTEGER NOT NULL,
    "awarded_at" INTEGER NULL,
    "awarded_by" TEXT NULL,
    "result_notice_id" TEXT NULL,
    "contract_due_at" INTEGER NULL,
    "winner_report_due_at" INTEGER NULL,
    "winner_report_document_id" TEXT NULL,
    "winner_report_submitted_at" INTEGER NULL,
    "winner_report_submitted_by" TEXT NULL,
    "winner_report_escalated_at" INTEGER NULL,
    "contracts_signed_at" INTEGER NULL,
    "suspended" INTEGER NOT NULL,
    "updated_at" INTEGER NOT NULL,
    "version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_ec_awards_project_code" ON "tr_ec_awards" ("project_code");
CREATE INDEX "IX_tr_ec_awards_stage_awarded_at" ON "tr_ec_awards" ("stage", "awarded_at");
CREATE TABLE "tr_ec_award_sections" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_ec_award_sections" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "section_id" TEXT NOT NULL,
    "section_code" TEXT NOT NULL,
    "winner_entity_id" TEXT NOT NULL,
    "winner_name" TEXT NOT NULL,
    "winner_rank" INTEGER NOT NULL,
    "contract_price" TEXT NOT NULL,
    "reason" TEXT NULL,
    "decided_by" TEXT NOT NULL,
    "decided_at" INTEGER NOT NULL,
    "contract_document_id" TEXT NULL,
    "performance_bond" TEXT NULL,
    "contract_uploaded_at" INTEGER NULL,
    "contract_uploaded_by" TEXT NULL,
    "contract_late" INTEGER NOT NULL,
    "escalated_at" INTEGER NULL
);
CREATE UNIQUE INDEX "IX_tr_ec_award_sections_project_id_section_id" ON "tr_ec_award_sections" ("project_id", "section_id");
CREATE INDEX "IX_tr_ec_award_sections_winner_entity_id" ON "tr_ec_award_sections" ("winner_entity_id");
CREATE TABLE "tr_ec_award_notices" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_ec_award_notices" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "section_id" TEXT NOT NULL,
    "section_code" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "issued_at" INTEGER NOT NULL,
    "issued_document_id" TEXT NULL,
    "document_id" TEXT NULL,
    "sm3" TEXT NULL,
    "file_name" TEXT NULL,
    "verify_path" TEXT NULL
);
CREATE INDEX "IX_tr_ec_award_notices_project_id_section_id" ON "tr_ec_award_notices" ("project_id", "section_id");
CREATE INDEX "IX_tr_ec_award_notices_entity_id" ON "tr_ec_award_notices" ("entity_id");
CREATE TABLE "tr_ec_result_objections" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_ec_result_objections" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "raised_by" TEXT NOT NULL,
    "raised_at" INTEGER NOT NULL,
    "answer_due_at" INTEGER NOT NULL,
    "answer" TEXT NULL,
    "answered_by" TEXT NULL,
    "answered_at" INTEGER NULL,
    "reminded_at" INTEGER NULL
);
CREATE INDEX "IX_tr_ec_result_objections_project_id_raised_at" ON "tr_ec_result_objections" ("project_id", "raised_at");
CREATE INDEX "IX_tr_ec_result_objections_entity_id" ON "tr_ec_result_objections" ("entity_id");
CREATE TABLE "tr_ec_complaints" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_ec_complaints" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "objection_id" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "filed_by" TEXT NOT NULL,
    "filed_at" INTEGER NOT NULL,
    "decision" TEXT NULL,
    "decided_by" TEXT NULL,
    "decided_at" INTEGER NULL
);
CREATE INDEX "IX_tr_ec_complaints_project_id_filed_at" ON "tr_ec_complaints" ("project_id", "filed_at");
CREATE INDEX "IX_tr_ec_complaints_decided_at" ON "tr_ec_complaints" ("decided_at");
CREATE TABLE "tr_ec_suspensions" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_ec_suspensions" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "complaint_id" TEXT NULL,
    "reason" TEXT NOT NULL,
    "ordered_by" TEXT NOT NULL,
    "ordered_at" INTEGER NOT NULL,
    "resumed_by" TEXT NULL,
    "resumed_at" INTEGER NULL,
    "resume_reason" TEXT NULL
);
CREATE INDEX "IX_tr_ec_suspensions_project_id_ordered_at" ON "tr_ec_suspensions" ("project_id", "ordered_at");

-- Candidate publicity, objections to the result, complaints and suspensions, the award with its notices, contracts and
-- the winner report of an engineering tender (条例 54–62, 法 45–47). Times are UTC ticks; enums are their names.

CREATE TABLE "tr_ec_awards" (
    "project_id" uuid NOT NULL CONSTRAINT "PK_tr_ec_awards" PRIMARY KEY,
    "project_code" text NOT NULL,
    "project_name" text NOT NULL,
    "centre_id" uuid NOT NULL,
    "owner_entity_id" uuid NOT NULL,
    "owner_name" text NOT NULL,
    "agency_entity_id" uuid NULL,
    "state_funded" boolean NOT NULL,
    "report_id" uuid NOT NULL,
    "report_confirmed_at" bigint NOT NULL,
    "report_summary" text NOT NULL,
    "candidates" text NOT NULL,
    "bidders" text NOT NULL,
    "stage" text NOT NULL,
    "publicity_notice_id" uuid NOT NULL,
    "publicity_starts_at" bigint NOT NULL,
    "publicity_ends_at" bigint NOT NULL,
    "published_late" boolean NOT NULL,
    "awarded_at" bigint NULL,
    "awarded_by" text NULL,
    "result_notice_id" uuid NULL,
    "contract_due_at" bigint NULL,
    "winner_report_due_at" bigint NULL,
    "winner_report_document_id" uuid NULL,
    "winner_report_submitted_at" bigint NULL,
    "winner_report_submitted_by" text NULL,
    "winner_report_escalated_at" bigint NULL,
    "contracts_signed_at" bigint NULL,
    "suspended" boolean NOT NULL,
    "updated_at" bigint NOT NULL,
    "version" integer NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_ec_awards_project_code" ON "tr_ec_awards" ("project_code");
CREATE INDEX "IX_tr_ec_awards_stage_awarded_at" ON "tr_ec_awards" ("stage", "awarded_at");
CREATE TABLE "tr_ec_award_sections" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_ec_award_sections" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "section_id" uuid NOT NULL,
    "section_code" text NOT NULL,
    "winner_entity_id" uuid NOT NULL,
    "winner_name" text NOT NULL,
    "winner_rank" integer NOT NULL,
    "contract_price" numeric(18,2) NOT NULL,
    "reason" text NULL,
    "decided_by" text NOT NULL,
    "decided_at" bigint NOT NULL,
    "contract_document_id" uuid NULL,
    "performance_bond" numeric(18,2) NULL,
    "contract_uploaded_at" bigint NULL,
    "contract_uploaded_by" text NULL,
    "contract_late" boolean NOT NULL,
    "escalated_at" bigint NULL
);
CREATE UNIQUE INDEX "IX_tr_ec_award_sections_project_id_section_id" ON "tr_ec_award_sections" ("project_id", "section_id");
CREATE INDEX "IX_tr_ec_award_sections_winner_entity_id" ON "tr_ec_award_sections" ("winner_entity_id");
CREATE TABLE "tr_ec_award_notices" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_ec_award_notices" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "section_id" uuid NOT NULL,
    "section_code" text NOT NULL,
    "entity_id" uuid NOT NULL,
    "entity_name" text NOT NULL,
    "kind" text NOT NULL,
    "issued_at" bigint NOT NULL,
    "issued_document_id" uuid NULL,
    "document_id" uuid NULL,
    "sm3" text NULL,
    "file_name" text NULL,
    "verify_path" text NULL
);
CREATE INDEX "IX_tr_ec_award_notices_project_id_section_id" ON "tr_ec_award_notices" ("project_id", "section_id");
CREATE INDEX "IX_tr_ec_award_notices_entity_id" ON "tr_ec_award_notices" ("entity_id");
CREATE TABLE "tr_ec_result_objections" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_ec_result_objections" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "entity_id" uuid NOT NULL,
    "entity_name" text NOT NULL,
    "text" text NOT NULL,
    "raised_by" text NOT NULL,
    "raised_at" bigint NOT NULL,
    "answer_due_at" bigint NOT NULL,
    "answer" text NULL,
    "answered_by" text NULL,
    "answered_at" bigint NULL,
    "reminded_at" bigint NULL
);
CREATE INDEX "IX_tr_ec_result_objections_project_id_raised_at" ON "tr_ec_result_objections" ("project_id", "raised_at");
CREATE INDEX "IX_tr_ec_result_objections_entity_id" ON "tr_ec_result_objections" ("entity_id");
CREATE TABLE "tr_ec_complaints" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_ec_complaints" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "objection_id" uuid NOT NULL,
    "entity_id" uuid NOT NULL,
    "entity_name" text NOT NULL,
    "text" text NOT NULL,
    "filed_by" text NOT NULL,
    "filed_at" bigint NOT NULL,
    "decision" text NULL,
    "decided_by" text NULL,
    "decided_at" bigint NULL
);
CREATE INDEX "IX_tr_ec_complaints_project_id_filed_at" ON "tr_ec_complaints" ("project_id", "filed_at");
CREATE INDEX "IX_tr_ec_complaints_decided_at" ON "tr_ec_complaints" ("decided_at");
CREATE TABLE "tr_ec_suspensions" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_ec_suspensions" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "complaint_id" uuid NULL,
    "reason" text NOT NULL,
    "ordered_by" text NOT NULL,
    "ordered_at" bigint NOT NULL,
    "resumed_by" text NULL,
    "resumed_at" bigint NULL,
    "resume_reason" text NULL
);
CREATE INDEX "IX_tr_ec_suspensions_project_id_ordered_at" ON "tr_ec_suspensions" ("project_id", "ordered_at");

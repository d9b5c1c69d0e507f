-- The engineering-construction tender (module "engineering-construction"): one tender per project with its documents and
-- the dates the law constrains, its clarifications (with the deadline before and after), objections to the documents
-- and the entities' downloads. Times are UTC ticks; enums are their names.

CREATE TABLE "tr_ec_tenders" (
    "project_id" uuid NOT NULL CONSTRAINT "PK_tr_ec_tenders" PRIMARY KEY,
    "project_code" text NOT NULL,
    "project_name" text NOT NULL,
    "centre_id" uuid NOT NULL,
    "owner_entity_id" uuid NOT NULL,
    "agency_entity_id" uuid NULL,
    "kind" text NOT NULL,
    "stage" text NOT NULL,
    "document_ids" text NOT NULL,
    "bill_of_quantities_id" uuid NULL,
    "sale_starts_at" bigint NOT NULL,
    "sale_ends_at" bigint NOT NULL,
    "bid_deadline" bigint NOT NULL,
    "original_bid_deadline" bigint NOT NULL,
    "documents_issued_at" bigint NULL,
    "prequalification" boolean NOT NULL,
    "pq_sale_starts_at" bigint NULL,
    "pq_sale_ends_at" bigint NULL,
    "pq_application_deadline" bigint NULL,
    "invitations" text NOT NULL,
    "qualified" text NOT NULL,
    "pq_reviewed" boolean NOT NULL,
    "bid_count" integer NULL,
    "retender_rule" text NULL,
    "retender_reason" text NULL,
    "scheduled_by" text NOT NULL,
    "updated_at" bigint NOT NULL,
    "version" integer NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_ec_tenders_code" ON "tr_ec_tenders" ("project_code");
CREATE INDEX "IX_tr_ec_tenders_stage" ON "tr_ec_tenders" ("stage", "bid_deadline");
CREATE INDEX "IX_tr_ec_tenders_owner" ON "tr_ec_tenders" ("owner_entity_id");
CREATE TABLE "tr_ec_clarifications" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_ec_clarifications" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "number" integer NOT NULL,
    "title" text NOT NULL,
    "body" text NOT NULL,
    "document_id" uuid NULL,
    "published_at" bigint NOT NULL,
    "published_by" text NOT NULL,
    "deadline_before" bigint NOT NULL,
    "deadline_after" bigint NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_ec_clarifications_number" ON "tr_ec_clarifications" ("project_id", "number");
CREATE TABLE "tr_ec_objections" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_ec_objections" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "entity_id" uuid NOT NULL,
    "entity_name" text NOT NULL,
    "text" text NOT NULL,
    "raised_by" text NOT NULL,
    "raised_at" bigint NOT NULL,
    "answer_due_at" bigint NOT NULL,
    "answer" text NULL,
    "answered_by" text NULL,
    "answered_at" bigint NULL
);
CREATE INDEX "IX_tr_ec_objections_project" ON "tr_ec_objections" ("project_id", "raised_at");
CREATE INDEX "IX_tr_ec_objections_entity" ON "tr_ec_objections" ("entity_id");
CREATE TABLE "tr_ec_downloads" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_ec_downloads" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "entity_id" uuid NOT NULL,
    "entity_name" text NOT NULL,
    "document_id" uuid NOT NULL,
    "user_name" text NOT NULL,
    "at" bigint NOT NULL
);
CREATE INDEX "IX_tr_ec_downloads_project" ON "tr_ec_downloads" ("project_id", "entity_id");
CREATE INDEX "IX_tr_ec_downloads_entity" ON "tr_ec_downloads" ("entity_id", "at");

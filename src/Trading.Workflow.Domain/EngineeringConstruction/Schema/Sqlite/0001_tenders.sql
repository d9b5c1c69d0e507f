-- The engineering-construction tender (module "engineering-construction"): one tender per project with its documents and
-- the dates the law constrains, its clarifications (with the deadline before and after), objections to the documents
-- and the entities' downloads. Times are UTC ticks; enums are their names.

CREATE TABLE "tr_ec_tenders" (
    "project_id" TEXT NOT NULL CONSTRAINT "PK_tr_ec_tenders" PRIMARY KEY,
    "project_code" TEXT NOT NULL,
    "project_name" TEXT NOT NULL,
    "centre_id" TEXT NOT NULL,
    "owner_entity_id" TEXT NOT NULL,
    "agency_entity_id" TEXT NULL,
    "kind" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "document_ids" TEXT NOT NULL,
    "bill_of_quantities_id" TEXT NULL,
    "sale_starts_at" INTEGER NOT NULL,
    "sale_ends_at" INTEGER NOT NULL,
    "bid_deadline" INTEGER NOT NULL,
    "original_bid_deadline" INTEGER NOT NULL,
    "documents_issued_at" INTEGER NULL,
    "prequalification" INTEGER NOT NULL,
    "pq_sale_starts_at" INTEGER NULL,
    "pq_sale_ends_at" INTEGER NULL,
    "pq_application_deadline" INTEGER NULL,
    "invitations" TEXT NOT NULL,
    "qualified" TEXT NOT NULL,
    "pq_reviewed" INTEGER NOT NULL,
    "bid_count" INTEGER NULL,
    "retender_rule" TEXT NULL,
    "retender_reason" TEXT NULL,
    "scheduled_by" TEXT NOT NULL,
    "updated_at" INTEGER NOT NULL,
    "version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_ec_tenders_code" ON "tr_ec_tenders" ("project_code");
CREATE INDEX "IX_tr_ec_tenders_stage" ON "tr_ec_tenders" ("stage", "bid_deadline");
CREATE INDEX "IX_tr_ec_tenders_owner" ON "tr_ec_tenders" ("owner_entity_id");
CREATE TABLE "tr_ec_clarifications" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_ec_clarifications" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "document_id" TEXT NULL,
    "published_at" INTEGER NOT NULL,
    "published_by" TEXT NOT NULL,
    "deadline_before" INTEGER NOT NULL,
    "deadline_after" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_ec_clarifications_number" ON "tr_ec_clarifications" ("project_id", "number");
CREATE TABLE "tr_ec_objections" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_ec_objections" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "raised_by" TEXT NOT NULL,
    "raised_at" INTEGER NOT NULL,
    "answer_due_at" INTEGER NOT NULL,
    "answer" TEXT NULL,
    "answered_by" TEXT NULL,
    "answered_at" INTEGER NULL
);
CREATE INDEX "IX_tr_ec_objections_project" ON "tr_ec_objections" ("project_id", "raised_at");
CREATE INDEX "IX_tr_ec_objections_entity" ON "tr_ec_objections" ("entity_id");
CREATE TABLE "tr_ec_downloads" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_ec_downloads" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "document_id" TEXT NOT NULL,
    "user_name" TEXT NOT NULL,
    "at" INTEGER NOT NULL
);
CREATE INDEX "IX_tr_ec_downloads_project" ON "tr_ec_downloads" ("project_id", "entity_id");
CREATE INDEX "IX_tr_ec_downloads_entity" ON "tr_ec_downloads" ("entity_id", "at");

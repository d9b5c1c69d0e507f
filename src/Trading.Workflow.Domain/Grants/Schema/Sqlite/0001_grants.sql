-- Grants (module "grants", land-use and mineral rights, issue 14): offerings and applications. Times are UTC ticks.
-- The confidential reserve is not here: the bidding engine keeps it in tr_bidding_lots until the close.
CREATE TABLE "tr_grant_offerings" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_grant_offerings" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "section_id" TEXT NOT NULL,
    "project_code" TEXT NOT NULL,
    "centre_id" TEXT NOT NULL,
    "trade_type" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "owner_entity_id" TEXT NOT NULL,
    "owner_name" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "parcel" TEXT NOT NULL,
    "start_price" TEXT NOT NULL,
    "increment" TEXT NOT NULL,
    "deposit" TEXT NOT NULL,
    "application_deadline" INTEGER NOT NULL,
    "bidding_opens" INTEGER NOT NULL,
    "bidding_ends" INTEGER NOT NULL,
    "stage" TEXT NOT NULL,
    "demo_schedule" INTEGER NOT NULL,
    "lot_id" TEXT NULL,
    "submitted_at" INTEGER NULL,
    "notice_id" TEXT NULL,
    "notice_published_at" INTEGER NULL,
    "closed_at" INTEGER NULL,
    "no_sale_reason" TEXT NULL,
    "no_sale_notice_id" TEXT NULL,
    "winner_entity_id" TEXT NULL,
    "winner_name" TEXT NULL,
    "winner_number" INTEGER NULL,
    "price" TEXT NULL,
    "confirmation_id" TEXT NULL,
    "confirmation_document_id" TEXT NULL,
    "grantor_signed_at" INTEGER NULL,
    "grantor_signed_by" TEXT NULL,
    "winner_signed_at" INTEGER NULL,
    "winner_signed_by" TEXT NULL,
    "deposit_converted_at" INTEGER NULL,
    "result_due_at" INTEGER NULL,
    "result_notice_id" TEXT NULL,
    "result_published_at" INTEGER NULL,
    "result_overdue_at" INTEGER NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_grant_offerings_project" ON "tr_grant_offerings" ("project_id");
CREATE INDEX "IX_tr_grant_offerings_stage" ON "tr_grant_offerings" ("stage");

CREATE TABLE "tr_grant_applications" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_grant_applications" PRIMARY KEY,
    "offering_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "section_id" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "applied_at" INTEGER NOT NULL,
    "applied_by" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "decided_at" INTEGER NULL,
    "decided_by" TEXT NULL,
    "reason" TEXT NULL,
    "bidder_number" INTEGER NULL
);
CREATE UNIQUE INDEX "IX_tr_grant_applications_offering_entity" ON "tr_grant_applications" ("offering_id", "entity_id");
CREATE INDEX "IX_tr_grant_applications_entity" ON "tr_grant_applications" ("entity_id");

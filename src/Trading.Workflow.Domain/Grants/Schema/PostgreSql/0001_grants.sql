-- Grants (module "grants", land-use and mineral rights, issue 14): offerings and applications. Times are UTC ticks.
-- The confidential reserve is not here: the bidding engine keeps it in tr_bidding_lots until the close.
CREATE TABLE "tr_grant_offerings" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_grant_offerings" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "section_id" uuid NOT NULL,
    "project_code" text NOT NULL,
    "centre_id" uuid NOT NULL,
    "trade_type" text NOT NULL,
    "region_code" text NOT NULL,
    "title" text NOT NULL,
    "owner_entity_id" uuid NOT NULL,
    "owner_name" text NOT NULL,
    "mode" text NOT NULL,
    "parcel" text NOT NULL,
    "start_price" numeric(18,2) NOT NULL,
    "increment" numeric(18,2) NOT NULL,
    "deposit" numeric(18,2) NOT NULL,
    "application_deadline" bigint NOT NULL,
    "bidding_opens" bigint NOT NULL,
    "bidding_ends" bigint NOT NULL,
    "stage" text NOT NULL,
    "demo_schedule" boolean NOT NULL,
    "lot_id" uuid NULL,
    "submitted_at" bigint NULL,
    "notice_id" uuid NULL,
    "notice_published_at" bigint NULL,
    "closed_at" bigint NULL,
    "no_sale_reason" text NULL,
    "no_sale_notice_id" uuid NULL,
    "winner_entity_id" uuid NULL,
    "winner_name" text NULL,
    "winner_number" integer NULL,
    "price" numeric(18,2) NULL,
    "confirmation_id" uuid NULL,
    "confirmation_document_id" uuid NULL,
    "grantor_signed_at" bigint NULL,
    "grantor_signed_by" text NULL,
    "winner_signed_at" bigint NULL,
    "winner_signed_by" text NULL,
    "deposit_converted_at" bigint NULL,
    "result_due_at" bigint NULL,
    "result_notice_id" uuid NULL,
    "result_published_at" bigint NULL,
    "result_overdue_at" bigint NULL,
    "created_at" bigint NOT NULL,
    "created_by" text NOT NULL,
    "version" integer NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_grant_offerings_project" ON "tr_grant_offerings" ("project_id");
CREATE INDEX "IX_tr_grant_offerings_stage" ON "tr_grant_offerings" ("stage");

CREATE TABLE "tr_grant_applications" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_grant_applications" PRIMARY KEY,
    "offering_id" uuid NOT NULL,
    "project_id" uuid NOT NULL,
    "section_id" uuid NOT NULL,
    "entity_id" uuid NOT NULL,
    "entity_name" text NOT NULL,
    "applied_at" bigint NOT NULL,
    "applied_by" text NOT NULL,
    "state" text NOT NULL,
    "decided_at" bigint NULL,
    "decided_by" text NULL,
    "reason" text NULL,
    "bidder_number" integer NULL
);
CREATE UNIQUE INDEX "IX_tr_grant_applications_offering_entity" ON "tr_grant_applications" ("offering_id", "entity_id");
CREATE INDEX "IX_tr_grant_applications_entity" ON "tr_grant_applications" ("entity_id");

-- Sealed bids (module "sealedbids"): bidder keys, bid windows, bids and their encrypted items. Times are UTC ticks.
-- A bidder entity's SM2 public keys; the one in force has no revoked_at. demo_key_file only for demo data.
CREATE TABLE "tr_bidder_keys" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_bidder_keys" PRIMARY KEY,
    "entity_id" uuid NOT NULL,
    "public_key" text NOT NULL,
    "fingerprint" text NOT NULL,
    "created_at" bigint NOT NULL,
    "created_by" text NOT NULL,
    "revoked_at" bigint NULL,
    "demo_key_file" text NULL
);
CREATE INDEX "IX_tr_bidder_keys_entity" ON "tr_bidder_keys" ("entity_id");

-- The bid deadline per section, set by the trade slice.
CREATE TABLE "tr_sealed_bid_windows" (
    "section_id" uuid NOT NULL CONSTRAINT "PK_tr_sealed_bid_windows" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "deadline" bigint NOT NULL,
    "set_at" bigint NOT NULL,
    "set_by" text NOT NULL
);

-- Every version of every sealed bid: ciphertext only, the wrapped content key, the signature, the arrival time.
CREATE TABLE "tr_sealed_bids" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_sealed_bids" PRIMARY KEY,
    "participation_id" uuid NOT NULL,
    "project_id" uuid NOT NULL,
    "section_id" uuid NOT NULL,
    "entity_id" uuid NOT NULL,
    "version" integer NOT NULL,
    "bidder_key_id" uuid NOT NULL,
    "wrapped_key" text NOT NULL,
    "signature" text NOT NULL,
    "manifest_sm3" text NOT NULL,
    "arrived_at" bigint NOT NULL,
    "receipt_digest" text NOT NULL,
    "submitted_by" text NOT NULL,
    "state" text NOT NULL,
    "state_changed_at" bigint NULL,
    "state_changed_by" text NULL,
    "failure_cause" text NULL,
    "failure_fault" text NULL,
    "refund_due_at" bigint NULL
);
CREATE UNIQUE INDEX "UX_tr_sealed_bids_version" ON "tr_sealed_bids" ("participation_id", "version");
CREATE INDEX "IX_tr_sealed_bids_section" ON "tr_sealed_bids" ("section_id", "state");

-- The encrypted files of a sealed bid (IV || SM4-CBC ciphertext, stored as documents).
CREATE TABLE "tr_sealed_bid_items" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_sealed_bid_items" PRIMARY KEY,
    "sealed_bid_id" uuid NOT NULL CONSTRAINT "FK_tr_sealed_bid_items_bid" REFERENCES "tr_sealed_bids" ("id"),
    "position" integer NOT NULL,
    "name" text NOT NULL,
    "kind" text NOT NULL,
    "ciphertext_document_id" uuid NOT NULL,
    "ciphertext_sm3" text NOT NULL,
    "plaintext_sm3" text NOT NULL,
    "plaintext_size" bigint NOT NULL,
    "ciphertext_size" bigint NOT NULL
);
CREATE INDEX "IX_tr_sealed_bid_items_bid" ON "tr_sealed_bid_items" ("sealed_bid_id", "position");
CREATE INDEX "IX_tr_sealed_bid_items_document" ON "tr_sealed_bid_items" ("ciphertext_document_id");

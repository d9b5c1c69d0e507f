-- Sealed bids (module "sealedbids"): bidder keys, bid windows, bids and their encrypted items. Times are UTC ticks.
-- A bidder entity's SM2 public keys; the one in force has no revoked_at. demo_key_file only for demo data.
CREATE TABLE "tr_bidder_keys" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_bidder_keys" PRIMARY KEY,
    "entity_id" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "revoked_at" INTEGER NULL,
    "demo_key_file" TEXT NULL
);
CREATE INDEX "IX_tr_bidder_keys_entity" ON "tr_bidder_keys" ("entity_id");

-- The bid deadline per section, set by the trade slice.
CREATE TABLE "tr_sealed_bid_windows" (
    "section_id" TEXT NOT NULL CONSTRAINT "PK_tr_sealed_bid_windows" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "deadline" INTEGER NOT NULL,
    "set_at" INTEGER NOT NULL,
    "set_by" TEXT NOT NULL
);

-- Every version of every sealed bid: ciphertext only, the wrapped content key, the signature, the arrival time.
CREATE TABLE "tr_sealed_bids" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_sealed_bids" PRIMARY KEY,
    "participation_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "section_id" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "bidder_key_id" TEXT NOT NULL,
    "wrapped_key" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "manifest_sm3" TEXT NOT NULL,
    "arrived_at" INTEGER NOT NULL,
    "receipt_digest" TEXT NOT NULL,
    "submitted_by" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "state_changed_at" INTEGER NULL,
    "state_changed_by" TEXT NULL,
    "failure_cause" TEXT NULL,
    "failure_fault" TEXT NULL,
    "refund_due_at" INTEGER NULL
);
CREATE UNIQUE INDEX "UX_tr_sealed_bids_version" ON "tr_sealed_bids" ("participation_id", "version");
CREATE INDEX "IX_tr_sealed_bids_section" ON "tr_sealed_bids" ("section_id", "state");

-- The encrypted files of a sealed bid (IV || SM4-CBC ciphertext, stored as documents).
CREATE TABLE "tr_sealed_bid_items" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_sealed_bid_items" PRIMARY KEY,
    "sealed_bid_id" TEXT NOT NULL CONSTRAINT "FK_tr_sealed_bid_items_bid" REFERENCES "tr_sealed_bids" ("id"),
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "ciphertext_document_id" TEXT NOT NULL,
    "ciphertext_sm3" TEXT NOT NULL,
    "plaintext_sm3" TEXT NOT NULL,
    "plaintext_size" INTEGER NOT NULL,
    "ciphertext_size" INTEGER NOT NULL
);
CREATE INDEX "IX_tr_sealed_bid_items_bid" ON "tr_sealed_bid_items" ("sealed_bid_id", "position");
CREATE INDEX "IX_tr_sealed_bid_items_document" ON "tr_sealed_bid_items" ("ciphertext_document_id");

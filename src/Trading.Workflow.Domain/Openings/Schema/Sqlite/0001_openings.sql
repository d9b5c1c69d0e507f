-- Remote bid openings (module "openings"). Times are UTC ticks (INTEGER); enums are their names. A signed opening
-- record never changes: the triggers refuse to update or delete it whatever the application does.
CREATE TABLE "tr_opening_sessions" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_opening_sessions" PRIMARY KEY,
    "section_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "centre_id" TEXT NOT NULL,
    "project_code" TEXT NOT NULL,
    "project_name" TEXT NOT NULL,
    "section_code" TEXT NOT NULL,
    "section_subject" TEXT NOT NULL,
    "trade_type" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "deadline" INTEGER NOT NULL,
    "started_at" INTEGER NOT NULL,
    "window_ends_at" INTEGER NOT NULL,
    "bid_count" INTEGER NOT NULL,
    "minimum_bids" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "closed_at" INTEGER NULL,
    "closed_by" TEXT NULL,
    "closed_early" INTEGER NOT NULL,
    "instance_id" TEXT NULL,
    "version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_opening_sessions_section" ON "tr_opening_sessions" ("section_id");
CREATE INDEX "IX_tr_opening_sessions_centre" ON "tr_opening_sessions" ("centre_id", "started_at" DESC);

CREATE TABLE "tr_opening_bids" (
    "bid_id" TEXT NOT NULL CONSTRAINT "PK_tr_opening_bids" PRIMARY KEY,
    "session_id" TEXT NOT NULL CONSTRAINT "FK_tr_opening_bids_session" REFERENCES "tr_opening_sessions" ("id"),
    "participation_id" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "bid_version" INTEGER NOT NULL,
    "arrived_at" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "last_cause" TEXT NULL,
    "fault" TEXT NULL,
    "consequence" TEXT NOT NULL,
    "settled_at" INTEGER NULL,
    "settled_by" TEXT NULL,
    "letter" TEXT NULL,
    "version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_opening_bids_session_entity" ON "tr_opening_bids" ("session_id", "entity_id");
CREATE INDEX "IX_tr_opening_bids_entity" ON "tr_opening_bids" ("entity_id");

CREATE TABLE "tr_opened_bid_items" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_opened_bid_items" PRIMARY KEY,
    "bid_id" TEXT NOT NULL CONSTRAINT "FK_tr_opened_bid_items_bid" REFERENCES "tr_opening_bids" ("bid_id"),
    "session_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "plaintext_sm3" TEXT NOT NULL,
    "length" INTEGER NOT NULL,
    "opened_at" INTEGER NOT NULL
);
CREATE INDEX "IX_tr_opened_bid_items_bid" ON "tr_opened_bid_items" ("bid_id", "position");

CREATE TABLE "tr_opening_records" (
    "session_id" TEXT NOT NULL CONSTRAINT "PK_tr_opening_records" PRIMARY KEY CONSTRAINT "FK_tr_opening_records_session" REFERENCES "tr_opening_sessions" ("id"),
    "content_json" TEXT NOT NULL,
    "sm3" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "key_fingerprint" TEXT NOT NULL,
    "signed_at" INTEGER NOT NULL,
    "notice_id" TEXT NULL
);
CREATE TRIGGER "tr_opening_records_no_update" BEFORE UPDATE ON "tr_opening_records"
BEGIN
    SELECT RAISE(ABORT, 'tr_opening_records: a signed opening record is never changed');
END;

CREATE TRIGGER "tr_opening_records_no_delete" BEFORE DELETE ON "tr_opening_records"
BEGIN
    SELECT RAISE(ABORT, 'tr_opening_records: a signed opening record is never deleted');
END;

CREATE TABLE "tr_opening_objections" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_opening_objections" PRIMARY KEY,
    "session_id" TEXT NOT NULL CONSTRAINT "FK_tr_opening_objections_session" REFERENCES "tr_opening_sessions" ("id"),
    "entity_id" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "raised_by" TEXT NOT NULL,
    "raised_at" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "answer" TEXT NULL,
    "answered_by" TEXT NULL,
    "answered_at" INTEGER NULL
);
CREATE INDEX "IX_tr_opening_objections_session" ON "tr_opening_objections" ("session_id", "raised_at");

CREATE TABLE "tr_platform_keys" (
    "purpose" TEXT NOT NULL CONSTRAINT "PK_tr_platform_keys" PRIMARY KEY,
    "private_key" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL
);

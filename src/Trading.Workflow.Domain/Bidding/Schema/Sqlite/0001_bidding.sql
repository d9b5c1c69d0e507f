-- Online bidding (module "bidding"): lots, their admitted bidder numbers and the append-only, SM3-chained bid log.
-- Times are UTC ticks; amounts are canonical decimal text (the text the hash is taken over).
-- One row per lot: the reserve (confidential until the close, read only by the lot's sequencer), the chain's head
-- (last_seq/last_hash, the row the writers of two nodes serialise on) and the durable close timer (next_due), moved in
-- the transaction of every extension.
CREATE TABLE "tr_bidding_lots" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_bidding_lots" PRIMARY KEY,
    "section_id" TEXT NULL,
    "project_id" TEXT NULL,
    "title" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "reserve" TEXT NULL,
    "reserve_salt" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "last_seq" INTEGER NOT NULL,
    "last_hash" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "next_due" INTEGER NULL,
    "outcome" TEXT NULL
);
CREATE INDEX "IX_tr_bidding_lots_next_due" ON "tr_bidding_lots" ("next_due");
CREATE INDEX "IX_tr_bidding_lots_section" ON "tr_bidding_lots" ("section_id");

-- Who bids under which number: the identity stays here, out of the log, until the result.
CREATE TABLE "tr_bidding_bidders" (
    "lot_id" TEXT NOT NULL,
    "bidder_number" INTEGER NOT NULL,
    "entity_id" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "admitted_at" INTEGER NOT NULL,
    "admitted_by" TEXT NOT NULL,
    CONSTRAINT "PK_tr_bidding_bidders" PRIMARY KEY ("lot_id", "bidder_number")
);
CREATE UNIQUE INDEX "IX_tr_bidding_bidders_entity" ON "tr_bidding_bidders" ("lot_id", "entity_id");

CREATE TABLE "tr_bidding_log" (
    "lot_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "at" INTEGER NOT NULL,
    "bidder" INTEGER NULL,
    "amount" TEXT NULL,
    "idem_key" TEXT NULL,
    "accepted" INTEGER NOT NULL,
    "reason" TEXT NULL,
    "data" TEXT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "PK_tr_bidding_log" PRIMARY KEY ("lot_id", "seq")
);
CREATE UNIQUE INDEX "IX_tr_bidding_log_key" ON "tr_bidding_log" ("lot_id", "idem_key");

CREATE TRIGGER "tr_bidding_log_no_update" BEFORE UPDATE ON "tr_bidding_log"
BEGIN SELECT RAISE(ABORT, 'tr_bidding_log is append-only'); END;
CREATE TRIGGER "tr_bidding_log_no_delete" BEFORE DELETE ON "tr_bidding_log"
BEGIN SELECT RAISE(ABORT, 'tr_bidding_log is append-only'); END;

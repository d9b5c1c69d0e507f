-- Online bidding (module "bidding"): lots, their admitted bidder numbers and the append-only, SM3-chained bid log.
-- Times are UTC ticks; amounts are canonical decimal text (the text the hash is taken over).
-- One row per lot: the reserve (confidential until the close, read only by the lot's sequencer), the chain's head
-- (last_seq/last_hash: writers on every node take this row FOR UPDATE, which orders their batches exactly once) and
-- the durable close timer (next_due), moved in the transaction of every extension.
CREATE TABLE "tr_bidding_lots" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_bidding_lots" PRIMARY KEY,
    "section_id" uuid NULL,
    "project_id" uuid NULL,
    "title" text NOT NULL,
    "mode" text NOT NULL,
    "reserve" text NULL,
    "reserve_salt" text NOT NULL,
    "created_at" bigint NOT NULL,
    "created_by" text NOT NULL,
    "last_seq" bigint NOT NULL,
    "last_hash" text NOT NULL,
    "phase" text NOT NULL,
    "next_due" bigint NULL,
    "outcome" text NULL
);
CREATE INDEX "IX_tr_bidding_lots_next_due" ON "tr_bidding_lots" ("next_due");
CREATE INDEX "IX_tr_bidding_lots_section" ON "tr_bidding_lots" ("section_id");

CREATE TABLE "tr_bidding_bidders" (
    "lot_id" uuid NOT NULL,
    "bidder_number" integer NOT NULL,
    "entity_id" uuid NOT NULL,
    "entity_name" text NOT NULL,
    "admitted_at" bigint NOT NULL,
    "admitted_by" text NOT NULL,
    CONSTRAINT "PK_tr_bidding_bidders" PRIMARY KEY ("lot_id", "bidder_number")
);
CREATE UNIQUE INDEX "IX_tr_bidding_bidders_entity" ON "tr_bidding_bidders" ("lot_id", "entity_id");

CREATE TABLE "tr_bidding_log" (
    "lot_id" uuid NOT NULL,
    "seq" bigint NOT NULL,
    "kind" text NOT NULL,
    "at" bigint NOT NULL,
    "bidder" integer NULL,
    "amount" text NULL,
    "idem_key" text NULL,
    "accepted" integer NOT NULL,
    "reason" text NULL,
    "data" text NULL,
    "prev_hash" text NOT NULL,
    "hash" text NOT NULL,
    CONSTRAINT "PK_tr_bidding_log" PRIMARY KEY ("lot_id", "seq")
);
CREATE UNIQUE INDEX "IX_tr_bidding_log_key" ON "tr_bidding_log" ("lot_id", "idem_key");

CREATE FUNCTION tr_bidding_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tr_bidding_log is append-only';
END;
$$;
CREATE TRIGGER "tr_bidding_log_no_change" BEFORE UPDATE OR DELETE ON "tr_bidding_log"
    FOR EACH ROW EXECUTE FUNCTION tr_bidding_log_append_only();
CREATE TRIGGER "tr_bidding_log_no_truncate" BEFORE TRUNCATE ON "tr_bidding_log"
    FOR EACH STATEMENT EXECUTE FUNCTION tr_bidding_log_append_only();

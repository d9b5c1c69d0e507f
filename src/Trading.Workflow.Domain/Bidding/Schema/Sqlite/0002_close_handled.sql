-- The close hook (ILotClosedHandler): 0 until every handler registered on the platform has run for the lot's Closed
-- entry; set in its own transaction after the handlers returned, so a crash between them re-runs the handlers (they
-- are idempotent) and a restart finds every closed lot still to hand over.
ALTER TABLE "tr_bidding_lots" ADD COLUMN "close_handled" INTEGER NOT NULL DEFAULT 0;
CREATE INDEX "IX_tr_bidding_lots_close_pending" ON "tr_bidding_lots" ("phase", "close_handled");

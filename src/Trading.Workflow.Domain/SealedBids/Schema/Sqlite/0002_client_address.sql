-- The client address each submission came from (as the web host saw it; NULL for bids from before it was recorded).
-- The collusion warnings look for bids of different bidders arriving close together from one address.
ALTER TABLE "tr_sealed_bids" ADD COLUMN "client_address" TEXT NULL;

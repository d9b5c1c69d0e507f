-- The opening time the tenderee announces when an objection to the documents was answered after the bid deadline
-- (条例 22 hold): the bids open then, not at once, so the bidders have notice to be online for the decryption.
ALTER TABLE "tr_ec_tenders" ADD COLUMN "opening_at" INTEGER NULL;

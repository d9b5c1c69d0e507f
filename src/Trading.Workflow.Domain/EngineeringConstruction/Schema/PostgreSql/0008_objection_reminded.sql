-- When the tenderee was reminded of an objection's answer due, so the reminder is sent once per objection even when the
-- answer task comes back (its reminder timer fires again). Objections reminded before this script read as not reminded.
ALTER TABLE "tr_ec_objections" ADD COLUMN "reminded_at" bigint NULL;

-- The engine's history as a tamper-evident chain per instance (全程留痕): each new row carries its position in the
-- instance's chain, the previous row's hash and its own SHA-256 over that hash and every field. The instance row
-- keeps the chain's length and last hash, so deleting the last rows shows too. Rows written before this version
-- stay unchained (NULL) and are reported as such.
ALTER TABLE "wf_history" ADD COLUMN "chain_position" INTEGER NULL;
ALTER TABLE "wf_history" ADD COLUMN "previous_hash" TEXT NULL;
ALTER TABLE "wf_history" ADD COLUMN "hash" TEXT NULL;
ALTER TABLE "wf_instances" ADD COLUMN "history_length" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "wf_instances" ADD COLUMN "history_head" TEXT NULL;

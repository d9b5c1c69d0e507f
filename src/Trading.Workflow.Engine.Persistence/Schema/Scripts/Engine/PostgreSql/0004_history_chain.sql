-- The engine's history as a tamper-evident chain per instance (全程留痕): each new row carries its position in the
-- instance's chain, the previous row's hash and its own SHA-256 over that hash and every field. The instance row
-- keeps the chain's length and last hash, so deleting the last rows shows too. Rows written before this version
-- stay unchained (NULL) and are reported as such.
ALTER TABLE "wf_history" ADD COLUMN "chain_position" bigint NULL;
ALTER TABLE "wf_history" ADD COLUMN "previous_hash" text NULL;
ALTER TABLE "wf_history" ADD COLUMN "hash" text NULL;
ALTER TABLE "wf_instances" ADD COLUMN "history_length" bigint NOT NULL DEFAULT 0;
ALTER TABLE "wf_instances" ADD COLUMN "history_head" text NULL;

-- Append-only for everyone who writes through SQL, the application's own role included: an UPDATE, DELETE or
-- TRUNCATE of the history is refused. (Dropping the trigger needs the table owner; run the app as a role that does
-- not own the tables to take that away too.)
CREATE OR REPLACE FUNCTION "wf_refuse_history_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'wf_history is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "wf_history_append_only" BEFORE UPDATE OR DELETE ON "wf_history"
    FOR EACH ROW EXECUTE FUNCTION "wf_refuse_history_change"();
CREATE TRIGGER "wf_history_no_truncate" BEFORE TRUNCATE ON "wf_history"
    FOR EACH STATEMENT EXECUTE FUNCTION "wf_refuse_history_change"();

-- The history chain is keyed (HMAC-SHA256 under a key kept outside the database) from the row after "keyed_after"
-- on; rows up to it stay plain SHA-256. One record per key, with the HMAC of that statement under the key, so the
-- cut-over can be neither moved nor forged by someone who can write the database but does not hold the key.
CREATE TABLE "wf_history_keys" (
    "key_id" text NOT NULL PRIMARY KEY,
    "keyed_after" bigint NOT NULL,
    "mac" text NOT NULL
);

-- Append-only, as the history itself.
CREATE OR REPLACE FUNCTION "wf_refuse_history_key_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'wf_history_keys is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "wf_history_keys_append_only" BEFORE UPDATE OR DELETE ON "wf_history_keys"
    FOR EACH ROW EXECUTE FUNCTION "wf_refuse_history_key_change"();
CREATE TRIGGER "wf_history_keys_no_truncate" BEFORE TRUNCATE ON "wf_history_keys"
    FOR EACH STATEMENT EXECUTE FUNCTION "wf_refuse_history_key_change"();

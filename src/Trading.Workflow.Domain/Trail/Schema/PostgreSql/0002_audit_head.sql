-- Where the trail's chain ends (length and last hash), moved with every append, so deleting the last records shows.
-- A trail written before this version gets its head at the next append.
CREATE TABLE "tr_audit_head" (
    "chain" text NOT NULL CONSTRAINT "PK_tr_audit_head" PRIMARY KEY,
    "length" bigint NOT NULL,
    "hash" bytea NOT NULL
);

-- Append-only for every role that writes through SQL, the application's own included: the trail's rows cannot be
-- updated, deleted or truncated, and its head only moves forward. (Dropping a trigger needs the table owner: run the
-- app as a role that does not own the tables to take that away too.)
CREATE OR REPLACE FUNCTION "tr_refuse_trail_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE OR REPLACE FUNCTION "tr_audit_head_forward"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW."chain" = OLD."chain" AND NEW."length" > OLD."length" THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'tr_audit_head only moves forward: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "tr_audit_entries_append_only" BEFORE UPDATE OR DELETE ON "tr_audit_entries"
    FOR EACH ROW EXECUTE FUNCTION "tr_refuse_trail_change"();
CREATE TRIGGER "tr_audit_entries_no_truncate" BEFORE TRUNCATE ON "tr_audit_entries"
    FOR EACH STATEMENT EXECUTE FUNCTION "tr_refuse_trail_change"();
CREATE TRIGGER "tr_audit_head_forward_only" BEFORE UPDATE ON "tr_audit_head"
    FOR EACH ROW EXECUTE FUNCTION "tr_audit_head_forward"();
CREATE TRIGGER "tr_audit_head_no_delete" BEFORE DELETE ON "tr_audit_head"
    FOR EACH ROW EXECUTE FUNCTION "tr_refuse_trail_change"();
CREATE TRIGGER "tr_audit_head_no_truncate" BEFORE TRUNCATE ON "tr_audit_head"
    FOR EACH STATEMENT EXECUTE FUNCTION "tr_refuse_trail_change"();

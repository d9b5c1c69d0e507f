-- Credit records (module "credit"): sanctions and good records on market entities and experts, decided by supervisors
-- and published (条例 78). Rows are never updated except to record their revocation; bar days are China days (inclusive).
-- Times are UTC ticks.
CREATE TABLE "tr_credit_records" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_credit_records" PRIMARY KEY,
    "subject_kind" text NOT NULL,
    "subject_id" uuid NOT NULL,
    "subject_name" text NOT NULL,
    "subject_code" text NULL,
    "kind" text NOT NULL,
    "category" text NOT NULL,
    "legal_basis" text NOT NULL,
    "decision_number" text NOT NULL,
    "reason" text NOT NULL,
    "decided_on" date NOT NULL,
    "bars_participation" boolean NOT NULL,
    "bar_from" date NULL,
    "bar_until" date NULL,
    "warning_id" uuid NULL,
    "issued_by" text NOT NULL,
    "centre_id" uuid NULL,
    "recorded_at" bigint NOT NULL,
    "revoked_at" bigint NULL,
    "revoked_by" text NULL,
    "revocation_reason" text NULL,
    "version" integer NOT NULL
);
CREATE INDEX "IX_tr_credit_records_subject" ON "tr_credit_records" ("subject_kind", "subject_id");
CREATE INDEX "IX_tr_credit_records_recorded" ON "tr_credit_records" ("recorded_at");

-- A decision is never edited or deleted: a correction is a revocation and a new record.
CREATE OR REPLACE FUNCTION "tr_refuse_credit_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tr_credit_records: % of a recorded decision refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "tr_credit_records_no_edit" BEFORE UPDATE OF "subject_kind", "subject_id", "subject_name", "subject_code", "kind", "category", "legal_basis", "decision_number", "reason", "decided_on", "bars_participation", "bar_from", "bar_until", "warning_id", "issued_by", "centre_id", "recorded_at" ON "tr_credit_records"
    FOR EACH ROW EXECUTE FUNCTION "tr_refuse_credit_change"();
CREATE TRIGGER "tr_credit_records_revoked_once" BEFORE UPDATE ON "tr_credit_records"
    FOR EACH ROW WHEN (OLD."revoked_at" IS NOT NULL) EXECUTE FUNCTION "tr_refuse_credit_change"();
CREATE TRIGGER "tr_credit_records_no_delete" BEFORE DELETE ON "tr_credit_records"
    FOR EACH ROW EXECUTE FUNCTION "tr_refuse_credit_change"();

-- Credit records (module "credit"): sanctions and good records on market entities and experts, decided by supervisors
-- and published (条例 78). Rows are never updated except to record their revocation; bar days are China days (inclusive).
-- Times are UTC ticks.
CREATE TABLE "tr_credit_records" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_credit_records" PRIMARY KEY,
    "subject_kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "subject_name" TEXT NOT NULL,
    "subject_code" TEXT NULL,
    "kind" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "legal_basis" TEXT NOT NULL,
    "decision_number" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "decided_on" TEXT NOT NULL,
    "bars_participation" INTEGER NOT NULL,
    "bar_from" TEXT NULL,
    "bar_until" TEXT NULL,
    "warning_id" TEXT NULL,
    "issued_by" TEXT NOT NULL,
    "centre_id" TEXT NULL,
    "recorded_at" INTEGER NOT NULL,
    "revoked_at" INTEGER NULL,
    "revoked_by" TEXT NULL,
    "revocation_reason" TEXT NULL,
    "version" INTEGER NOT NULL
);
CREATE INDEX "IX_tr_credit_records_subject" ON "tr_credit_records" ("subject_kind", "subject_id");
CREATE INDEX "IX_tr_credit_records_recorded" ON "tr_credit_records" ("recorded_at");

-- A decision is never edited or deleted: a correction is a revocation and a new record.
CREATE TRIGGER "tr_credit_records_no_edit" BEFORE UPDATE OF "subject_kind", "subject_id", "subject_name", "subject_code", "kind", "category", "legal_basis", "decision_number", "reason", "decided_on", "bars_participation", "bar_from", "bar_until", "warning_id", "issued_by", "centre_id", "recorded_at" ON "tr_credit_records"
BEGIN
    SELECT RAISE(ABORT, 'tr_credit_records: a recorded decision is never changed');
END;

CREATE TRIGGER "tr_credit_records_revoked_once" BEFORE UPDATE ON "tr_credit_records" WHEN OLD."revoked_at" IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'tr_credit_records: a revoked record is never changed');
END;

CREATE TRIGGER "tr_credit_records_no_delete" BEFORE DELETE ON "tr_credit_records"
BEGIN
    SELECT RAISE(ABORT, 'tr_credit_records: a credit record is never deleted');
END;

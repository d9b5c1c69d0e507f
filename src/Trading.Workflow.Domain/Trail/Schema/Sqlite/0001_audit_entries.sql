-- The trail of trade actions (全程留痕): append-only, each row chained to the previous by its SM3 hash.
CREATE TABLE "tr_audit_entries" (
    "sequence" INTEGER NOT NULL CONSTRAINT "PK_tr_audit_entries" PRIMARY KEY,
    "occurred_at" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "centre_id" TEXT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "previous_hash" BLOB NOT NULL,
    "hash" BLOB NOT NULL
);
CREATE INDEX "IX_tr_audit_entries_subject" ON "tr_audit_entries" ("subject_type", "subject_id", "sequence");
CREATE INDEX "IX_tr_audit_entries_action" ON "tr_audit_entries" ("action", "sequence");

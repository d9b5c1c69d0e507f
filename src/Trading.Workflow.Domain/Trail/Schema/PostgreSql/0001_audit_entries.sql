-- The trail of trade actions (全程留痕): append-only, each row chained to the previous by its SM3 hash.
CREATE TABLE "tr_audit_entries" (
    "sequence" bigint NOT NULL CONSTRAINT "PK_tr_audit_entries" PRIMARY KEY,
    "occurred_at" timestamp with time zone NOT NULL,
    "actor" text NOT NULL,
    "centre_id" uuid NULL,
    "subject_type" text NOT NULL,
    "subject_id" text NOT NULL,
    "action" text NOT NULL,
    "data" text NOT NULL,
    "previous_hash" bytea NOT NULL,
    "hash" bytea NOT NULL
);
CREATE INDEX "IX_tr_audit_entries_subject" ON "tr_audit_entries" ("subject_type", "subject_id", "sequence");
CREATE INDEX "IX_tr_audit_entries_action" ON "tr_audit_entries" ("action", "sequence");

-- Refunds owed by a date (条例 35: a bid withdrawn before the deadline is refunded within 5 日), carried out by the
-- refund timer through the section's ledger. Times as the other deposit tables store them.
CREATE TABLE "tr_deposit_scheduled_refunds" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_deposit_scheduled_refunds" PRIMARY KEY,
    "section_id" TEXT NOT NULL CONSTRAINT "FK_tr_deposit_scheduled_refunds_section" REFERENCES "tr_deposit_sections" ("section_id"),
    "entity_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "source_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "run_at" TEXT NOT NULL,
    "due_at" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "last_attempt_at" TEXT NULL,
    "last_error" TEXT NULL,
    "instruction_id" TEXT NULL,
    "settled_at" TEXT NULL,
    "overdue_reported" INTEGER NOT NULL,
    "version" INTEGER NOT NULL
);
CREATE INDEX "IX_tr_deposit_scheduled_refunds_state_run" ON "tr_deposit_scheduled_refunds" ("state", "run_at");
CREATE INDEX "IX_tr_deposit_scheduled_refunds_section_entity" ON "tr_deposit_scheduled_refunds" ("section_id", "entity_id");

-- Refunds owed by a date (条例 35: a bid withdrawn before the deadline is refunded within 5 日), carried out by the
-- refund timer through the section's ledger.
CREATE TABLE "tr_deposit_scheduled_refunds" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_deposit_scheduled_refunds" PRIMARY KEY,
    "section_id" uuid NOT NULL CONSTRAINT "FK_tr_deposit_scheduled_refunds_section" REFERENCES "tr_deposit_sections" ("section_id"),
    "entity_id" uuid NOT NULL,
    "reason" text NOT NULL,
    "source_id" uuid NULL,
    "created_at" timestamp with time zone NOT NULL,
    "created_by" text NOT NULL,
    "run_at" timestamp with time zone NOT NULL,
    "due_at" timestamp with time zone NOT NULL,
    "state" text NOT NULL,
    "attempts" integer NOT NULL,
    "last_attempt_at" timestamp with time zone NULL,
    "last_error" text NULL,
    "instruction_id" uuid NULL,
    "settled_at" timestamp with time zone NULL,
    "overdue_reported" boolean NOT NULL,
    "version" integer NOT NULL
);
CREATE INDEX "IX_tr_deposit_scheduled_refunds_state_run" ON "tr_deposit_scheduled_refunds" ("state", "run_at");
CREATE INDEX "IX_tr_deposit_scheduled_refunds_section_entity" ON "tr_deposit_scheduled_refunds" ("section_id", "entity_id");

-- Deposits (module "deposits"): each section's deposit terms, the bidders' virtual sub-accounts, the payments the
-- bank reported, electronic guarantees, the ledger lines per section, refund and forfeiture instructions, and the
-- signatures of accepted bank callbacks (replays are refused). Projects and market entities are other modules:
-- their ids are kept with a snapshot of names and codes, without foreign keys. On SQLite ids, times, days and
-- amounts are text (EF Core's defaults; sums are made in the application, never in SQL); a payment's recording
-- time is also kept as UTC ticks on both databases, so the lists order by it in SQL.
CREATE TABLE "tr_deposit_sections" (
    "section_id" TEXT NOT NULL CONSTRAINT "PK_tr_deposit_sections" PRIMARY KEY,
    "serial" INTEGER NOT NULL,
    "section_code" TEXT NOT NULL,
    "section_subject" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "project_code" TEXT NOT NULL,
    "project_name" TEXT NOT NULL,
    "centre_id" TEXT NOT NULL,
    "trade_type" TEXT NOT NULL,
    "amount" TEXT NOT NULL,
    "forms" INTEGER NOT NULL,
    "beneficiary" TEXT NOT NULL,
    "guarantee_valid_until" TEXT NOT NULL,
    "interest_rate" TEXT NULL,
    "configured_at" TEXT NOT NULL,
    "configured_by" TEXT NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_deposit_sections_serial" ON "tr_deposit_sections" ("serial");
CREATE INDEX "IX_tr_deposit_sections_centre" ON "tr_deposit_sections" ("centre_id");

CREATE TABLE "tr_deposit_accounts" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_deposit_accounts" PRIMARY KEY,
    "section_id" TEXT NOT NULL CONSTRAINT "FK_tr_deposit_accounts_section" REFERENCES "tr_deposit_sections" ("section_id"),
    "entity_id" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "participant" INTEGER NOT NULL,
    "number" TEXT NOT NULL,
    "opened_at" TEXT NOT NULL,
    "opened_by" TEXT NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_deposit_accounts_number" ON "tr_deposit_accounts" ("number");
CREATE UNIQUE INDEX "IX_tr_deposit_accounts_section_entity" ON "tr_deposit_accounts" ("section_id", "entity_id");
CREATE UNIQUE INDEX "IX_tr_deposit_accounts_section_participant" ON "tr_deposit_accounts" ("section_id", "participant");
CREATE INDEX "IX_tr_deposit_accounts_entity" ON "tr_deposit_accounts" ("entity_id");

CREATE TABLE "tr_deposit_payments" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_deposit_payments" PRIMARY KEY,
    "bank_code" TEXT NOT NULL,
    "bank_transaction_id" TEXT NOT NULL,
    "amount" TEXT NOT NULL,
    "payer_name" TEXT NOT NULL,
    "payer_account" TEXT NOT NULL,
    "payer_bank" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "received_at" TEXT NOT NULL,
    "recorded_ticks" INTEGER NOT NULL,
    "match" TEXT NOT NULL,
    "section_id" TEXT NULL,
    "entity_id" TEXT NULL,
    "matched_by" TEXT NULL,
    "matched_at" TEXT NULL,
    "flagged" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_deposit_payments_bank_transaction" ON "tr_deposit_payments" ("bank_code", "bank_transaction_id");
CREATE INDEX "IX_tr_deposit_payments_section" ON "tr_deposit_payments" ("section_id");
CREATE INDEX "IX_tr_deposit_payments_match" ON "tr_deposit_payments" ("match");
CREATE INDEX "IX_tr_deposit_payments_flagged" ON "tr_deposit_payments" ("flagged");

CREATE TABLE "tr_deposit_guarantees" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_deposit_guarantees" PRIMARY KEY,
    "section_id" TEXT NOT NULL CONSTRAINT "FK_tr_deposit_guarantees_section" REFERENCES "tr_deposit_sections" ("section_id"),
    "entity_id" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "amount" TEXT NOT NULL,
    "valid_from" TEXT NOT NULL,
    "valid_until" TEXT NOT NULL,
    "beneficiary" TEXT NOT NULL,
    "accepted" INTEGER NOT NULL,
    "problems" TEXT NOT NULL,
    "recorded_at" TEXT NOT NULL,
    "recorded_by" TEXT NOT NULL
);
CREATE INDEX "IX_tr_deposit_guarantees_section_entity" ON "tr_deposit_guarantees" ("section_id", "entity_id");
CREATE INDEX "IX_tr_deposit_guarantees_issuer_number" ON "tr_deposit_guarantees" ("issuer", "number");

CREATE TABLE "tr_deposit_ledger" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_deposit_ledger" PRIMARY KEY,
    "section_id" TEXT NOT NULL CONSTRAINT "FK_tr_deposit_ledger_section" REFERENCES "tr_deposit_sections" ("section_id"),
    "sequence" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "entity_id" TEXT NULL,
    "amount" TEXT NOT NULL,
    "interest" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "at" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "payer_account" TEXT NULL,
    "payer_not_basic" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_deposit_ledger_section_sequence" ON "tr_deposit_ledger" ("section_id", "sequence");

CREATE TABLE "tr_deposit_instructions" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_deposit_instructions" PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "section_id" TEXT NOT NULL CONSTRAINT "FK_tr_deposit_instructions_section" REFERENCES "tr_deposit_sections" ("section_id"),
    "entity_id" TEXT NOT NULL,
    "principal" TEXT NOT NULL,
    "interest" TEXT NOT NULL,
    "to_account" TEXT NOT NULL,
    "to_name" TEXT NOT NULL,
    "to_bank" TEXT NOT NULL,
    "decided_on" TEXT NOT NULL,
    "decided_at" TEXT NOT NULL,
    "decided_by" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "last_attempt_at" TEXT NULL,
    "last_error" TEXT NULL,
    "bank_reference" TEXT NULL,
    "paid_at" TEXT NULL
);
CREATE INDEX "IX_tr_deposit_instructions_section_entity" ON "tr_deposit_instructions" ("section_id", "entity_id");
CREATE INDEX "IX_tr_deposit_instructions_state" ON "tr_deposit_instructions" ("state");

CREATE TABLE "tr_deposit_callbacks" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_deposit_callbacks" PRIMARY KEY,
    "bank_code" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "timestamp" INTEGER NOT NULL,
    "received_at" TEXT NOT NULL,
    "subject" TEXT NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_deposit_callbacks_signature" ON "tr_deposit_callbacks" ("bank_code", "signature");

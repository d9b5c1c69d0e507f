-- Deposits (module "deposits"): each section's deposit terms, the bidders' virtual sub-accounts, the payments the
-- bank reported, electronic guarantees, the ledger lines per section, refund and forfeiture instructions, and the
-- signatures of accepted bank callbacks (replays are refused). Projects and market entities are other modules:
-- their ids are kept with a snapshot of names and codes, without foreign keys. PostgreSQL keeps times as timestamptz
-- and amounts as numeric(18,2); a payment's recording time is also kept as UTC ticks, as on SQLite.
CREATE TABLE "tr_deposit_sections" (
    "section_id" uuid NOT NULL CONSTRAINT "PK_tr_deposit_sections" PRIMARY KEY,
    "serial" integer NOT NULL,
    "section_code" text NOT NULL,
    "section_subject" text NOT NULL,
    "project_id" uuid NOT NULL,
    "project_code" text NOT NULL,
    "project_name" text NOT NULL,
    "centre_id" uuid NOT NULL,
    "trade_type" text NOT NULL,
    "amount" numeric(18,2) NOT NULL,
    "forms" integer NOT NULL,
    "beneficiary" text NOT NULL,
    "guarantee_valid_until" date NOT NULL,
    "interest_rate" numeric(9,6) NULL,
    "configured_at" timestamp with time zone NOT NULL,
    "configured_by" text NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_deposit_sections_serial" ON "tr_deposit_sections" ("serial");
CREATE INDEX "IX_tr_deposit_sections_centre" ON "tr_deposit_sections" ("centre_id");

CREATE TABLE "tr_deposit_accounts" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_deposit_accounts" PRIMARY KEY,
    "section_id" uuid NOT NULL CONSTRAINT "FK_tr_deposit_accounts_section" REFERENCES "tr_deposit_sections" ("section_id"),
    "entity_id" uuid NOT NULL,
    "entity_name" text NOT NULL,
    "participant" integer NOT NULL,
    "number" text NOT NULL,
    "opened_at" timestamp with time zone NOT NULL,
    "opened_by" text NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_deposit_accounts_number" ON "tr_deposit_accounts" ("number");
CREATE UNIQUE INDEX "IX_tr_deposit_accounts_section_entity" ON "tr_deposit_accounts" ("section_id", "entity_id");
CREATE UNIQUE INDEX "IX_tr_deposit_accounts_section_participant" ON "tr_deposit_accounts" ("section_id", "participant");
CREATE INDEX "IX_tr_deposit_accounts_entity" ON "tr_deposit_accounts" ("entity_id");

CREATE TABLE "tr_deposit_payments" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_deposit_payments" PRIMARY KEY,
    "bank_code" text NOT NULL,
    "bank_transaction_id" text NOT NULL,
    "amount" numeric(18,2) NOT NULL,
    "payer_name" text NOT NULL,
    "payer_account" text NOT NULL,
    "payer_bank" text NOT NULL,
    "reference" text NOT NULL,
    "received_at" timestamp with time zone NOT NULL,
    "recorded_ticks" bigint NOT NULL,
    "match" text NOT NULL,
    "section_id" uuid NULL,
    "entity_id" uuid NULL,
    "matched_by" text NULL,
    "matched_at" timestamp with time zone NULL,
    "flagged" boolean NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_deposit_payments_bank_transaction" ON "tr_deposit_payments" ("bank_code", "bank_transaction_id");
CREATE INDEX "IX_tr_deposit_payments_section" ON "tr_deposit_payments" ("section_id");
CREATE INDEX "IX_tr_deposit_payments_match" ON "tr_deposit_payments" ("match");
CREATE INDEX "IX_tr_deposit_payments_flagged" ON "tr_deposit_payments" ("flagged");

CREATE TABLE "tr_deposit_guarantees" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_deposit_guarantees" PRIMARY KEY,
    "section_id" uuid NOT NULL CONSTRAINT "FK_tr_deposit_guarantees_section" REFERENCES "tr_deposit_sections" ("section_id"),
    "entity_id" uuid NOT NULL,
    "issuer" text NOT NULL,
    "number" text NOT NULL,
    "amount" numeric(18,2) NOT NULL,
    "valid_from" date NOT NULL,
    "valid_until" date NOT NULL,
    "beneficiary" text NOT NULL,
    "accepted" boolean NOT NULL,
    "problems" text NOT NULL,
    "recorded_at" timestamp with time zone NOT NULL,
    "recorded_by" text NOT NULL
);
CREATE INDEX "IX_tr_deposit_guarantees_section_entity" ON "tr_deposit_guarantees" ("section_id", "entity_id");
CREATE INDEX "IX_tr_deposit_guarantees_issuer_number" ON "tr_deposit_guarantees" ("issuer", "number");

CREATE TABLE "tr_deposit_ledger" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_deposit_ledger" PRIMARY KEY,
    "section_id" uuid NOT NULL CONSTRAINT "FK_tr_deposit_ledger_section" REFERENCES "tr_deposit_sections" ("section_id"),
    "sequence" bigint NOT NULL,
    "kind" text NOT NULL,
    "entity_id" uuid NULL,
    "amount" numeric(18,2) NOT NULL,
    "interest" numeric(18,2) NOT NULL,
    "reference" text NOT NULL,
    "at" timestamp with time zone NOT NULL,
    "by" text NOT NULL,
    "payer_account" text NULL,
    "payer_not_basic" boolean NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_deposit_ledger_section_sequence" ON "tr_deposit_ledger" ("section_id", "sequence");

CREATE TABLE "tr_deposit_instructions" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_deposit_instructions" PRIMARY KEY,
    "kind" text NOT NULL,
    "section_id" uuid NOT NULL CONSTRAINT "FK_tr_deposit_instructions_section" REFERENCES "tr_deposit_sections" ("section_id"),
    "entity_id" uuid NOT NULL,
    "principal" numeric(18,2) NOT NULL,
    "interest" numeric(18,2) NOT NULL,
    "to_account" text NOT NULL,
    "to_name" text NOT NULL,
    "to_bank" text NOT NULL,
    "decided_on" date NOT NULL,
    "decided_at" timestamp with time zone NOT NULL,
    "decided_by" text NOT NULL,
    "state" text NOT NULL,
    "attempts" integer NOT NULL,
    "last_attempt_at" timestamp with time zone NULL,
    "last_error" text NULL,
    "bank_reference" text NULL,
    "paid_at" timestamp with time zone NULL
);
CREATE INDEX "IX_tr_deposit_instructions_section_entity" ON "tr_deposit_instructions" ("section_id", "entity_id");
CREATE INDEX "IX_tr_deposit_instructions_state" ON "tr_deposit_instructions" ("state");

CREATE TABLE "tr_deposit_callbacks" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_deposit_callbacks" PRIMARY KEY,
    "bank_code" text NOT NULL,
    "signature" text NOT NULL,
    "timestamp" bigint NOT NULL,
    "received_at" timestamp with time zone NOT NULL,
    "subject" text NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_deposit_callbacks_signature" ON "tr_deposit_callbacks" ("bank_code", "signature");

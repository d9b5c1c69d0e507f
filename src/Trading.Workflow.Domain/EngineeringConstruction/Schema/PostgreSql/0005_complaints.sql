-- Complaints follow any of the three objections (条例 60) and carry the supervisor's 条例 61 steps: acceptance (or not,
-- with the reason) within 3 working days, the decision within 30 after acceptance. Existing rows all followed an
-- objection to the result and keep every value; they have no acceptance due time (not kept then).
ALTER TABLE "tr_ec_complaints" ADD COLUMN "objection_kind" text NOT NULL DEFAULT 'Result';
ALTER TABLE "tr_ec_complaints" ADD COLUMN "accept_due_at" bigint NULL;
ALTER TABLE "tr_ec_complaints" ADD COLUMN "accepted_at" bigint NULL;
ALTER TABLE "tr_ec_complaints" ADD COLUMN "accepted_by" text NULL;
ALTER TABLE "tr_ec_complaints" ADD COLUMN "refused_at" bigint NULL;
ALTER TABLE "tr_ec_complaints" ADD COLUMN "refused_by" text NULL;
ALTER TABLE "tr_ec_complaints" ADD COLUMN "refusal_reason" text NULL;
ALTER TABLE "tr_ec_complaints" ADD COLUMN "decide_due_at" bigint NULL;
CREATE INDEX "IX_tr_ec_complaints_objection" ON "tr_ec_complaints" ("objection_kind", "objection_id");

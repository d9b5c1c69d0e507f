-- When an unanswered objection was escalated to the supervisors, so the escalation is recorded once.
ALTER TABLE "tr_ec_objections" ADD COLUMN "escalated_at" bigint NULL;
ALTER TABLE "tr_ec_result_objections" ADD COLUMN "escalated_at" bigint NULL;

-- A complaint whose acceptance (3 working days) or decision (30) passed its due time is announced to the supervisors
-- once per step (条例 61); the time it was announced keeps a second node or round from announcing it again.
ALTER TABLE "tr_ec_complaints" ADD COLUMN "accept_escalated_at" bigint NULL;
ALTER TABLE "tr_ec_complaints" ADD COLUMN "decide_escalated_at" bigint NULL;

-- A termination request the recovery failed to complete (the procedure suspended or in an incident): how many rounds
-- failed, the last error and when, so the offering's page tells its parties and staff can act.
ALTER TABLE "tr_grant_termination_requests" ADD COLUMN "failed_attempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "tr_grant_termination_requests" ADD COLUMN "last_error" TEXT NULL;
ALTER TABLE "tr_grant_termination_requests" ADD COLUMN "last_attempt_at" INTEGER NULL;

-- The termination of a sale after its notice (终止): the reason (on the page and the 终止公告), when, by whom, and the
-- notice. The stage Terminated and the applications' state Closed need no column.
ALTER TABLE "tr_grant_offerings" ADD COLUMN "termination_reason" TEXT NULL;
ALTER TABLE "tr_grant_offerings" ADD COLUMN "terminated_at" INTEGER NULL;
ALTER TABLE "tr_grant_offerings" ADD COLUMN "terminated_by" TEXT NULL;
ALTER TABLE "tr_grant_offerings" ADD COLUMN "termination_notice_id" TEXT NULL;

-- The termination of a sale after its notice (终止): the reason (on the page and the 终止公告), when, by whom, and the
-- notice. The stage Terminated and the applications' state Closed need no column.
ALTER TABLE "tr_grant_offerings" ADD COLUMN "termination_reason" varchar(1000) NULL;
ALTER TABLE "tr_grant_offerings" ADD COLUMN "terminated_at" bigint NULL;
ALTER TABLE "tr_grant_offerings" ADD COLUMN "terminated_by" text NULL;
ALTER TABLE "tr_grant_offerings" ADD COLUMN "termination_notice_id" uuid NULL;

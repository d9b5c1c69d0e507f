-- Staff's return of a submitted offering to the grantor (退回修改: the latest reason, when, by whom; earlier returns are
-- in the trail) and the grantor's withdrawal before the notice (撤回). The stages Returned and Withdrawn need no column.
ALTER TABLE "tr_grant_offerings" ADD COLUMN "return_reason" TEXT NULL;
ALTER TABLE "tr_grant_offerings" ADD COLUMN "returned_at" INTEGER NULL;
ALTER TABLE "tr_grant_offerings" ADD COLUMN "returned_by" TEXT NULL;
ALTER TABLE "tr_grant_offerings" ADD COLUMN "withdrawn_at" INTEGER NULL;
ALTER TABLE "tr_grant_offerings" ADD COLUMN "withdrawn_by" TEXT NULL;
ALTER TABLE "tr_grant_offerings" ADD COLUMN "withdraw_reason" TEXT NULL;

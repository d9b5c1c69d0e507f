-- The grantor's bidding terms beside the start price and the increment: the public price cap (最高限价, NULL for none;
-- reaching it switches the sale to a sealed one-shot round) and the allowed multiples of the increment ("1,2,5"; empty
-- for any whole multiple, what every offering before this script used).
ALTER TABLE "tr_grant_offerings" ADD COLUMN "price_cap" TEXT NULL;
ALTER TABLE "tr_grant_offerings" ADD COLUMN "allowed_multiples" TEXT NOT NULL DEFAULT '';

-- Whether the grantor gave a reserve (底价) at the last submission (its amount stays in the bidding engine): the notice
-- must say which (39号令 15: a sale without a reserve is announced as such). Offerings submitted before this script
-- were announced as having one.
ALTER TABLE "tr_grant_offerings" ADD COLUMN "has_reserve" boolean NOT NULL DEFAULT true;

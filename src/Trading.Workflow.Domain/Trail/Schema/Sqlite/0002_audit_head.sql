-- Where the trail's chain ends (length and last hash), moved with every append, so deleting the last records shows.
-- A trail written before this version gets its head at the next append.
CREATE TABLE "tr_audit_head" (
    "chain" TEXT NOT NULL CONSTRAINT "PK_tr_audit_head" PRIMARY KEY,
    "length" INTEGER NOT NULL,
    "hash" BLOB NOT NULL
);

-- Version 5: the id (never the key) of the key the trail is written with, so that a node whose key differs refuses to
-- start instead of writing records no other node can verify (TrailKeyCheck).
CREATE TABLE "TrailKeyInUse" (
    "Name" TEXT NOT NULL CONSTRAINT "PK_TrailKeyInUse" PRIMARY KEY,
    "KeyId" TEXT NOT NULL,
    "SinceTicks" INTEGER NOT NULL
);

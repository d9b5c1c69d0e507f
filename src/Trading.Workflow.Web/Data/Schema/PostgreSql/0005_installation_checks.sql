-- Version 5: what every node of an installation must share, recorded by the first node to start, so that a node that
-- does not share it refuses to start (InstallationChecks): the id (never the key) of the key the trail is written with,
-- and the token of the documents folder's marker file.
CREATE TABLE "InstallationChecks" (
    "Name" text NOT NULL,
    "Value" text NOT NULL,
    "SinceTicks" bigint NOT NULL,
    CONSTRAINT "PK_InstallationChecks" PRIMARY KEY ("Name")
);

-- What the platform's shipped procedure files last brought into this database, per process: the hash of the file
-- (with its forms) taken in, and a newer shipped version waiting for an administrator's review (its XML, since
-- when, and whether it was saved as the process's draft). A release that changes a shipped file never replaces a
-- version projects run on: it waits here until an administrator publishes it from the designer or dismisses it.
CREATE TABLE "wf_shipped_procedures" (
    "process_id" TEXT NOT NULL CONSTRAINT "PK_wf_shipped_procedures" PRIMARY KEY,
    "source_file" TEXT NOT NULL,
    "taken_hash" TEXT NOT NULL,
    "pending_hash" TEXT NULL,
    "pending_xml" TEXT NULL,
    "pending_since" INTEGER NULL,
    "pending_as_draft" INTEGER NOT NULL DEFAULT 0,
    "updated_at" INTEGER NOT NULL
);

-- What the platform's shipped procedure files last brought into this database, per process: the hash of the file
-- (with its forms) taken in, and a newer shipped version waiting for an administrator's review (its XML, since
-- when, and whether it was saved as the process's draft). A release that changes a shipped file never replaces a
-- version projects run on: it waits here until an administrator publishes it from the designer or dismisses it.
CREATE TABLE "wf_shipped_procedures" (
    "process_id" text NOT NULL CONSTRAINT "PK_wf_shipped_procedures" PRIMARY KEY,
    "source_file" text NOT NULL,
    "taken_hash" text NOT NULL,
    "pending_hash" text NULL,
    "pending_xml" text NULL,
    "pending_since" timestamptz NULL,
    "pending_as_draft" boolean NOT NULL DEFAULT false,
    "updated_at" timestamptz NOT NULL
);

-- A command writes one history row per instance it changed, however many events it recorded (store bench: about 8
-- per command): the row keeps them as JSON in "entries", "entry_count" says how many, and its sequence is the last
-- of theirs (see HistoryRows). One row instead of eight saves the server seven inserts into the table and both of
-- its indexes per command. Older rows stay one event each.
ALTER TABLE "wf_history" ADD COLUMN "entry_count" integer NOT NULL DEFAULT 1;
ALTER TABLE "wf_history" ADD COLUMN "entries" text NULL;
-- Commands commit side by side, so a row cannot take the numbers after the largest given: each row takes one value
-- of the sequence and its events the numbers from that value on, so the sequence steps by the most events a row
-- holds (HistoryRows.MaxEvents). Sequences stay unique and rising; they are no longer consecutive.
ALTER TABLE "wf_history" ALTER COLUMN "sequence" SET INCREMENT BY 1024;

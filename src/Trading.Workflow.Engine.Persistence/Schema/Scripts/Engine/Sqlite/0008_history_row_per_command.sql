-- A command writes one history row per instance it changed, however many events it recorded (store bench: about 8
-- per command): the row keeps them as JSON in "entries", "entry_count" says how many, and its sequence is the last
-- of theirs (see HistoryRows). One row instead of eight costs one table cell and one instance-index entry, where
-- the eight had cost about 4.5 of the 13.4 pages a command wrote to the WAL. Older rows stay one event each.
ALTER TABLE "wf_history" ADD COLUMN "entry_count" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "wf_history" ADD COLUMN "entries" TEXT NULL;

-- The columns SQLite's history rows of several events use (see the SQLite script of the same name). PostgreSQL keeps
-- one row per event: its commands commit side by side, each event takes its own value of the sequence, and readers
-- treat both kinds of row alike.
ALTER TABLE "wf_history" ADD COLUMN "entry_count" integer NOT NULL DEFAULT 1;
ALTER TABLE "wf_history" ADD COLUMN "entries" text NULL;

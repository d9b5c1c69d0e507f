-- The history table without AUTOINCREMENT: a commit no longer writes the sqlite_sequence page (one 4 KiB WAL frame
-- per command, a tenth of what a command wrote). "sequence" stays the rowid (INTEGER PRIMARY KEY), so SQLite numbers
-- a new row one past the largest in the table. AUTOINCREMENT only added that a number is never handed out again after
-- the rows holding the largest numbers were deleted; the store never deletes history (append-only: the store only
-- inserts; a deletion is tampering, which the hash chain reports). Writers are serialised, so sequence stays commit
-- order, as the notification sweep's cursor needs. The rebuild keeps every row and its sequence; dropping the old
-- table drops its sqlite_sequence row. No other module's index or trigger sits on wf_history.
CREATE TABLE "wf_history_new" (
    "sequence" INTEGER NOT NULL CONSTRAINT "PK_wf_history" PRIMARY KEY,
    "instance_id" TEXT NOT NULL,
    "type" INTEGER NOT NULL,
    "timestamp" INTEGER NOT NULL,
    "process_id" TEXT NULL,
    "business_key" TEXT NULL,
    "element_id" TEXT NULL,
    "element_type" TEXT NULL,
    "element_name" TEXT NULL,
    "execution_id" INTEGER NULL,
    "task_id" TEXT NULL,
    "user_id" TEXT NULL,
    "variable_name" TEXT NULL,
    "old_value" TEXT NULL,
    "new_value" TEXT NULL,
    "details" TEXT NULL,
    "chain_position" INTEGER NULL,
    "previous_hash" TEXT NULL,
    "hash" TEXT NULL
);
INSERT INTO "wf_history_new" (
    "sequence", "instance_id", "type", "timestamp", "process_id", "business_key", "element_id", "element_type",
    "element_name", "execution_id", "task_id", "user_id", "variable_name", "old_value", "new_value", "details",
    "chain_position", "previous_hash", "hash")
SELECT
    "sequence", "instance_id", "type", "timestamp", "process_id", "business_key", "element_id", "element_type",
    "element_name", "execution_id", "task_id", "user_id", "variable_name", "old_value", "new_value", "details",
    "chain_position", "previous_hash", "hash"
FROM "wf_history" ORDER BY "sequence";
DROP TABLE "wf_history";
ALTER TABLE "wf_history_new" RENAME TO "wf_history";
CREATE INDEX "IX_wf_history_instance" ON "wf_history" ("instance_id", "sequence");
CREATE INDEX "IX_wf_history_business_key" ON "wf_history" ("business_key", "sequence");

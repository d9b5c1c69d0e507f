-- Reminders look for open tasks due before a moment; a task without a due date is never one of them, yet every such
-- task's creation and completion wrote the index (one WAL page per command on tools/bench's procedure). The index now
-- holds dated open tasks only; "due <= ?" implies "due IS NOT NULL", so the reminder query still searches it.
DROP INDEX "IX_wf_tasks_open_due";
CREATE INDEX "IX_wf_tasks_open_due" ON "wf_tasks" ("due") WHERE "state" = 0 AND "due" IS NOT NULL;

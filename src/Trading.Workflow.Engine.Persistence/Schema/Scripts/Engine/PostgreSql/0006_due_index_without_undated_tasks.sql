-- Reminders look for open tasks due before a moment; a task without a due date is never one of them, yet every such
-- task's creation and completion wrote the index. The index now holds dated open tasks only; "due <= $1" implies
-- "due IS NOT NULL", so the reminder query still uses it.
DROP INDEX "IX_wf_tasks_open_due";
CREATE INDEX "IX_wf_tasks_open_due" ON "wf_tasks" ("due") WHERE "state" = 0 AND "due" IS NOT NULL;

-- Open tasks by assignee are found through the inbox index (wf_task_candidates), as on SQLite since its version 5:
-- this index only cost every task insert and completion a write.
DROP INDEX "IX_wf_tasks_open_assignee";

-- Reminders: open tasks due before a moment, without reading every open task.
CREATE INDEX "IX_wf_tasks_open_due" ON "wf_tasks" ("due") WHERE "state" = 0;

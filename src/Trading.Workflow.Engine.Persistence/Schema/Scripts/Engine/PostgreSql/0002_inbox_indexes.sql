-- Inbox: open tasks a user may work on, by assignee, candidate user or role, earliest due first.
-- One range scan per principal; only rows that currently grant access are indexed.
CREATE INDEX "IX_wf_task_candidates_inbox" ON "wf_task_candidates" ("kind", "value", "due_key", "task_id") WHERE "active";
CREATE INDEX "IX_wf_tasks_open_assignee" ON "wf_tasks" ("assignee", "due") WHERE "state" = 0;

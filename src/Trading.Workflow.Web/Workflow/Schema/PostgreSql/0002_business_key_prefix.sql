-- Inbox and instance filters match a project code prefix with LIKE 'code%'; under a non-C collation only a
-- text_pattern_ops index serves that.
CREATE INDEX "IX_wf_tasks_business_key_prefix" ON "wf_tasks" ("business_key" text_pattern_ops) WHERE "state" = 0;
CREATE INDEX "IX_wf_instances_business_key_prefix" ON "wf_instances" ("business_key" text_pattern_ops);

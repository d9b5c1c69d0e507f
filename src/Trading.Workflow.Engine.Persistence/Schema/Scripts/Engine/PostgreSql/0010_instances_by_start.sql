-- The instance list is newest first (then by id): walking this index it stops at its page instead of sorting every
-- instance the province ever started.
CREATE INDEX "IX_wf_instances_started" ON "wf_instances" ("started_at" DESC, "id");

-- The instance list is newest first: walking this index it stops at its page instead of sorting every instance the
-- province ever started. Ties on the start time are put in id order among themselves.
CREATE INDEX "IX_wf_instances_started" ON "wf_instances" ("started_at");

-- A process has at most one draft (version NULL). The unique index over (process_id, version) let NULL versions
-- repeat, so two saves creating a process's first draft at the same instant could leave two. Should a database hold
-- two already, the one saved last stays, as a later save would have replaced the earlier one.
DELETE FROM "wf_definitions" AS d
WHERE d."version" IS NULL AND EXISTS (
    SELECT 1 FROM "wf_definitions" o
    WHERE o."process_id" = d."process_id" AND o."version" IS NULL AND (o."created_at", o."id") > (d."created_at", d."id"));

CREATE UNIQUE INDEX "IX_wf_definitions_draft" ON "wf_definitions" ("process_id") WHERE "version" IS NULL;

-- The project each trail record concerns, kept beside the chain so a project's records are found by key (the
-- supervisors' project filter, the archive) instead of by a scan of every record's data. The chain, its hashes and
-- canonical text are unchanged: the key is derived from the record (its subject is the project, or its data has a
-- top-level "projectId"; AuditTrail.ProjectOf), so records written before this version get theirs here.
CREATE TABLE "tr_audit_projects" (
    "sequence" INTEGER NOT NULL CONSTRAINT "PK_tr_audit_projects" PRIMARY KEY,
    "project_id" TEXT NOT NULL
);
CREATE INDEX "IX_tr_audit_projects_project_id_sequence" ON "tr_audit_projects" ("project_id", "sequence");

-- Guids as EF stores them on SQLite (upper-case text); only the "D" form the trail writes.
INSERT INTO "tr_audit_projects" ("sequence", "project_id")
SELECT "sequence", upper("project") FROM (
    SELECT "sequence",
        CASE
            WHEN "subject_type" = 'project' AND "subject_id" GLOB '[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]-[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]-[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]-[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]-[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]' THEN "subject_id"
            ELSE CASE WHEN json_valid("data") THEN CASE WHEN json_type("data", '$.projectId') = 'text' THEN json_extract("data", '$.projectId') END END
        END AS "project"
    FROM "tr_audit_entries"
) WHERE "project" GLOB '[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]-[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]-[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]-[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]-[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]';

-- The project each trail record concerns, kept beside the chain so a project's records are found by key (the
-- supervisors' project filter, the archive) instead of by a scan of every record's data. The chain, its hashes and
-- canonical text are unchanged: the key is derived from the record (its subject is the project, or its data has a
-- top-level "projectId"; AuditTrail.ProjectOf), so records written before this version get theirs here.
CREATE TABLE "tr_audit_projects" (
    "sequence" bigint NOT NULL CONSTRAINT "PK_tr_audit_projects" PRIMARY KEY,
    "project_id" uuid NOT NULL
);
CREATE INDEX "IX_tr_audit_projects_project_id_sequence" ON "tr_audit_projects" ("project_id", "sequence");

-- Only the "D" form the trail writes; the data is parsed only where it mentions the key.
INSERT INTO "tr_audit_projects" ("sequence", "project_id")
SELECT "sequence", "project"::uuid FROM (
    SELECT "sequence",
        CASE
            WHEN "subject_type" = 'project' AND "subject_id" ~ '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$' THEN "subject_id"
            WHEN "data" LIKE '%"projectId"%' THEN "data"::jsonb ->> 'projectId'
        END AS "project"
    FROM "tr_audit_entries"
) AS "records" WHERE "project" ~ '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$';

-- Append-only like the trail: a record's key is written with it and never changed or removed.
CREATE TRIGGER "tr_audit_projects_append_only" BEFORE UPDATE OR DELETE ON "tr_audit_projects"
    FOR EACH ROW EXECUTE FUNCTION "tr_refuse_trail_change"();
CREATE TRIGGER "tr_audit_projects_no_truncate" BEFORE TRUNCATE ON "tr_audit_projects"
    FOR EACH STATEMENT EXECUTE FUNCTION "tr_refuse_trail_change"();

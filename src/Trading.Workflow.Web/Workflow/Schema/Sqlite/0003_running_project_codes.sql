-- One running project per project code and trade type. A project code names one project of one trade; the trade
-- type is the process id up to its first dot (the whole id when it has none). Triggers keep the table in step with
-- wf_instances inside the engine's own transaction, so of two starts racing for a code the second one's insert
-- fails on the primary key and its whole command rolls back. A table rather than a unique index on wf_instances:
-- databases that already hold two running projects with one code (the defect this fixes) still upgrade; the oldest
-- keeps the code and the application refuses new starts while any of them runs.
CREATE TABLE "wf_running_projects" (
    "trade_type" TEXT NOT NULL,
    "project_code" TEXT NOT NULL,
    "instance_id" TEXT NOT NULL,
    CONSTRAINT "PK_wf_running_projects" PRIMARY KEY ("trade_type", "project_code")
);
CREATE UNIQUE INDEX "IX_wf_running_projects_instance" ON "wf_running_projects" ("instance_id");

INSERT OR IGNORE INTO "wf_running_projects" ("trade_type", "project_code", "instance_id")
SELECT CASE WHEN instr("process_id", '.') > 1 THEN substr("process_id", 1, instr("process_id", '.') - 1) ELSE "process_id" END,
       "business_key", "id"
FROM "wf_instances"
WHERE "state" IN (0, 1) AND "parent_instance_id" IS NULL AND "business_key" IS NOT NULL
ORDER BY "started_at", "id";

-- States 0 and 1 are Active and Suspended; called instances share their parent's code and are not projects.
CREATE TRIGGER "TR_wf_instances_project_started" AFTER INSERT ON "wf_instances"
WHEN NEW."state" IN (0, 1) AND NEW."parent_instance_id" IS NULL AND NEW."business_key" IS NOT NULL
BEGIN
    INSERT INTO "wf_running_projects" ("trade_type", "project_code", "instance_id")
    VALUES (CASE WHEN instr(NEW."process_id", '.') > 1 THEN substr(NEW."process_id", 1, instr(NEW."process_id", '.') - 1) ELSE NEW."process_id" END,
            NEW."business_key", NEW."id");
END;

CREATE TRIGGER "TR_wf_instances_project_ended" AFTER UPDATE OF "state" ON "wf_instances"
WHEN NEW."state" NOT IN (0, 1)
BEGIN
    DELETE FROM "wf_running_projects" WHERE "instance_id" = NEW."id";
END;

CREATE TRIGGER "TR_wf_instances_project_deleted" AFTER DELETE ON "wf_instances"
BEGIN
    DELETE FROM "wf_running_projects" WHERE "instance_id" = OLD."id";
END;

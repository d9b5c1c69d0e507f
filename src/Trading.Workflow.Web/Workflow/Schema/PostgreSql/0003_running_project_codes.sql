-- One running project per project code and trade type. A project code names one project of one trade; the trade
-- type is the process id up to its first dot (the whole id when it has none). Triggers keep the table in step with
-- wf_instances inside the engine's own transaction, so of two starts racing for a code the second one's insert
-- fails on the primary key and its whole command rolls back. A table rather than a unique index on wf_instances:
-- databases that already hold two running projects with one code (the defect this fixes) still upgrade; the oldest
-- keeps the code and the application refuses new starts while any of them runs.
CREATE TABLE "wf_running_projects" (
    "trade_type" text NOT NULL,
    "project_code" text NOT NULL,
    "instance_id" uuid NOT NULL,
    CONSTRAINT "PK_wf_running_projects" PRIMARY KEY ("trade_type", "project_code")
);
CREATE UNIQUE INDEX "IX_wf_running_projects_instance" ON "wf_running_projects" ("instance_id");

CREATE FUNCTION "wf_trade_type"(process_id text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN strpos(process_id, '.') > 1 THEN substr(process_id, 1, strpos(process_id, '.') - 1) ELSE process_id END $$;

INSERT INTO "wf_running_projects" ("trade_type", "project_code", "instance_id")
SELECT DISTINCT ON ("wf_trade_type"("process_id"), "business_key") "wf_trade_type"("process_id"), "business_key", "id"
FROM "wf_instances"
WHERE "state" IN (0, 1) AND "parent_instance_id" IS NULL AND "business_key" IS NOT NULL
ORDER BY "wf_trade_type"("process_id"), "business_key", "started_at", "id";

-- States 0 and 1 are Active and Suspended; called instances share their parent's code and are not projects.
CREATE FUNCTION "wf_running_projects_sync"() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "wf_running_projects" ("trade_type", "project_code", "instance_id")
        VALUES ("wf_trade_type"(NEW."process_id"), NEW."business_key", NEW."id");
    ELSE
        DELETE FROM "wf_running_projects" WHERE "instance_id" = OLD."id";
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "TR_wf_instances_project_started" AFTER INSERT ON "wf_instances" FOR EACH ROW
WHEN (NEW."state" IN (0, 1) AND NEW."parent_instance_id" IS NULL AND NEW."business_key" IS NOT NULL)
EXECUTE FUNCTION "wf_running_projects_sync"();

CREATE TRIGGER "TR_wf_instances_project_ended" AFTER UPDATE OF "state" ON "wf_instances" FOR EACH ROW
WHEN (NEW."state" NOT IN (0, 1))
EXECUTE FUNCTION "wf_running_projects_sync"();

CREATE TRIGGER "TR_wf_instances_project_deleted" AFTER DELETE ON "wf_instances" FOR EACH ROW
EXECUTE FUNCTION "wf_running_projects_sync"();

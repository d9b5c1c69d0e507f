-- A project is complete once its archive is registered (the procedure's last stage). Before this version nothing
-- completed it, so projects archived earlier still read "submitted": complete them as of their archive. Terminated
-- projects stay terminated. 1 = Submitted, 2 = Completed (ProjectState); archived_at is UTC ticks.
UPDATE "tr_projects" AS "p"
SET "state" = 2,
    "updated_at" = to_timestamp(("a"."archived_at" - 621355968000000000) / 10000000.0),
    "revision" = "p"."revision" + 1
FROM "tr_archive_projects" AS "a"
WHERE "a"."project_id" = "p"."id" AND "p"."state" = 1;

-- The history's index by business key is written for every history row (about nine per command) and served one
-- query, the admin's trail of a business key, which now finds the instances through IX_wf_instances_business_key and
-- then their rows through IX_wf_history_instance. (SQLite drops it in its 0006, with the history table's rebuild.)
DROP INDEX IF EXISTS "IX_wf_history_business_key";

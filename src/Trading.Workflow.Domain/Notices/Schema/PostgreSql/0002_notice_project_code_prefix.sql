-- Inbox and instance filters find a project's notice reviews (keyed by the notice) by a prefix of the project's code,
-- LIKE 'code%'; under a non-C collation only a text_pattern_ops index serves that.
CREATE INDEX "IX_tr_notices_project_code_prefix" ON "tr_notices" ("project_code" text_pattern_ops);

-- /archive lists a centre's archived projects newest first, a page at a time: the index serves the page and its count
-- without reading every archive the centre ever made.
CREATE INDEX "IX_tr_archive_projects_centre_archived" ON "tr_archive_projects" ("centre_id", "archived_at");

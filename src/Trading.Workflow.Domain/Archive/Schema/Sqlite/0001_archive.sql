-- Archived projects (资料归档): the package in the document registry, its SM3 and the manifest's SM3. A row makes the
-- project read-only.
CREATE TABLE "tr_archive_projects" (
    "project_id" TEXT NOT NULL CONSTRAINT "PK_tr_archive_projects" PRIMARY KEY,
    "centre_id" TEXT NOT NULL,
    "project_code" TEXT NOT NULL,
    "archived_at" INTEGER NOT NULL,
    "archived_by" TEXT NOT NULL,
    "package_document_id" TEXT NOT NULL,
    "package_sm3" TEXT NOT NULL,
    "manifest_sm3" TEXT NOT NULL,
    "entries" INTEGER NOT NULL,
    "instance_id" TEXT NULL
);

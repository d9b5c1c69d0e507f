-- Archived projects (资料归档): the package in the document registry, its SM3 and the manifest's SM3. A row makes the
-- project read-only.
CREATE TABLE "tr_archive_projects" (
    "project_id" uuid NOT NULL CONSTRAINT "PK_tr_archive_projects" PRIMARY KEY,
    "centre_id" uuid NOT NULL,
    "project_code" text NOT NULL,
    "archived_at" bigint NOT NULL,
    "archived_by" text NOT NULL,
    "package_document_id" uuid NOT NULL,
    "package_sm3" text NOT NULL,
    "manifest_sm3" text NOT NULL,
    "entries" integer NOT NULL,
    "instance_id" text NULL
);

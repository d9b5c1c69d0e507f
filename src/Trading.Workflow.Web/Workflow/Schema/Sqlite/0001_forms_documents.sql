-- Web side of the engine (module "workflow-web"): task forms stored with procedure versions, uploaded documents,
-- SQLite keeps times as UTC ticks (INTEGER) and ids as lower-case text, as the engine tables do.
-- and the inbox indexes the engine's own scripts do not carry. Runs after the engine schema.
CREATE TABLE "wf_forms" (
    "id" TEXT NOT NULL CONSTRAINT "PK_wf_forms" PRIMARY KEY,
    "process_id" TEXT NOT NULL,
    "form_key" TEXT NOT NULL,
    "from_version" INTEGER NULL,
    "schema_json" TEXT NOT NULL,
    "saved_at" INTEGER NOT NULL,
    "saved_by" TEXT NULL
);
CREATE INDEX "IX_wf_forms_lookup" ON "wf_forms" ("process_id", "form_key", "from_version");

CREATE TABLE "wf_documents" (
    "id" TEXT NOT NULL CONSTRAINT "PK_wf_documents" PRIMARY KEY,
    "instance_id" TEXT NOT NULL,
    "business_key" TEXT NULL,
    "task_id" TEXT NULL,
    "field_key" TEXT NULL,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "storage_path" TEXT NOT NULL,
    "uploaded_by" TEXT NOT NULL,
    "uploaded_at" INTEGER NOT NULL
);
CREATE INDEX "IX_wf_documents_instance" ON "wf_documents" ("instance_id");

-- Completed tab of the inbox: the user's completed tasks, newest first.
CREATE INDEX "IX_wf_tasks_completed_by" ON "wf_tasks" ("completed_by", "completed_at") WHERE "state" = 1;

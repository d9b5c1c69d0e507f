-- Web side of the engine (module "workflow-web"): task forms stored with procedure versions, uploaded documents,
-- and the inbox indexes the engine's own scripts do not carry. Runs after the engine schema.
CREATE TABLE "wf_forms" (
    "id" uuid NOT NULL CONSTRAINT "PK_wf_forms" PRIMARY KEY,
    "process_id" text NOT NULL,
    "form_key" text NOT NULL,
    "from_version" integer NULL,
    "schema_json" text NOT NULL,
    "saved_at" timestamp with time zone NOT NULL,
    "saved_by" text NULL
);
CREATE INDEX "IX_wf_forms_lookup" ON "wf_forms" ("process_id", "form_key", "from_version");

CREATE TABLE "wf_documents" (
    "id" uuid NOT NULL CONSTRAINT "PK_wf_documents" PRIMARY KEY,
    "instance_id" uuid NOT NULL,
    "business_key" text NULL,
    "task_id" uuid NULL,
    "field_key" text NULL,
    "file_name" text NOT NULL,
    "content_type" text NOT NULL,
    "size" bigint NOT NULL,
    "storage_path" text NOT NULL,
    "uploaded_by" text NOT NULL,
    "uploaded_at" timestamp with time zone NOT NULL
);
CREATE INDEX "IX_wf_documents_instance" ON "wf_documents" ("instance_id");

-- Completed tab of the inbox: the user's completed tasks, newest first.
CREATE INDEX "IX_wf_tasks_completed_by" ON "wf_tasks" ("completed_by", "completed_at") WHERE "state" = 1;

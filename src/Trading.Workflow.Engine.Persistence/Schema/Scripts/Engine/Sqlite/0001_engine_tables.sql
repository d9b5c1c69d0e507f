-- Engine state (module "engine"). Times are UTC ticks (INTEGER) so SQLite compares and sorts them natively.
CREATE TABLE "wf_definitions" (
    "id" TEXT NOT NULL CONSTRAINT "PK_wf_definitions" PRIMARY KEY,
    "process_id" TEXT NOT NULL,
    "version" INTEGER NULL,
    "state" INTEGER NOT NULL,
    "name" TEXT NULL,
    "bpmn_xml" TEXT NOT NULL,
    "validation_problems" TEXT NULL,
    "has_errors" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NULL,
    "published_at" INTEGER NULL,
    "published_by" TEXT NULL,
    "change_note" TEXT NULL,
    "retired_at" INTEGER NULL,
    "retired_by" TEXT NULL
);
CREATE UNIQUE INDEX "IX_wf_definitions_process_version" ON "wf_definitions" ("process_id", "version");

CREATE TABLE "wf_instances" (
    "id" TEXT NOT NULL CONSTRAINT "PK_wf_instances" PRIMARY KEY,
    "process_id" TEXT NOT NULL,
    "process_version" INTEGER NOT NULL,
    "business_key" TEXT NULL,
    "state" INTEGER NOT NULL,
    "parent_instance_id" TEXT NULL,
    "parent_execution_id" INTEGER NULL,
    "started_at" INTEGER NOT NULL,
    "started_by" TEXT NULL,
    "ended_at" INTEGER NULL,
    "end_reason" TEXT NULL,
    "version" INTEGER NOT NULL,
    "next_execution_id" INTEGER NOT NULL,
    "document" TEXT NOT NULL
);
CREATE INDEX "IX_wf_instances_business_key" ON "wf_instances" ("business_key");
CREATE INDEX "IX_wf_instances_process_state" ON "wf_instances" ("process_id", "state");
CREATE INDEX "IX_wf_instances_parent" ON "wf_instances" ("parent_instance_id");

CREATE TABLE "wf_variables" (
    "instance_id" TEXT NOT NULL,
    "execution_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "type_name" TEXT NOT NULL,
    "value_json" TEXT NOT NULL,
    CONSTRAINT "PK_wf_variables" PRIMARY KEY ("instance_id", "execution_id", "name")
);

CREATE TABLE "wf_tasks" (
    "id" TEXT NOT NULL CONSTRAINT "PK_wf_tasks" PRIMARY KEY,
    "instance_id" TEXT NOT NULL,
    "execution_id" INTEGER NOT NULL,
    "process_id" TEXT NOT NULL,
    "process_version" INTEGER NOT NULL,
    "business_key" TEXT NULL,
    "element_id" TEXT NOT NULL,
    "name" TEXT NULL,
    "documentation" TEXT NULL,
    "assignee" TEXT NULL,
    "owner" TEXT NULL,
    "delegation_note" TEXT NULL,
    "form_key" TEXT NULL,
    "due" INTEGER NULL,
    "follow_up" INTEGER NULL,
    "priority" INTEGER NOT NULL,
    "state" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL,
    "claimed_by" TEXT NULL,
    "claimed_at" INTEGER NULL,
    "completed_by" TEXT NULL,
    "completed_at" INTEGER NULL
);
CREATE INDEX "IX_wf_tasks_instance" ON "wf_tasks" ("instance_id");
CREATE INDEX "IX_wf_tasks_business_key" ON "wf_tasks" ("business_key");

CREATE TABLE "wf_task_candidates" (
    "task_id" TEXT NOT NULL,
    "kind" INTEGER NOT NULL,
    "value" TEXT NOT NULL,
    "active" INTEGER NOT NULL,
    "due_key" INTEGER NOT NULL,
    CONSTRAINT "PK_wf_task_candidates" PRIMARY KEY ("task_id", "kind", "value")
);

CREATE TABLE "wf_subscriptions" (
    "id" TEXT NOT NULL CONSTRAINT "PK_wf_subscriptions" PRIMARY KEY,
    "instance_id" TEXT NOT NULL,
    "execution_id" INTEGER NOT NULL,
    "element_id" TEXT NOT NULL,
    "kind" INTEGER NOT NULL,
    "event_name" TEXT NOT NULL,
    "correlation_key" TEXT NULL,
    "business_key" TEXT NULL,
    "purpose" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL
);
CREATE INDEX "IX_wf_subscriptions_event" ON "wf_subscriptions" ("kind", "event_name");
CREATE INDEX "IX_wf_subscriptions_instance" ON "wf_subscriptions" ("instance_id");

CREATE TABLE "wf_timers" (
    "id" TEXT NOT NULL CONSTRAINT "PK_wf_timers" PRIMARY KEY,
    "instance_id" TEXT NULL,
    "execution_id" INTEGER NOT NULL,
    "process_id" TEXT NOT NULL,
    "process_version" INTEGER NOT NULL,
    "element_id" TEXT NOT NULL,
    "purpose" INTEGER NOT NULL,
    "due" INTEGER NOT NULL,
    "kind" INTEGER NOT NULL,
    "definition" TEXT NOT NULL,
    "repeats_left" INTEGER NOT NULL,
    "created_at" INTEGER NOT NULL
);
CREATE INDEX "IX_wf_timers_due" ON "wf_timers" ("due");
CREATE INDEX "IX_wf_timers_instance" ON "wf_timers" ("instance_id");

CREATE TABLE "wf_jobs" (
    "id" TEXT NOT NULL CONSTRAINT "PK_wf_jobs" PRIMARY KEY,
    "instance_id" TEXT NOT NULL,
    "execution_id" INTEGER NOT NULL,
    "process_id" TEXT NOT NULL,
    "element_id" TEXT NOT NULL,
    "kind" INTEGER NOT NULL,
    "due" INTEGER NOT NULL,
    "retries_left" INTEGER NOT NULL,
    "last_error" TEXT NULL,
    "lock_owner" TEXT NULL,
    "lock_expiry" INTEGER NULL,
    "created_at" INTEGER NOT NULL
);
CREATE INDEX "IX_wf_jobs_due" ON "wf_jobs" ("due");
CREATE INDEX "IX_wf_jobs_instance" ON "wf_jobs" ("instance_id");

CREATE TABLE "wf_incidents" (
    "id" TEXT NOT NULL CONSTRAINT "PK_wf_incidents" PRIMARY KEY,
    "instance_id" TEXT NOT NULL,
    "process_id" TEXT NOT NULL,
    "business_key" TEXT NULL,
    "job_id" TEXT NULL,
    "execution_id" INTEGER NOT NULL,
    "element_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "resolved_at" INTEGER NULL,
    "resolved_by" TEXT NULL
);
CREATE INDEX "IX_wf_incidents_instance" ON "wf_incidents" ("instance_id");
CREATE INDEX "IX_wf_incidents_open" ON "wf_incidents" ("created_at", "id") WHERE "resolved_at" IS NULL;

CREATE TABLE "wf_history" (
    "sequence" INTEGER NOT NULL CONSTRAINT "PK_wf_history" PRIMARY KEY AUTOINCREMENT,
    "instance_id" TEXT NOT NULL,
    "type" INTEGER NOT NULL,
    "timestamp" INTEGER NOT NULL,
    "process_id" TEXT NULL,
    "business_key" TEXT NULL,
    "element_id" TEXT NULL,
    "element_type" TEXT NULL,
    "element_name" TEXT NULL,
    "execution_id" INTEGER NULL,
    "task_id" TEXT NULL,
    "user_id" TEXT NULL,
    "variable_name" TEXT NULL,
    "old_value" TEXT NULL,
    "new_value" TEXT NULL,
    "details" TEXT NULL
);
CREATE INDEX "IX_wf_history_instance" ON "wf_history" ("instance_id", "sequence");
CREATE INDEX "IX_wf_history_business_key" ON "wf_history" ("business_key", "sequence");

CREATE TABLE "wf_holiday_calendar" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_wf_holiday_calendar" PRIMARY KEY,
    "data_json" TEXT NOT NULL,
    "updated_at" INTEGER NOT NULL
);

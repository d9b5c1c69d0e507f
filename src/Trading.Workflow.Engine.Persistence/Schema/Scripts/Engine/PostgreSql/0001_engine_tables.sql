-- Engine state (module "engine"). Times are timestamptz (UTC).
CREATE TABLE "wf_definitions" (
    "id" uuid NOT NULL CONSTRAINT "PK_wf_definitions" PRIMARY KEY,
    "process_id" text NOT NULL,
    "version" integer NULL,
    "state" integer NOT NULL,
    "name" text NULL,
    "bpmn_xml" text NOT NULL,
    "validation_problems" text NULL,
    "has_errors" boolean NOT NULL,
    "created_at" timestamp with time zone NOT NULL,
    "created_by" text NULL,
    "published_at" timestamp with time zone NULL,
    "published_by" text NULL,
    "change_note" text NULL,
    "retired_at" timestamp with time zone NULL,
    "retired_by" text NULL
);
CREATE UNIQUE INDEX "IX_wf_definitions_process_version" ON "wf_definitions" ("process_id", "version");

CREATE TABLE "wf_instances" (
    "id" uuid NOT NULL CONSTRAINT "PK_wf_instances" PRIMARY KEY,
    "process_id" text NOT NULL,
    "process_version" integer NOT NULL,
    "business_key" text NULL,
    "state" integer NOT NULL,
    "parent_instance_id" uuid NULL,
    "parent_execution_id" integer NULL,
    "started_at" timestamp with time zone NOT NULL,
    "started_by" text NULL,
    "ended_at" timestamp with time zone NULL,
    "end_reason" text NULL,
    "version" bigint NOT NULL,
    "next_execution_id" integer NOT NULL,
    "document" text NOT NULL
);
CREATE INDEX "IX_wf_instances_business_key" ON "wf_instances" ("business_key");
CREATE INDEX "IX_wf_instances_process_state" ON "wf_instances" ("process_id", "state");
CREATE INDEX "IX_wf_instances_parent" ON "wf_instances" ("parent_instance_id");

CREATE TABLE "wf_variables" (
    "instance_id" uuid NOT NULL,
    "execution_id" integer NOT NULL,
    "name" text NOT NULL,
    "type_name" text NOT NULL,
    "value_json" text NOT NULL,
    CONSTRAINT "PK_wf_variables" PRIMARY KEY ("instance_id", "execution_id", "name")
);

CREATE TABLE "wf_tasks" (
    "id" uuid NOT NULL CONSTRAINT "PK_wf_tasks" PRIMARY KEY,
    "instance_id" uuid NOT NULL,
    "execution_id" integer NOT NULL,
    "process_id" text NOT NULL,
    "process_version" integer NOT NULL,
    "business_key" text NULL,
    "element_id" text NOT NULL,
    "name" text NULL,
    "documentation" text NULL,
    "assignee" text NULL,
    "owner" text NULL,
    "delegation_note" text NULL,
    "form_key" text NULL,
    "due" timestamp with time zone NULL,
    "follow_up" timestamp with time zone NULL,
    "priority" integer NOT NULL,
    "state" integer NOT NULL,
    "created_at" timestamp with time zone NOT NULL,
    "claimed_by" text NULL,
    "claimed_at" timestamp with time zone NULL,
    "completed_by" text NULL,
    "completed_at" timestamp with time zone NULL
);
CREATE INDEX "IX_wf_tasks_instance" ON "wf_tasks" ("instance_id");
CREATE INDEX "IX_wf_tasks_business_key" ON "wf_tasks" ("business_key");

CREATE TABLE "wf_task_candidates" (
    "task_id" uuid NOT NULL,
    "kind" integer NOT NULL,
    "value" text NOT NULL,
    "active" boolean NOT NULL,
    "due_key" bigint NOT NULL,
    CONSTRAINT "PK_wf_task_candidates" PRIMARY KEY ("task_id", "kind", "value")
);

CREATE TABLE "wf_subscriptions" (
    "id" uuid NOT NULL CONSTRAINT "PK_wf_subscriptions" PRIMARY KEY,
    "instance_id" uuid NOT NULL,
    "execution_id" integer NOT NULL,
    "element_id" text NOT NULL,
    "kind" integer NOT NULL,
    "event_name" text NOT NULL,
    "correlation_key" text NULL,
    "business_key" text NULL,
    "purpose" integer NOT NULL,
    "created_at" timestamp with time zone NOT NULL
);
CREATE INDEX "IX_wf_subscriptions_event" ON "wf_subscriptions" ("kind", "event_name");
CREATE INDEX "IX_wf_subscriptions_instance" ON "wf_subscriptions" ("instance_id");

CREATE TABLE "wf_timers" (
    "id" uuid NOT NULL CONSTRAINT "PK_wf_timers" PRIMARY KEY,
    "instance_id" uuid NULL,
    "execution_id" integer NOT NULL,
    "process_id" text NOT NULL,
    "process_version" integer NOT NULL,
    "element_id" text NOT NULL,
    "purpose" integer NOT NULL,
    "due" timestamp with time zone NOT NULL,
    "kind" integer NOT NULL,
    "definition" text NOT NULL,
    "repeats_left" integer NOT NULL,
    "created_at" timestamp with time zone NOT NULL
);
CREATE INDEX "IX_wf_timers_due" ON "wf_timers" ("due");
CREATE INDEX "IX_wf_timers_instance" ON "wf_timers" ("instance_id");

CREATE TABLE "wf_jobs" (
    "id" uuid NOT NULL CONSTRAINT "PK_wf_jobs" PRIMARY KEY,
    "instance_id" uuid NOT NULL,
    "execution_id" integer NOT NULL,
    "process_id" text NOT NULL,
    "element_id" text NOT NULL,
    "kind" integer NOT NULL,
    "due" timestamp with time zone NOT NULL,
    "retries_left" integer NOT NULL,
    "last_error" text NULL,
    "lock_owner" text NULL,
    "lock_expiry" timestamp with time zone NULL,
    "created_at" timestamp with time zone NOT NULL
);
CREATE INDEX "IX_wf_jobs_due" ON "wf_jobs" ("due");
CREATE INDEX "IX_wf_jobs_instance" ON "wf_jobs" ("instance_id");

CREATE TABLE "wf_incidents" (
    "id" uuid NOT NULL CONSTRAINT "PK_wf_incidents" PRIMARY KEY,
    "instance_id" uuid NOT NULL,
    "process_id" text NOT NULL,
    "business_key" text NULL,
    "job_id" uuid NULL,
    "execution_id" integer NOT NULL,
    "element_id" text NOT NULL,
    "type" text NOT NULL,
    "message" text NOT NULL,
    "created_at" timestamp with time zone NOT NULL,
    "resolved_at" timestamp with time zone NULL,
    "resolved_by" text NULL
);
CREATE INDEX "IX_wf_incidents_instance" ON "wf_incidents" ("instance_id");
CREATE INDEX "IX_wf_incidents_open" ON "wf_incidents" ("created_at", "id") WHERE "resolved_at" IS NULL;

CREATE TABLE "wf_history" (
    "sequence" bigint GENERATED BY DEFAULT AS IDENTITY CONSTRAINT "PK_wf_history" PRIMARY KEY,
    "instance_id" uuid NOT NULL,
    "type" integer NOT NULL,
    "timestamp" timestamp with time zone NOT NULL,
    "process_id" text NULL,
    "business_key" text NULL,
    "element_id" text NULL,
    "element_type" text NULL,
    "element_name" text NULL,
    "execution_id" integer NULL,
    "task_id" uuid NULL,
    "user_id" text NULL,
    "variable_name" text NULL,
    "old_value" text NULL,
    "new_value" text NULL,
    "details" text NULL
);
CREATE INDEX "IX_wf_history_instance" ON "wf_history" ("instance_id", "sequence");
CREATE INDEX "IX_wf_history_business_key" ON "wf_history" ("business_key", "sequence");

CREATE TABLE "wf_holiday_calendar" (
    "id" integer NOT NULL CONSTRAINT "PK_wf_holiday_calendar" PRIMARY KEY,
    "data_json" text NOT NULL,
    "updated_at" timestamp with time zone NOT NULL
);

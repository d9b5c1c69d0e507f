-- Projects (一项一码) and their sections (标段/包), and the per-centre, per-trade-type, per-year sequence their codes
-- are numbered from. The owner and agency are market entities named by id with a snapshot of their name: no
-- foreign key to the market tables.
CREATE TABLE "tr_projects" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_projects" PRIMARY KEY,
    "code" text NOT NULL,
    "centre_id" uuid NOT NULL,
    "trade_type" text NOT NULL,
    "method" text NOT NULL,
    "name" text NOT NULL,
    "owner_entity_id" uuid NOT NULL,
    "owner_name" text NOT NULL,
    "agency_entity_id" uuid NULL,
    "agency_name" text NULL,
    "agency_letter_sha256" text NULL,
    "state_funded" boolean NOT NULL,
    "estimated_price" numeric(18,2) NOT NULL,
    "region_code" text NOT NULL,
    "industry" text NOT NULL,
    "state" integer NOT NULL,
    "process_id" text NULL,
    "process_instance_id" uuid NULL,
    "registered_by" text NOT NULL,
    "registered_at" timestamp with time zone NOT NULL,
    "updated_at" timestamp with time zone NOT NULL,
    "submitted_at" timestamp with time zone NULL,
    "revision" integer NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_projects_code" ON "tr_projects" ("code");
CREATE UNIQUE INDEX "IX_tr_projects_instance" ON "tr_projects" ("process_instance_id") WHERE "process_instance_id" IS NOT NULL;
CREATE INDEX "IX_tr_projects_centre" ON "tr_projects" ("centre_id", "registered_at");
CREATE INDEX "IX_tr_projects_owner" ON "tr_projects" ("owner_entity_id");
CREATE INDEX "IX_tr_projects_agency" ON "tr_projects" ("agency_entity_id") WHERE "agency_entity_id" IS NOT NULL;
CREATE INDEX "IX_tr_projects_registered_by" ON "tr_projects" ("registered_by");

-- A draft renumbers its sections when one is removed, so (project, number) is not unique while a change is written;
-- the domain keeps them 1..n and the code unique within the project.
CREATE TABLE "tr_sections" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_sections" PRIMARY KEY,
    "project_id" uuid NOT NULL CONSTRAINT "FK_tr_sections_tr_projects" REFERENCES "tr_projects" ("id") ON DELETE CASCADE,
    "number" integer NOT NULL,
    "code" text NOT NULL,
    "subject" text NOT NULL,
    "estimated_price" numeric(18,2) NOT NULL,
    "deposit_amount" numeric(18,2) NOT NULL,
    "deposit_forms" integer NOT NULL
);
CREATE INDEX "IX_tr_sections_project" ON "tr_sections" ("project_id", "number");
CREATE INDEX "IX_tr_sections_code" ON "tr_sections" ("code");

-- The last sequence number handed out per centre, trade type and year. A registration takes the next one with one
-- upsert inside its own transaction: the row stays locked until that transaction ends, so two registrations never
-- get the same number, and a registration that rolls back hands out nothing.
CREATE TABLE "tr_project_sequences" (
    "centre_id" uuid NOT NULL,
    "trade_type" text NOT NULL,
    "year" integer NOT NULL,
    "last_value" integer NOT NULL,
    CONSTRAINT "PK_tr_project_sequences" PRIMARY KEY ("centre_id", "trade_type", "year")
);

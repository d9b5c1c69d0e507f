-- Projects (一项一码) and their sections (标段/包), and the per-centre, per-trade-type, per-year sequence their codes
-- are numbered from. Ids are text, times UTC ISO text, amounts decimal text (EF Core's SQLite mapping). The owner and
-- agency are market entities named by id with a snapshot of their name: no foreign key to the market tables.
CREATE TABLE "tr_projects" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_projects" PRIMARY KEY,
    "code" TEXT NOT NULL,
    "centre_id" TEXT NOT NULL,
    "trade_type" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "owner_entity_id" TEXT NOT NULL,
    "owner_name" TEXT NOT NULL,
    "agency_entity_id" TEXT NULL,
    "agency_name" TEXT NULL,
    "agency_letter_sha256" TEXT NULL,
    "state_funded" INTEGER NOT NULL,
    "estimated_price" TEXT NOT NULL,
    "region_code" TEXT NOT NULL,
    "industry" TEXT NOT NULL,
    "state" INTEGER NOT NULL,
    "process_id" TEXT NULL,
    "process_instance_id" TEXT NULL,
    "registered_by" TEXT NOT NULL,
    "registered_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "submitted_at" TEXT NULL,
    "revision" INTEGER NOT NULL
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
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_sections" PRIMARY KEY,
    "project_id" TEXT NOT NULL CONSTRAINT "FK_tr_sections_tr_projects" REFERENCES "tr_projects" ("id") ON DELETE CASCADE,
    "number" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "estimated_price" TEXT NOT NULL,
    "deposit_amount" TEXT NOT NULL,
    "deposit_forms" INTEGER NOT NULL
);
CREATE INDEX "IX_tr_sections_project" ON "tr_sections" ("project_id", "number");
CREATE INDEX "IX_tr_sections_code" ON "tr_sections" ("code");

-- The last sequence number handed out per centre, trade type and year. A registration takes the next one with one
-- upsert inside its own transaction: the row stays locked until that transaction ends, so two registrations never
-- get the same number, and a registration that rolls back hands out nothing.
CREATE TABLE "tr_project_sequences" (
    "centre_id" TEXT NOT NULL,
    "trade_type" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last_value" INTEGER NOT NULL,
    CONSTRAINT "PK_tr_project_sequences" PRIMARY KEY ("centre_id", "trade_type", "year")
);

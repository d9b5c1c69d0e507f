-- Project parties (module "access"): the entities taking part in a project and the experts drawn for it. A row with
-- no section covers the whole project. Projects are named by id without a foreign key (the projects module owns them).
CREATE TABLE "tr_project_participants" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_project_participants" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "section_id" TEXT NULL,
    "added_at" TEXT NOT NULL,
    "added_by" TEXT NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_project_participants_unique" ON "tr_project_participants" ("project_id", "entity_id", COALESCE("section_id", ''));
CREATE INDEX "IX_tr_project_participants_entity" ON "tr_project_participants" ("entity_id");

CREATE TABLE "tr_project_experts" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_project_experts" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "section_id" TEXT NULL,
    "drawn_at" TEXT NOT NULL,
    "drawn_by" TEXT NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_project_experts_unique" ON "tr_project_experts" ("project_id", "user_id", COALESCE("section_id", ''));
CREATE INDEX "IX_tr_project_experts_user" ON "tr_project_experts" ("user_id");

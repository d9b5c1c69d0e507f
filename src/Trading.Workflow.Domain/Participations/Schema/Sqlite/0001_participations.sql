-- Participations (module "participations"): one row per (section, market entity) taking part. Times are UTC ticks.
CREATE TABLE "tr_participations" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_participations" PRIMARY KEY,
    "section_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "ended_at" INTEGER NULL,
    "ended_by" TEXT NULL,
    "end_reason" TEXT NULL
);
CREATE UNIQUE INDEX "UX_tr_participations_section_entity" ON "tr_participations" ("section_id", "entity_id");
CREATE INDEX "IX_tr_participations_entity" ON "tr_participations" ("entity_id");

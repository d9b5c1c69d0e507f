-- Participations (module "participations"): one row per (section, market entity) taking part. Times are UTC ticks.
CREATE TABLE "tr_participations" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_participations" PRIMARY KEY,
    "section_id" uuid NOT NULL,
    "project_id" uuid NOT NULL,
    "entity_id" uuid NOT NULL,
    "entity_name" text NOT NULL,
    "origin" text NOT NULL,
    "state" text NOT NULL,
    "created_at" bigint NOT NULL,
    "created_by" text NOT NULL,
    "ended_at" bigint NULL,
    "ended_by" text NULL,
    "end_reason" text NULL
);
CREATE UNIQUE INDEX "UX_tr_participations_section_entity" ON "tr_participations" ("section_id", "entity_id");
CREATE INDEX "IX_tr_participations_entity" ON "tr_participations" ("entity_id");

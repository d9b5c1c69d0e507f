-- Expert pool and draws (module "experts"). Profiles, assessments, requested specialties, representatives and draw
-- rounds are JSON documents replaced as a whole; times are UTC ticks.
CREATE TABLE "tr_experts" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_experts" PRIMARY KEY,
    "user_name" text NOT NULL,
    "display_name" text NOT NULL,
    "profile" text NOT NULL,
    "status" text NOT NULL,
    "status_reason" text NULL,
    "status_changed_at" bigint NULL,
    "status_changed_by" text NULL,
    "assessments" text NOT NULL,
    "created_at" bigint NOT NULL,
    "created_by" text NOT NULL,
    "updated_at" bigint NOT NULL,
    "updated_by" text NOT NULL,
    "version" integer NOT NULL
);
CREATE UNIQUE INDEX "UX_tr_experts_user_name" ON "tr_experts" ("user_name");

CREATE TABLE "tr_expert_committees" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_expert_committees" PRIMARY KEY,
    "project_id" uuid NOT NULL,
    "project_code" text NOT NULL,
    "project_name" text NOT NULL,
    "centre_id" uuid NOT NULL,
    "owner_entity_id" uuid NOT NULL,
    "owner_name" text NOT NULL,
    "specialties" text NOT NULL,
    "representatives" text NOT NULL,
    "rounds" text NOT NULL,
    "evaluation_starts_at" bigint NOT NULL,
    "unseal_at" bigint NOT NULL,
    "requested_at" bigint NOT NULL,
    "requested_by" text NOT NULL,
    "state" text NOT NULL,
    "confirmed_at" bigint NULL,
    "procedure_told_at" bigint NULL,
    "version" integer NOT NULL
);
CREATE UNIQUE INDEX "UX_tr_expert_committees_project" ON "tr_expert_committees" ("project_id");
CREATE INDEX "IX_tr_expert_committees_code" ON "tr_expert_committees" ("project_code");
CREATE INDEX "IX_tr_expert_committees_owner" ON "tr_expert_committees" ("owner_entity_id");

CREATE TABLE "tr_expert_invitations" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_expert_invitations" PRIMARY KEY,
    "committee_id" uuid NOT NULL CONSTRAINT "FK_tr_expert_invitations_committee" REFERENCES "tr_expert_committees" ("id"),
    "expert_id" uuid NOT NULL,
    "user_name" text NOT NULL,
    "display_name" text NOT NULL,
    "specialty" text NOT NULL,
    "round" integer NOT NULL,
    "order_in_round" integer NOT NULL,
    "invited_at" bigint NOT NULL,
    "respond_by" bigint NOT NULL,
    "state" text NOT NULL,
    "answered_at" bigint NULL,
    "reason" text NULL
);
CREATE INDEX "IX_tr_expert_invitations_committee" ON "tr_expert_invitations" ("committee_id");
CREATE INDEX "IX_tr_expert_invitations_user" ON "tr_expert_invitations" ("user_name");
CREATE INDEX "IX_tr_expert_invitations_due" ON "tr_expert_invitations" ("state", "respond_by");

-- Expert pool and draws (module "experts"). Profiles, assessments, requested specialties, representatives and draw
-- rounds are JSON documents replaced as a whole; times are UTC ticks.
CREATE TABLE "tr_experts" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_experts" PRIMARY KEY,
    "user_name" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "profile" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "status_reason" TEXT NULL,
    "status_changed_at" INTEGER NULL,
    "status_changed_by" TEXT NULL,
    "assessments" TEXT NOT NULL,
    "created_at" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "updated_at" INTEGER NOT NULL,
    "updated_by" TEXT NOT NULL,
    "version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "UX_tr_experts_user_name" ON "tr_experts" ("user_name");

CREATE TABLE "tr_expert_committees" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_expert_committees" PRIMARY KEY,
    "project_id" TEXT NOT NULL,
    "project_code" TEXT NOT NULL,
    "project_name" TEXT NOT NULL,
    "centre_id" TEXT NOT NULL,
    "owner_entity_id" TEXT NOT NULL,
    "owner_name" TEXT NOT NULL,
    "specialties" TEXT NOT NULL,
    "representatives" TEXT NOT NULL,
    "rounds" TEXT NOT NULL,
    "evaluation_starts_at" INTEGER NOT NULL,
    "unseal_at" INTEGER NOT NULL,
    "requested_at" INTEGER NOT NULL,
    "requested_by" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "confirmed_at" INTEGER NULL,
    "procedure_told_at" INTEGER NULL,
    "version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "UX_tr_expert_committees_project" ON "tr_expert_committees" ("project_id");
CREATE INDEX "IX_tr_expert_committees_code" ON "tr_expert_committees" ("project_code");
CREATE INDEX "IX_tr_expert_committees_owner" ON "tr_expert_committees" ("owner_entity_id");

CREATE TABLE "tr_expert_invitations" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_expert_invitations" PRIMARY KEY,
    "committee_id" TEXT NOT NULL CONSTRAINT "FK_tr_expert_invitations_committee" REFERENCES "tr_expert_committees" ("id"),
    "expert_id" TEXT NOT NULL,
    "user_name" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "specialty" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "order_in_round" INTEGER NOT NULL,
    "invited_at" INTEGER NOT NULL,
    "respond_by" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "answered_at" INTEGER NULL,
    "reason" TEXT NULL
);
CREATE INDEX "IX_tr_expert_invitations_committee" ON "tr_expert_invitations" ("committee_id");
CREATE INDEX "IX_tr_expert_invitations_user" ON "tr_expert_invitations" ("user_name");
CREATE INDEX "IX_tr_expert_invitations_due" ON "tr_expert_invitations" ("state", "respond_by");

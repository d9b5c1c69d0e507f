-- Market entities (module "market"): companies and natural persons registered once for the province.
-- Profiles (the verified one, the one waiting, the history) are JSON documents; times are ISO-8601 text (EF Core's SQLite format).
CREATE TABLE "tr_market_entities" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_market_entities" PRIMARY KEY,
    "kind" INTEGER NOT NULL,
    "identifier" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "verified_profile" TEXT NULL,
    "verified_at" TEXT NULL,
    "verified_by" TEXT NULL,
    "submitted_profile" TEXT NULL,
    "submission_state" INTEGER NULL,
    "submitted_at" TEXT NULL,
    "submitted_by" TEXT NULL,
    "return_reason" TEXT NULL,
    "registered_at" TEXT NOT NULL,
    "version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_market_entities_identifier" ON "tr_market_entities" ("identifier");
CREATE INDEX "IX_tr_market_entities_name" ON "tr_market_entities" ("name");
CREATE INDEX "IX_tr_market_entities_queue" ON "tr_market_entities" ("submission_state", "submitted_at");

CREATE TABLE "tr_market_members" (
    "entity_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "is_administrator" INTEGER NOT NULL,
    "joined_at" TEXT NOT NULL,
    "invited_by" TEXT NOT NULL,
    CONSTRAINT "PK_tr_market_members" PRIMARY KEY ("entity_id", "user_id"),
    CONSTRAINT "FK_tr_market_members_entity" FOREIGN KEY ("entity_id") REFERENCES "tr_market_entities" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_tr_market_members_user_id" ON "tr_market_members" ("user_id");

CREATE TABLE "tr_market_history" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_market_history" PRIMARY KEY,
    "entity_id" TEXT NOT NULL,
    "profile" TEXT NOT NULL,
    "verified_at" TEXT NOT NULL,
    "verified_by" TEXT NOT NULL,
    "superseded_at" TEXT NULL,
    CONSTRAINT "FK_tr_market_history_entity" FOREIGN KEY ("entity_id") REFERENCES "tr_market_entities" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_tr_market_history_entity_id" ON "tr_market_history" ("entity_id");

CREATE TABLE "tr_market_invitations" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_market_invitations" PRIMARY KEY,
    "entity_id" TEXT NOT NULL,
    "user_name" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "as_administrator" INTEGER NOT NULL,
    "token_hash" TEXT NOT NULL,
    "invited_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "expires_at" TEXT NOT NULL,
    "accepted_at" TEXT NULL,
    "accepted_user_id" TEXT NULL,
    "revoked_at" TEXT NULL,
    CONSTRAINT "FK_tr_market_invitations_entity" FOREIGN KEY ("entity_id") REFERENCES "tr_market_entities" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "IX_tr_market_invitations_token_hash" ON "tr_market_invitations" ("token_hash");
CREATE INDEX "IX_tr_market_invitations_entity_id" ON "tr_market_invitations" ("entity_id");

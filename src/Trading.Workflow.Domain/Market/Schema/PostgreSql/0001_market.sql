-- Market entities (module "market"): companies and natural persons registered once for the province.
-- Profiles (the verified one, the one waiting, the history) are JSON documents; times are timestamptz (UTC).
CREATE TABLE "tr_market_entities" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_market_entities" PRIMARY KEY,
    "kind" integer NOT NULL,
    "identifier" character varying(18) NOT NULL,
    "name" character varying(200) NOT NULL,
    "verified_profile" text NULL,
    "verified_at" timestamp with time zone NULL,
    "verified_by" character varying(64) NULL,
    "submitted_profile" text NULL,
    "submission_state" integer NULL,
    "submitted_at" timestamp with time zone NULL,
    "submitted_by" character varying(64) NULL,
    "return_reason" character varying(500) NULL,
    "registered_at" timestamp with time zone NOT NULL,
    "version" integer NOT NULL
);
CREATE UNIQUE INDEX "IX_tr_market_entities_identifier" ON "tr_market_entities" ("identifier");
CREATE INDEX "IX_tr_market_entities_name" ON "tr_market_entities" ("name");
CREATE INDEX "IX_tr_market_entities_queue" ON "tr_market_entities" ("submission_state", "submitted_at");

CREATE TABLE "tr_market_members" (
    "entity_id" uuid NOT NULL,
    "user_id" character varying(64) NOT NULL,
    "is_administrator" boolean NOT NULL,
    "joined_at" timestamp with time zone NOT NULL,
    "invited_by" character varying(64) NOT NULL,
    CONSTRAINT "PK_tr_market_members" PRIMARY KEY ("entity_id", "user_id"),
    CONSTRAINT "FK_tr_market_members_entity" FOREIGN KEY ("entity_id") REFERENCES "tr_market_entities" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_tr_market_members_user_id" ON "tr_market_members" ("user_id");

CREATE TABLE "tr_market_history" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_market_history" PRIMARY KEY,
    "entity_id" uuid NOT NULL,
    "profile" text NOT NULL,
    "verified_at" timestamp with time zone NOT NULL,
    "verified_by" character varying(64) NOT NULL,
    "superseded_at" timestamp with time zone NULL,
    CONSTRAINT "FK_tr_market_history_entity" FOREIGN KEY ("entity_id") REFERENCES "tr_market_entities" ("id") ON DELETE CASCADE
);
CREATE INDEX "IX_tr_market_history_entity_id" ON "tr_market_history" ("entity_id");

CREATE TABLE "tr_market_invitations" (
    "id" uuid NOT NULL CONSTRAINT "PK_tr_market_invitations" PRIMARY KEY,
    "entity_id" uuid NOT NULL,
    "user_name" character varying(64) NOT NULL,
    "display_name" character varying(100) NOT NULL,
    "as_administrator" boolean NOT NULL,
    "token_hash" character varying(64) NOT NULL,
    "invited_by" character varying(64) NOT NULL,
    "created_at" timestamp with time zone NOT NULL,
    "expires_at" timestamp with time zone NOT NULL,
    "accepted_at" timestamp with time zone NULL,
    "accepted_user_id" character varying(64) NULL,
    "revoked_at" timestamp with time zone NULL,
    CONSTRAINT "FK_tr_market_invitations_entity" FOREIGN KEY ("entity_id") REFERENCES "tr_market_entities" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "IX_tr_market_invitations_token_hash" ON "tr_market_invitations" ("token_hash");
CREATE INDEX "IX_tr_market_invitations_entity_id" ON "tr_market_invitations" ("entity_id");

-- Version 2: trading centres (province/prefecture/county) and the centre and display name of each account.
-- Existing accounts keep their rows; their CentreId starts empty.
CREATE TABLE "TradingCentres" (
    "Id" uuid NOT NULL,
    "Code" character varying(32) NOT NULL,
    "NameZh" character varying(200) NOT NULL,
    "NameEn" character varying(200) NOT NULL,
    "Level" integer NOT NULL,
    "ParentId" uuid,
    "IsDemo" boolean NOT NULL,
    CONSTRAINT "PK_TradingCentres" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_TradingCentres_TradingCentres_ParentId" FOREIGN KEY ("ParentId") REFERENCES "TradingCentres" ("Id") ON DELETE RESTRICT
);

ALTER TABLE "AspNetUsers" ADD "DisplayName" character varying(100);

ALTER TABLE "AspNetUsers" ADD "CentreId" uuid;

ALTER TABLE "AspNetUsers" ADD CONSTRAINT "FK_AspNetUsers_TradingCentres_CentreId" FOREIGN KEY ("CentreId") REFERENCES "TradingCentres" ("Id") ON DELETE RESTRICT;

CREATE UNIQUE INDEX "IX_TradingCentres_Code" ON "TradingCentres" ("Code");

CREATE INDEX "IX_TradingCentres_ParentId" ON "TradingCentres" ("ParentId");

CREATE INDEX "IX_AspNetUsers_CentreId" ON "AspNetUsers" ("CentreId");

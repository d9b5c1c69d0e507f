-- Version 2: trading centres (province/prefecture/county) and the centre and display name of each account.
-- Existing accounts keep their rows; their CentreId starts empty.
CREATE TABLE "TradingCentres" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_TradingCentres" PRIMARY KEY,
    "Code" TEXT NOT NULL,
    "NameZh" TEXT NOT NULL,
    "NameEn" TEXT NOT NULL,
    "Level" INTEGER NOT NULL,
    "ParentId" TEXT NULL,
    "IsDemo" INTEGER NOT NULL,
    CONSTRAINT "FK_TradingCentres_TradingCentres_ParentId" FOREIGN KEY ("ParentId") REFERENCES "TradingCentres" ("Id") ON DELETE RESTRICT
);

ALTER TABLE "AspNetUsers" ADD COLUMN "DisplayName" TEXT NULL;

ALTER TABLE "AspNetUsers" ADD COLUMN "CentreId" TEXT NULL CONSTRAINT "FK_AspNetUsers_TradingCentres_CentreId" REFERENCES "TradingCentres" ("Id") ON DELETE RESTRICT;

CREATE UNIQUE INDEX "IX_TradingCentres_Code" ON "TradingCentres" ("Code");

CREATE INDEX "IX_TradingCentres_ParentId" ON "TradingCentres" ("ParentId");

CREATE INDEX "IX_AspNetUsers_CentreId" ON "AspNetUsers" ("CentreId");

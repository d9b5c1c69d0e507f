ALTER TABLE "tender" ADD COLUMN "budget" INTEGER NOT NULL DEFAULT 0;
CREATE INDEX "IX_tender_title" ON "tender" ("title");

ALTER TABLE "tender" ADD COLUMN "budget" bigint NOT NULL DEFAULT 0;
CREATE INDEX "IX_tender_title" ON "tender" ("title");

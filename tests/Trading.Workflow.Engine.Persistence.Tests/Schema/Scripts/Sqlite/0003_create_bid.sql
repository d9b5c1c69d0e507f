CREATE TABLE "bid" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_bid" PRIMARY KEY,
    "tender_id" INTEGER NOT NULL REFERENCES "tender" ("id"),
    "amount" INTEGER NOT NULL
);

CREATE TABLE "bid" (
    "id" integer NOT NULL CONSTRAINT "PK_bid" PRIMARY KEY,
    "tender_id" integer NOT NULL REFERENCES "tender" ("id"),
    "amount" bigint NOT NULL
);

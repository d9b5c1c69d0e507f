CREATE TABLE "tender" (
    "id" integer NOT NULL CONSTRAINT "PK_tender" PRIMARY KEY,
    "title" text NOT NULL
);

-- Version 3: which demo data steps (IDemoDataStep) have run, so each runs once per database.
CREATE TABLE "DemoDataSteps" (
    "Name" text NOT NULL CONSTRAINT "PK_DemoDataSteps" PRIMARY KEY,
    "CompletedAt" timestamp with time zone NOT NULL
);

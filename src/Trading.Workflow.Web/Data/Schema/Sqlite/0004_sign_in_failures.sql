-- Version 4: failed sign-ins (SignInThrottle), kept in the database so that every app node counts the same failures
-- and a restart forgets none. Times are UTC ticks; expired rows are deleted as new failures come in.
CREATE TABLE "SignInFailures" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_SignInFailures" PRIMARY KEY AUTOINCREMENT,
    "Key" TEXT NOT NULL,
    "AtTicks" INTEGER NOT NULL
);

CREATE INDEX "IX_SignInFailures_Key_AtTicks" ON "SignInFailures" ("Key", "AtTicks");

CREATE INDEX "IX_SignInFailures_AtTicks" ON "SignInFailures" ("AtTicks");

-- A termination (终止) asked for, written before the lot is called off: who, as whom, why, the grantor's written request
-- (终止申请函) when staff act, and whether it completed. A process stopping between the call-off and the procedure's
-- message leaves the row open, and GrantService.ResumeTerminationsAsync completes it. One row per offering.
CREATE TABLE "tr_grant_termination_requests" (
    "offering_id" TEXT NOT NULL CONSTRAINT "PK_tr_grant_termination_requests" PRIMARY KEY,
    "project_code" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requested_as" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "letter_document_id" TEXT NULL,
    "requested_at" INTEGER NOT NULL,
    "completed_at" INTEGER NULL,
    "outcome" TEXT NULL
);
CREATE INDEX "IX_tr_grant_termination_requests_open" ON "tr_grant_termination_requests" ("completed_at");
CREATE INDEX "IX_tr_grant_termination_requests_letter" ON "tr_grant_termination_requests" ("letter_document_id");

-- A termination (终止) asked for, written before the lot is called off: who, as whom, why, the grantor's written request
-- (终止申请函) when staff act, and whether it completed. A process stopping between the call-off and the procedure's
-- message leaves the row open, and GrantService.ResumeTerminationsAsync completes it. One row per offering.
CREATE TABLE "tr_grant_termination_requests" (
    "offering_id" uuid NOT NULL CONSTRAINT "PK_tr_grant_termination_requests" PRIMARY KEY,
    "project_code" text NOT NULL,
    "requested_by" text NOT NULL,
    "requested_as" text NOT NULL,
    "reason" varchar(1000) NOT NULL,
    "letter_document_id" uuid NULL,
    "requested_at" bigint NOT NULL,
    "completed_at" bigint NULL,
    "outcome" text NULL
);
CREATE INDEX "IX_tr_grant_termination_requests_open" ON "tr_grant_termination_requests" ("completed_at");
CREATE INDEX "IX_tr_grant_termination_requests_letter" ON "tr_grant_termination_requests" ("letter_document_id");

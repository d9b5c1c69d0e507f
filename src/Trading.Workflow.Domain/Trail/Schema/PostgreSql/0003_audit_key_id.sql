-- Trail hashes keyed with HMAC-SM3 (a key kept outside the database): each record names the key it was keyed with;
-- null for records hashed with plain SM3 before the trail had a key.
ALTER TABLE "tr_audit_entries" ADD COLUMN "key_id" text NULL;

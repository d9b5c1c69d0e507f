-- The history chain is keyed (HMAC-SHA256 under a key kept outside the database) from the row after "keyed_after"
-- on; rows up to it stay plain SHA-256. One record per key, with the HMAC of that statement under the key, so the
-- cut-over can be neither moved nor forged by someone who can write the database but does not hold the key.
CREATE TABLE "wf_history_keys" (
    "key_id" TEXT NOT NULL PRIMARY KEY,
    "keyed_after" INTEGER NOT NULL,
    "mac" TEXT NOT NULL
);

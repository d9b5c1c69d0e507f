-- Notifications (issue 11, point 7): in-app notifications per user, their channel deliveries, the dispatcher's
-- cursor over the trail and each user's notification language. Times are UTC ticks, ids text (as the engine's).
CREATE TABLE "tr_notifications" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_notifications" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "source_key" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "link" TEXT NULL,
    "centre_id" TEXT NULL,
    "created_at" INTEGER NOT NULL,
    "read_at" INTEGER NULL
);
CREATE UNIQUE INDEX "UX_tr_notifications_source_user" ON "tr_notifications" ("source_key", "user_id");
CREATE INDEX "IX_tr_notifications_user_read" ON "tr_notifications" ("user_id", "read_at");
CREATE INDEX "IX_tr_notifications_user_created" ON "tr_notifications" ("user_id", "created_at");

CREATE TABLE "tr_notification_deliveries" (
    "id" TEXT NOT NULL CONSTRAINT "PK_tr_notification_deliveries" PRIMARY KEY,
    "notification_id" TEXT NOT NULL CONSTRAINT "FK_tr_notification_deliveries_notification" REFERENCES "tr_notifications" ("id"),
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "state" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "last_error" TEXT NULL,
    "reference" TEXT NULL,
    "created_at" INTEGER NOT NULL,
    "next_attempt_at" INTEGER NOT NULL,
    "sent_at" INTEGER NULL
);
CREATE INDEX "IX_tr_notification_deliveries_notification" ON "tr_notification_deliveries" ("notification_id");
CREATE INDEX "IX_tr_notification_deliveries_due" ON "tr_notification_deliveries" ("state", "next_attempt_at");

CREATE TABLE "tr_notification_cursors" (
    "name" TEXT NOT NULL CONSTRAINT "PK_tr_notification_cursors" PRIMARY KEY,
    "position" INTEGER NOT NULL,
    "updated_at" INTEGER NULL
);

CREATE TABLE "tr_notification_preferences" (
    "user_id" TEXT NOT NULL CONSTRAINT "PK_tr_notification_preferences" PRIMARY KEY,
    "language" TEXT NOT NULL
);

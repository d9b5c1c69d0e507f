-- Notifications (issue 11, point 7): in-app notifications per user, their channel deliveries, the dispatcher's
-- cursor over the trail and each user's notification language. Times are UTC ticks (bigint), as on SQLite.
CREATE TABLE tr_notifications (
    id uuid NOT NULL CONSTRAINT "PK_tr_notifications" PRIMARY KEY,
    user_id varchar(256) NOT NULL,
    source_key varchar(200) NOT NULL,
    template varchar(100) NOT NULL,
    language varchar(10) NOT NULL,
    title varchar(200) NOT NULL,
    body varchar(2000) NOT NULL,
    link varchar(500) NULL,
    centre_id uuid NULL,
    created_at bigint NOT NULL,
    read_at bigint NULL
);
CREATE UNIQUE INDEX "UX_tr_notifications_source_user" ON tr_notifications (source_key, user_id);
CREATE INDEX "IX_tr_notifications_user_read" ON tr_notifications (user_id, read_at);
CREATE INDEX "IX_tr_notifications_user_created" ON tr_notifications (user_id, created_at);

CREATE TABLE tr_notification_deliveries (
    id uuid NOT NULL CONSTRAINT "PK_tr_notification_deliveries" PRIMARY KEY,
    notification_id uuid NOT NULL CONSTRAINT "FK_tr_notification_deliveries_notification" REFERENCES tr_notifications (id),
    channel varchar(32) NOT NULL,
    address varchar(320) NOT NULL,
    state integer NOT NULL,
    attempts integer NOT NULL,
    last_error varchar(1000) NULL,
    reference varchar(1000) NULL,
    created_at bigint NOT NULL,
    next_attempt_at bigint NOT NULL,
    sent_at bigint NULL
);
CREATE INDEX "IX_tr_notification_deliveries_notification" ON tr_notification_deliveries (notification_id);
CREATE INDEX "IX_tr_notification_deliveries_due" ON tr_notification_deliveries (state, next_attempt_at);

CREATE TABLE tr_notification_cursors (
    name varchar(50) NOT NULL CONSTRAINT "PK_tr_notification_cursors" PRIMARY KEY,
    position bigint NOT NULL,
    updated_at bigint NULL
);

CREATE TABLE tr_notification_preferences (
    user_id varchar(256) NOT NULL CONSTRAINT "PK_tr_notification_preferences" PRIMARY KEY,
    language varchar(10) NOT NULL
);

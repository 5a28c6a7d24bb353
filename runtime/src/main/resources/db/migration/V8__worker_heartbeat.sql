-- The worker pools that run tries, each with its last heartbeat, for /health. A pool writes its row
-- every scheduler tick and deletes it when it stops cleanly; a row whose heartbeat is older than
-- the lease timeout belongs to a worker that is gone or stuck.
CREATE TABLE worker_heartbeat (
    worker_id       VARCHAR(64) PRIMARY KEY,
    hostname        VARCHAR(250) NOT NULL,
    pid             BIGINT NOT NULL,
    slots           INTEGER NOT NULL,
    running         INTEGER NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

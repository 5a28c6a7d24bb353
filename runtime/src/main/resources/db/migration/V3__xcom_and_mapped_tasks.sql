-- Mapped tasks: a task instance is keyed by its map index too (-1 for a task that is not mapped).
-- The tables are rebuilt rather than altered because H2 and PostgreSQL name and drop primary keys
-- differently.

CREATE TABLE task_instance_v3 (
    run_pk           BIGINT NOT NULL REFERENCES dag_run (id) ON DELETE CASCADE,
    task_id          VARCHAR(250) NOT NULL,
    map_index        INTEGER NOT NULL,
    state            VARCHAR(20) NOT NULL,
    try_number       INTEGER NOT NULL,
    max_tries        INTEGER NOT NULL,
    start_date       TIMESTAMP WITH TIME ZONE,
    end_date         TIMESTAMP WITH TIME ZONE,
    next_try_at      TIMESTAMP WITH TIME ZONE,
    error            VARCHAR,
    -- When the first try since the instance was created or cleared started: a sensor's timeout
    -- counts from it over every try and poke.
    first_start_date TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (run_pk, task_id, map_index)
);
INSERT INTO task_instance_v3
    (run_pk, task_id, map_index, state, try_number, max_tries, start_date, end_date, next_try_at,
     error, first_start_date)
    SELECT run_pk, task_id, -1, state, try_number, max_tries, start_date, end_date, next_try_at,
           error, start_date
    FROM task_instance;
DROP TABLE task_instance;
ALTER TABLE task_instance_v3 RENAME TO task_instance;
CREATE INDEX task_instance_state ON task_instance (state);

CREATE TABLE task_try_v3 (
    run_pk          BIGINT NOT NULL REFERENCES dag_run (id) ON DELETE CASCADE,
    task_id         VARCHAR(250) NOT NULL,
    map_index       INTEGER NOT NULL,
    try_number      INTEGER NOT NULL,
    state           VARCHAR(20) NOT NULL,
    start_date      TIMESTAMP WITH TIME ZONE NOT NULL,
    end_date        TIMESTAMP WITH TIME ZONE,
    hostname        VARCHAR(250) NOT NULL,
    scheduler_id    VARCHAR(64) NOT NULL,
    error           VARCHAR,
    PRIMARY KEY (run_pk, task_id, map_index, try_number)
);
INSERT INTO task_try_v3
    (run_pk, task_id, map_index, try_number, state, start_date, end_date, hostname, scheduler_id,
     error)
    SELECT run_pk, task_id, -1, try_number, state, start_date, end_date, hostname, scheduler_id,
           error
    FROM task_try;
DROP TABLE task_try;
ALTER TABLE task_try_v3 RENAME TO task_try;

-- Values tasks pass to each other, as JSON; written with the end of the try that pushed them.
CREATE TABLE xcom (
    run_pk          BIGINT NOT NULL REFERENCES dag_run (id) ON DELETE CASCADE,
    task_id         VARCHAR(250) NOT NULL,
    map_index       INTEGER NOT NULL,
    xcom_key        VARCHAR(250) NOT NULL,
    json_value      VARCHAR NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (run_pk, task_id, map_index, xcom_key)
);

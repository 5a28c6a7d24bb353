-- What each try ran after its templates were rendered (the bash command, the SQL, the URL, …): a
-- JSON object of field name to rendered text, in the order the try rendered them, with secrets
-- masked. Written with the end of the try; it stays with the try's history, as the try does when
-- its instance is cleared, and goes with it when its run is deleted.
CREATE TABLE rendered_fields (
    run_pk          BIGINT NOT NULL,
    task_id         VARCHAR(250) NOT NULL,
    map_index       INTEGER NOT NULL,
    try_number      INTEGER NOT NULL,
    fields_json     VARCHAR NOT NULL,
    PRIMARY KEY (run_pk, task_id, map_index, try_number),
    FOREIGN KEY (run_pk, task_id, map_index, try_number)
        REFERENCES task_try (run_pk, task_id, map_index, try_number) ON DELETE CASCADE
);

-- Pages of runs of every DAG, newest first (runs of one DAG use dag_run_logical_date).
CREATE INDEX dag_run_logical_date_id ON dag_run (logical_date, id);

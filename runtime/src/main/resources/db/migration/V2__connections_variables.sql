-- Connections and variables (docs/connections.md). Secret texts are stored encrypted by
-- dev.weir.secrets.SecretCipher as 'v1:' + base64(IV, ciphertext, GCM tag); never in clear.

CREATE TABLE connection (
    conn_id         VARCHAR(250) PRIMARY KEY,
    conn_type       VARCHAR(100) NOT NULL,
    host            VARCHAR(500),
    port            INTEGER,
    schema_name     VARCHAR(500),
    login           VARCHAR(500),
    -- Always encrypted; null when the connection has no password.
    password        VARCHAR,
    -- A JSON object, always encrypted; null when the connection has no extra.
    extra           VARCHAR,
    description     VARCHAR(1000) NOT NULL
);

CREATE TABLE variable (
    var_key         VARCHAR(250) PRIMARY KEY,
    -- Encrypted when is_encrypted: the key looks secret (password, token, api_key, …).
    var_value       VARCHAR NOT NULL,
    is_encrypted    BOOLEAN NOT NULL,
    description     VARCHAR(1000) NOT NULL
);

-- Bumped by every change to the two tables above, so that a scheduler caching them learns of a
-- change with one cheap read.
CREATE TABLE secret_version (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    version         BIGINT NOT NULL
);
INSERT INTO secret_version (id, version) VALUES (1, 0);

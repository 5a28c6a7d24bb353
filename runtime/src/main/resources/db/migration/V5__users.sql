-- Users of the web server and REST API, their browser sessions and their API tokens
-- (docs/web.md). Passwords are bcrypt hashes; session and API tokens are stored as SHA-256 hex
-- digests of the random token, so a copy of the database lets nobody in.

CREATE TABLE web_user (
    username        VARCHAR(64) PRIMARY KEY,
    password_hash   VARCHAR(100) NOT NULL,
    -- viewer, user, op or admin
    role            VARCHAR(16) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_login_at   TIMESTAMP WITH TIME ZONE
);

CREATE TABLE web_session (
    token_hash      CHAR(64) PRIMARY KEY,
    username        VARCHAR(64) NOT NULL REFERENCES web_user (username) ON DELETE CASCADE,
    -- Sent back with every state-changing request made with this session.
    csrf_token      VARCHAR(64) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX web_session_by_user ON web_session (username);

CREATE TABLE api_token (
    token_hash      CHAR(64) PRIMARY KEY,
    username        VARCHAR(64) NOT NULL REFERENCES web_user (username) ON DELETE CASCADE,
    name            VARCHAR(100) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at    TIMESTAMP WITH TIME ZONE
);

CREATE INDEX api_token_by_user ON api_token (username);

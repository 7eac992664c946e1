-- Bulwark control plane. Portable SQL: runs unchanged on SQLite and PostgreSQL.
-- Times are epoch milliseconds (BIGINT); documents are canonical YAML text.

CREATE TABLE account (
    id         VARCHAR(64)  PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    created_at BIGINT       NOT NULL
);

CREATE TABLE operator (
    id         VARCHAR(64)  PRIMARY KEY,
    account_id VARCHAR(64)  NOT NULL REFERENCES account (id),
    name       VARCHAR(200) NOT NULL UNIQUE,
    role       VARCHAR(32)  NOT NULL,
    created_at BIGINT       NOT NULL
);

-- A token is shown once; only the SHA-256 of its secret is kept. id is the public prefix.
CREATE TABLE api_token (
    id          VARCHAR(32)  PRIMARY KEY,
    operator_id VARCHAR(64)  NOT NULL REFERENCES operator (id),
    name        VARCHAR(200) NOT NULL,
    secret_hash VARCHAR(64)  NOT NULL,
    zones       TEXT         NOT NULL,
    permissions TEXT         NOT NULL,
    created_at  BIGINT       NOT NULL,
    expires_at  BIGINT,
    revoked_at  BIGINT
);

-- Every committed change is a version holding the whole stored config (zones and lists).
CREATE TABLE config_version (
    number     BIGINT       PRIMARY KEY,
    author     VARCHAR(200) NOT NULL,
    created_at BIGINT       NOT NULL,
    message    TEXT         NOT NULL,
    document   TEXT         NOT NULL
);

-- The current zones, one validated document each, indexed by id and hostname.
CREATE TABLE zone (
    id         VARCHAR(64) PRIMARY KEY,
    document   TEXT        NOT NULL,
    version    BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL
);

CREATE TABLE zone_hostname (
    hostname VARCHAR(255) PRIMARY KEY,
    zone_id  VARCHAR(64)  NOT NULL REFERENCES zone (id) ON DELETE CASCADE
);

-- Named lists shared by every zone's rules (addresses, paths, ...), one item per line.
CREATE TABLE shared_list (
    name    VARCHAR(64) PRIMARY KEY,
    items   TEXT        NOT NULL,
    version BIGINT      NOT NULL
);

-- Append-only, hash-chained: hash = SHA-256(prev_hash || canonical encoding of the row).
-- prev_hash is UNIQUE so two writers can never fork the chain.
CREATE TABLE audit_entry (
    id           BIGINT       PRIMARY KEY,
    at           BIGINT       NOT NULL,
    actor        VARCHAR(200) NOT NULL,
    action       VARCHAR(64)  NOT NULL,
    target       VARCHAR(300) NOT NULL,
    before_state TEXT,
    after_state  TEXT,
    prev_hash    VARCHAR(64)  NOT NULL UNIQUE,
    hash         VARCHAR(64)  NOT NULL
);

-- Stored responses of creates, so a retried request with the same Idempotency-Key gets the same answer.
CREATE TABLE idempotency_record (
    token_id     VARCHAR(32)  NOT NULL,
    idem_key     VARCHAR(200) NOT NULL,
    request_hash VARCHAR(64)  NOT NULL,
    status       INTEGER      NOT NULL,
    body         TEXT         NOT NULL,
    created_at   BIGINT       NOT NULL,
    PRIMARY KEY (token_id, idem_key)
);

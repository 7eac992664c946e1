-- Private keys of zone certificates, kept apart from the config documents so that no version,
-- diff, API answer or audit entry carries them. A zone's document names its key by key_ref, the
-- SHA-256 fingerprint of its certificate's public key; rows are never rewritten, so any earlier
-- version can be restored. Portable SQL (SQLite and PostgreSQL).
CREATE TABLE tls_key (
    fingerprint VARCHAR(80) PRIMARY KEY,
    key_pem     TEXT        NOT NULL,
    created_at  BIGINT      NOT NULL
);

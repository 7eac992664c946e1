-- Dashboard sessions, kept in the store so they survive a restart of the control plane and are
-- known to every control-plane node of a fleet. The browser holds a random 256-bit id; only its
-- SHA-256 (hex) is stored, so a copy of the table opens no session. A session acts for one API
-- token (its id, never its secret) and ends when the token is revoked (TokenService.revoke deletes
-- its rows). Times are epoch milliseconds; expires_at is the earlier of last use + idle timeout and
-- creation + absolute lifetime, so expired rows are found through one index. Portable SQL (SQLite
-- and PostgreSQL).
CREATE TABLE dashboard_session (
    id_hash      VARCHAR(64) PRIMARY KEY,
    token_id     VARCHAR(32) NOT NULL REFERENCES api_token (id),
    operator_id  VARCHAR(64) NOT NULL,
    csrf         VARCHAR(64) NOT NULL,
    created_at   BIGINT      NOT NULL,
    last_seen_at BIGINT      NOT NULL,
    expires_at   BIGINT      NOT NULL
);
CREATE INDEX dashboard_session_expires ON dashboard_session (expires_at);
CREATE INDEX dashboard_session_token ON dashboard_session (token_id);

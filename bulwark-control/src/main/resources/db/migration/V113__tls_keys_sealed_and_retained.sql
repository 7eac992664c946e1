-- Private keys encrypted at rest, and removed once no retained version needs them.
-- key_pem becomes key_data: with format 1 it is base64(iv || AES-256-GCM(PEM)) under the node's
-- key file named by key_id (TlsKeyVault); format 0 marks a row written before this migration,
-- still PEM text, which the first control-plane start encrypts in place (TlsKeys.sealPlaintext).
-- last_version is the newest config version whose document names the key (key_ref): versions
-- are pruned oldest first, so once it is older than the oldest kept version nothing can roll
-- back to the key and the row is deleted in the same transaction. Portable SQL (SQLite >= 3.25
-- and PostgreSQL); the fingerprint ("sha256:" and hex) holds no LIKE wildcard.
ALTER TABLE tls_key RENAME COLUMN key_pem TO key_data;
ALTER TABLE tls_key ADD COLUMN format INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tls_key ADD COLUMN key_id VARCHAR(32);
ALTER TABLE tls_key ADD COLUMN last_version BIGINT NOT NULL DEFAULT 0;
UPDATE tls_key SET last_version = COALESCE(
    (SELECT MAX(v.number) FROM config_version v WHERE v.document LIKE '%' || tls_key.fingerprint || '%'), 0);

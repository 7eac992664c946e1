-- Single use of the abuse form's proof of work: the nonce of a solved puzzle is recorded in the
-- transaction that stores the report it let through, and kept until the puzzle expires (after
-- that the token itself is refused), so one solution cannot submit a second report.
CREATE TABLE pow_redemption (
    nonce      VARCHAR(32) PRIMARY KEY,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX pow_redemption_expiry ON pow_redemption (expires_at);

-- A proposed action (termination) that no second operator approved by this time expires.
ALTER TABLE enforcement_action ADD COLUMN expires_at BIGINT;

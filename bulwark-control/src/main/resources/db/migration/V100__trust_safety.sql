-- Trust and safety: abuse reports, escalation alerts, routing (contacts, referrals, outbox),
-- enforcement actions with their approvals and appeals, and the transparency statements.
-- Portable SQL (SQLite and PostgreSQL). Times are epoch milliseconds; lists are one item per line.

CREATE TABLE abuse_report (
    id               VARCHAR(40)  PRIMARY KEY,
    category         VARCHAR(32)  NOT NULL,
    zone_id          VARCHAR(64)  NOT NULL,
    urls             TEXT         NOT NULL,
    description      TEXT         NOT NULL,
    evidence         TEXT,
    reporter_name    VARCHAR(200),
    reporter_contact VARCHAR(320),
    forward_to_owner BOOLEAN      NOT NULL,
    status           VARCHAR(32)  NOT NULL,
    received_at      BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL
);
CREATE INDEX abuse_report_zone ON abuse_report (zone_id, received_at);
CREATE INDEX abuse_report_received ON abuse_report (received_at);

CREATE TABLE escalation_alert (
    id         VARCHAR(40)      PRIMARY KEY,
    zone_id    VARCHAR(64)      NOT NULL,
    window_name VARCHAR(16)     NOT NULL,
    reports    INTEGER          NOT NULL,
    score      DOUBLE PRECISION NOT NULL,
    baseline   DOUBLE PRECISION NOT NULL,
    trend      VARCHAR(16)      NOT NULL,
    summary    TEXT             NOT NULL,
    raised_at  BIGINT           NOT NULL
);
CREATE INDEX escalation_alert_zone ON escalation_alert (zone_id, window_name, raised_at);

-- Who to tell about a zone: its owner, and the hosting provider behind its origin.
CREATE TABLE zone_contact (
    zone_id          VARCHAR(64)  PRIMARY KEY,
    owner_contact    VARCHAR(320),
    owner_webhook    VARCHAR(2048),
    hosting_provider VARCHAR(200),
    hosting_contact  VARCHAR(320),
    updated_at       BIGINT       NOT NULL
);

CREATE TABLE law_enforcement_referral (
    id          VARCHAR(40)  PRIMARY KEY,
    report_id   VARCHAR(40)  NOT NULL REFERENCES abuse_report (id),
    agency      VARCHAR(200) NOT NULL,
    reference   VARCHAR(200),
    referred_by VARCHAR(200) NOT NULL,
    referred_at BIGINT       NOT NULL
);

-- Notifications are written here in the transaction that causes them and delivered later, with retries.
CREATE TABLE notification_outbox (
    id              VARCHAR(40)  PRIMARY KEY,
    kind            VARCHAR(32)  NOT NULL,
    recipient       VARCHAR(2048) NOT NULL,
    subject         VARCHAR(300) NOT NULL,
    body            TEXT         NOT NULL,
    report_id       VARCHAR(40),
    created_at      BIGINT       NOT NULL,
    attempts        INTEGER      NOT NULL,
    next_attempt_at BIGINT       NOT NULL,
    delivered_at    BIGINT,
    failed_at       BIGINT,
    last_error      TEXT
);
CREATE INDEX notification_outbox_due ON notification_outbox (delivered_at, next_attempt_at);

CREATE TABLE enforcement_action (
    id             VARCHAR(40)  PRIMARY KEY,
    zone_id        VARCHAR(64)  NOT NULL,
    type           VARCHAR(32)  NOT NULL,
    urls           TEXT         NOT NULL,
    reason         TEXT         NOT NULL,
    legal          BOOLEAN      NOT NULL,
    statement_url  VARCHAR(2048),
    report_ids     TEXT         NOT NULL,
    status         VARCHAR(32)  NOT NULL,
    proposed_by_id VARCHAR(64)  NOT NULL,
    proposed_by    VARCHAR(200) NOT NULL,
    proposed_at    BIGINT       NOT NULL,
    approved_by_id VARCHAR(64),
    approved_by    VARCHAR(200),
    applied_at     BIGINT,
    reversed_by    VARCHAR(200),
    reversed_at    BIGINT,
    prior_under_attack BOOLEAN
);
CREATE INDEX enforcement_action_zone ON enforcement_action (zone_id, proposed_at);

CREATE TABLE appeal (
    id         VARCHAR(40)  PRIMARY KEY,
    action_id  VARCHAR(40)  NOT NULL REFERENCES enforcement_action (id),
    appellant  VARCHAR(320) NOT NULL,
    statement  TEXT         NOT NULL,
    status     VARCHAR(32)  NOT NULL,
    filed_at   BIGINT       NOT NULL,
    decided_by VARCHAR(200),
    decided_at BIGINT,
    decision   TEXT
);

-- The operator's standing statements shown on the transparency report (e.g. policy on legal requests).
CREATE TABLE standing_statement (
    id         VARCHAR(64)  PRIMARY KEY,
    title      VARCHAR(200) NOT NULL,
    body       TEXT         NOT NULL,
    updated_by VARCHAR(200) NOT NULL,
    updated_at BIGINT       NOT NULL
);

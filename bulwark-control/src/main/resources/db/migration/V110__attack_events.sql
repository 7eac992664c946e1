-- Attack events reported by the edge's detectors: one row per event, replaced by each report
-- (start, changes of peak, signature or action, end). Portable SQL (SQLite and PostgreSQL).
-- Times are epoch milliseconds, ended_at NULL while the attack goes on; the lists are JSON arrays of strings.
CREATE TABLE attack_event (
    id               VARCHAR(160)     PRIMARY KEY,
    zone_id          VARCHAR(64)      NOT NULL,
    started_at       BIGINT           NOT NULL,
    ended_at         BIGINT,
    peak_rate        DOUBLE PRECISION NOT NULL,
    baseline_rate    DOUBLE PRECISION NOT NULL,
    peak_sources     DOUBLE PRECISION NOT NULL,
    baseline_sources DOUBLE PRECISION NOT NULL,
    signature        TEXT             NOT NULL,
    source_prefixes  TEXT             NOT NULL,
    paths            TEXT             NOT NULL,
    methods          TEXT             NOT NULL,
    user_agents      TEXT             NOT NULL,
    action           VARCHAR(32),
    updated_at       BIGINT           NOT NULL
);
CREATE INDEX attack_event_zone ON attack_event (zone_id, started_at);
CREATE INDEX attack_event_started ON attack_event (started_at);

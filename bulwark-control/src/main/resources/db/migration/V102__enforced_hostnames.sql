-- The hostnames an applied action was decided for (one per line: the zone's hostnames for a
-- termination or restriction, the blocked URLs' hosts for a URL block). Enforcement follows
-- them, so the site cannot be served again from another zone. NULL on rows older than this
-- column: the guard then uses the zone's current hostnames.
ALTER TABLE enforcement_action ADD COLUMN hostnames TEXT;

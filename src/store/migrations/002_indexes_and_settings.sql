-- Lookups by municipality and an initiative's history; app settings (language, later kiosk).
CREATE INDEX initiatives_by_municipality ON initiatives (gm_code);
CREATE INDEX self_checks_by_initiative ON self_checks (initiative_id, created_at);
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- Retention: self-checks past the retention period are first marked (hidden everywhere), then,
-- after a grace period, removed; a tombstone (id and date only) keeps an old bundle from
-- bringing them back. Kiosk: return codes (hashed) let a resident repeat their own check.
CREATE TABLE purge_marks (
    check_id  TEXT PRIMARY KEY NOT NULL REFERENCES self_checks (id),
    marked_at TEXT NOT NULL
);
CREATE TABLE tombstones (
    id        TEXT PRIMARY KEY NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('self_check')),
    purged_at TEXT NOT NULL
);
CREATE TABLE purge_log (
    at      TEXT NOT NULL,
    months  INTEGER NOT NULL,
    marked  INTEGER NOT NULL,
    removed INTEGER NOT NULL
);
CREATE TABLE return_codes (
    code_hash     TEXT PRIMARY KEY NOT NULL,
    initiative_id TEXT NOT NULL REFERENCES initiatives (id),
    created_at    TEXT NOT NULL
);
-- Optional contact details, stored only with the person's explicit consent.
ALTER TABLE initiatives ADD COLUMN contact TEXT CHECK (contact IS NULL OR length(contact) <= 200);

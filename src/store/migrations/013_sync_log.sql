-- Schema 13: what a sync with a shared PostgreSQL database (src/sync) has yet to send. Every
-- record that a sync carries gets a number in the order it arrived here, made or imported;
-- a server remembers up to which number it has had this machine's records, so that a sync with
-- nothing new reads nothing. Rows are never deleted, so a new number is always above every
-- number given before (without AUTOINCREMENT's extra write per row).
CREATE TABLE sync_log (
    seq  INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('initiative', 'self_check', 'review', 'tombstone')),
    id   TEXT NOT NULL
);
INSERT INTO sync_log (kind, id) SELECT 'initiative', id FROM initiatives ORDER BY rowid;
INSERT INTO sync_log (kind, id) SELECT 'self_check', id FROM self_checks ORDER BY rowid;
INSERT INTO sync_log (kind, id) SELECT 'review', id FROM review_log ORDER BY rowid;
INSERT INTO sync_log (kind, id) SELECT 'tombstone', id FROM tombstones ORDER BY rowid;
CREATE TRIGGER sync_log_initiative AFTER INSERT ON initiatives BEGIN INSERT INTO sync_log (kind, id) VALUES ('initiative', NEW.id); END;
CREATE TRIGGER sync_log_self_check AFTER INSERT ON self_checks BEGIN INSERT INTO sync_log (kind, id) VALUES ('self_check', NEW.id); END;
CREATE TRIGGER sync_log_review AFTER INSERT ON review_log BEGIN INSERT INTO sync_log (kind, id) VALUES ('review', NEW.id); END;
CREATE TRIGGER sync_log_tombstone AFTER INSERT ON tombstones BEGIN INSERT INTO sync_log (kind, id) VALUES ('tombstone', NEW.id); END;

-- Per server (its database's own id, see src/sync): this machine's records sent up to `sent`,
-- and the server's received up to `received` (its own numbering).
CREATE TABLE sync_servers (
    server   TEXT PRIMARY KEY NOT NULL,
    sent     INTEGER NOT NULL DEFAULT 0,
    received INTEGER NOT NULL DEFAULT 0,
    synced_at TEXT
);

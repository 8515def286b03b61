-- Schema 11: where records came from. Every machine has an id of its own (made here, once) and a
-- name its coordinator gives it ("Buurthuis De Kolk"); bundles carry both. A record made on this
-- machine has no row in `record_sources`; one imported from a bundle has one, naming the machine
-- it was made on (NULL when the file did not say: bundles before version 3) and the import.
INSERT OR IGNORE INTO settings (key, value)
    SELECT 'machine_id', lower(printf('%s-%s-4%s-%s%s-%s',
        hex(randomblob(4)), hex(randomblob(2)), substr(hex(randomblob(2)), 2),
        substr('89ab', 1 + (abs(random()) % 4), 1), substr(hex(randomblob(2)), 2), hex(randomblob(6))));

-- The machines named in imported bundles, with the latest name they were given.
CREATE TABLE machines (
    id   TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL CHECK (length(name) <= 100)
) WITHOUT ROWID;

-- One row per imported file that added something.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    file        TEXT,
    machine_id  TEXT REFERENCES machines (id),
    exported_at TEXT,
    imported_at TEXT NOT NULL
);

CREATE TABLE record_sources (
    record_id  TEXT PRIMARY KEY NOT NULL,
    machine_id TEXT REFERENCES machines (id),
    import_id  INTEGER NOT NULL REFERENCES imports (id)
) WITHOUT ROWID;
CREATE INDEX record_sources_by_machine ON record_sources (machine_id);

-- Schema 11: where records came from. Every machine has an id of its own (made here, once) and a
-- name its coordinator gives it ("Buurthuis De Kolk"); bundles carry both. A record made on this
-- machine has no import; one imported from a bundle names its import and the machine it was made
-- on (NULL when the file did not say: bundles before version 3).
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

-- Each record carries where it came from: the import that brought it (NULL: made here) and the
-- machine it was made on (NULL with an import: the file did not say).
ALTER TABLE initiatives ADD COLUMN import_id INTEGER REFERENCES imports (id);
ALTER TABLE initiatives ADD COLUMN made_on TEXT REFERENCES machines (id);
ALTER TABLE self_checks ADD COLUMN import_id INTEGER REFERENCES imports (id);
ALTER TABLE self_checks ADD COLUMN made_on TEXT REFERENCES machines (id);
ALTER TABLE review_log ADD COLUMN import_id INTEGER REFERENCES imports (id);
ALTER TABLE review_log ADD COLUMN made_on TEXT REFERENCES machines (id);

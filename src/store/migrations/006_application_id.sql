-- A Wijkkompas database says so in its header, so that the app never mistakes someone else's
-- file for its own (and never writes to one). 0x574B4D50 is "WKMP".
PRAGMA application_id = 1464552784;

-- When the retention purge removes an initiative's last self-check, the initiative's personal
-- details go too and a tombstone of kind 'initiative' keeps an old bundle from bringing them back.
CREATE TABLE tombstones_v6 (
    id        TEXT PRIMARY KEY NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('self_check', 'initiative')),
    purged_at TEXT NOT NULL
);
INSERT INTO tombstones_v6 (id, kind, purged_at) SELECT id, kind, purged_at FROM tombstones;
DROP TABLE tombstones;
ALTER TABLE tombstones_v6 RENAME TO tombstones;

-- A return code opens the self-check it was given for (and later ones made with it), not every
-- check of the initiative. Codes from before keep working from the time they were made.
ALTER TABLE return_codes ADD COLUMN check_id TEXT;

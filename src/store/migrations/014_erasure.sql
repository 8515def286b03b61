-- Schema 14: a retention purge is this machine's own policy, an erasure must go everywhere
-- (src/safety/erasure.rs). Only erasures travel to a shared database; a retention tombstone only
-- keeps the records it names from coming back to this machine.
ALTER TABLE tombstones ADD COLUMN cause TEXT NOT NULL DEFAULT 'retention'
    CHECK (cause IN ('retention', 'erasure'));
-- What the person who erased a record gave as the reason: kept here, never sent.
ALTER TABLE tombstones ADD COLUMN reason TEXT CHECK (reason IS NULL OR length(reason) <= 500);
-- Before this version every tombstone came from a retention purge, this machine's or one received
-- from a server. A received one was another machine's policy: it is withdrawn, so that the
-- self-check it named can come back. (An own purge wrote its time into purge_log.) An initiative
-- it emptied stays hidden until its record comes back, which then fills it again.
CREATE TABLE emptied_elsewhere (id TEXT PRIMARY KEY NOT NULL REFERENCES initiatives (id));
INSERT INTO emptied_elsewhere (id)
SELECT t.id FROM tombstones t JOIN initiatives i ON i.id = t.id
 WHERE t.kind = 'initiative' AND t.purged_at NOT IN (SELECT at FROM purge_log);
DELETE FROM tombstones
 WHERE kind = 'self_check' AND purged_at NOT IN (SELECT at FROM purge_log);
-- Per server (its id): the newest record it held at the end of this machine's last sync, by its
-- number, id and the server's time of taking it in. A server restored from an older backup, or
-- made anew under the same id, no longer holds that row (src/sync heals then); one that a machine
-- sent again after a restore is another row, taken in at another time.
CREATE TABLE sync_checkpoints (
    server  TEXT PRIMARY KEY NOT NULL,
    seq     INTEGER NOT NULL,
    id      TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
-- A record this machine's retention removed may be erased later: its tombstone then becomes an
-- erasure, which a sync must still send.
CREATE TRIGGER sync_log_erasure AFTER UPDATE OF cause ON tombstones
WHEN NEW.cause = 'erasure' AND OLD.cause <> 'erasure'
BEGIN INSERT INTO sync_log (kind, id) VALUES ('tombstone', NEW.id); END;

-- Schema 9: an initiative's CBS wijk (code and name), computed from its point like its
-- municipality. Older initiatives get theirs in the same transaction, in Rust (the geography
-- lives there); initiatives purged before keep none.
ALTER TABLE initiatives ADD COLUMN wk_code TEXT;
ALTER TABLE initiatives ADD COLUMN wk_name TEXT;
CREATE INDEX initiatives_by_wijk ON initiatives (wk_code);
-- The running aggregates per wijk beside those per municipality (see 005): each latest check
-- also records its initiative's wijk ('' for none), and `wijk_score_sums` holds the same sums
-- per wijk. Rebuilt after the wijken are filled in.
ALTER TABLE latest_checks ADD COLUMN wk_code TEXT NOT NULL DEFAULT '';
CREATE TABLE wijk_score_sums (
    wk_code TEXT NOT NULL,
    part    TEXT NOT NULL,
    n       INTEGER NOT NULL,
    total   REAL NOT NULL,
    squares REAL NOT NULL,
    weakest INTEGER NOT NULL,
    PRIMARY KEY (wk_code, part)
) WITHOUT ROWID;

-- Running aggregates, so that statistics over a whole country cost the same as over one village.
-- `latest_checks` names each initiative's latest visible self-check and what it adds to the sums;
-- `score_sums` holds, per municipality ('' for none) and per strategy or lesson, the count, sum and
-- sum of squares of those latest scores, and how often the lesson is among the three weakest.
-- Both are derived: the store keeps them in step with every write and can rebuild them.
CREATE TABLE latest_checks (
    initiative_id TEXT PRIMARY KEY NOT NULL REFERENCES initiatives (id),
    check_id      TEXT NOT NULL REFERENCES self_checks (id),
    gm_code       TEXT NOT NULL,
    contribution  TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE score_sums (
    gm_code TEXT NOT NULL,
    part    TEXT NOT NULL,
    n       INTEGER NOT NULL,
    total   REAL NOT NULL,
    squares REAL NOT NULL,
    weakest INTEGER NOT NULL,
    PRIMARY KEY (gm_code, part)
) WITHOUT ROWID;

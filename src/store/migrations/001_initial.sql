-- Initiatives and their self-checks. A self-check is append-only: a repeat is a new row.
CREATE TABLE initiatives (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description   TEXT CHECK (description IS NULL OR length(description) <= 2000),
    lat           REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon           REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    gm_code       TEXT,
    gm_name       TEXT,
    pv_code       TEXT,
    pv_name       TEXT,
    target_groups TEXT NOT NULL DEFAULT '[]',
    created_at    TEXT NOT NULL
);

CREATE TABLE self_checks (
    id             TEXT PRIMARY KEY NOT NULL,
    initiative_id  TEXT NOT NULL REFERENCES initiatives (id),
    role           TEXT NOT NULL CHECK (role IN ('resident', 'professional', 'policy')),
    created_at     TEXT NOT NULL,
    score_bonding  REAL,
    score_bridging REAL,
    score_linking  REAL
);

CREATE TABLE answers (
    check_id     TEXT NOT NULL REFERENCES self_checks (id),
    statement_id TEXT NOT NULL,
    value        INTEGER CHECK (value IS NULL OR value BETWEEN 1 AND 5),
    PRIMARY KEY (check_id, statement_id)
) WITHOUT ROWID;

CREATE TRIGGER self_checks_are_append_only BEFORE UPDATE ON self_checks
BEGIN SELECT RAISE(ABORT, 'a self-check cannot be changed; save a new one'); END;

CREATE TRIGGER answers_are_append_only BEFORE UPDATE ON answers
BEGIN SELECT RAISE(ABORT, 'a self-check cannot be changed; save a new one'); END;

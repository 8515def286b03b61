-- Schema 10: the self-check as a group conversation.
-- A self-check has 1 to 30 respondents, numbered from 1; every check before schema 10 has one,
-- with the check's role. Answers are kept per respondent (never shown per person: the result
-- shows only group scores, ranges and counts).
CREATE TABLE respondents (
    check_id   TEXT NOT NULL REFERENCES self_checks (id),
    respondent INTEGER NOT NULL CHECK (respondent BETWEEN 1 AND 30),
    role       TEXT NOT NULL CHECK (role IN ('resident', 'professional', 'policy')),
    -- Answered on the paper form and entered later by the facilitator.
    on_paper   INTEGER NOT NULL DEFAULT 0 CHECK (on_paper IN (0, 1)),
    PRIMARY KEY (check_id, respondent)
) WITHOUT ROWID;
INSERT INTO respondents (check_id, respondent, role) SELECT id, 1, role FROM self_checks;

DROP TRIGGER answers_are_append_only;
CREATE TABLE answers_per_respondent (
    check_id     TEXT NOT NULL REFERENCES self_checks (id),
    respondent   INTEGER NOT NULL,
    statement_id TEXT NOT NULL,
    value        INTEGER CHECK (value IS NULL OR value BETWEEN 1 AND 5),
    PRIMARY KEY (check_id, respondent, statement_id)
) WITHOUT ROWID;
INSERT INTO answers_per_respondent (check_id, respondent, statement_id, value)
    SELECT check_id, 1, statement_id, value FROM answers;
DROP TABLE answers;
ALTER TABLE answers_per_respondent RENAME TO answers;

-- What goes well and what could be better, per lesson, for the respondent or the group.
CREATE TABLE lesson_notes (
    check_id  TEXT NOT NULL REFERENCES self_checks (id),
    lesson_id TEXT NOT NULL,
    good      TEXT CHECK (good IS NULL OR length(good) BETWEEN 1 AND 1000),
    better    TEXT CHECK (better IS NULL OR length(better) BETWEEN 1 AND 1000),
    PRIMARY KEY (check_id, lesson_id)
) WITHOUT ROWID;

-- The action plan agreed at a check (up to three), and at a later check what came of each.
CREATE TABLE actions (
    id        TEXT PRIMARY KEY NOT NULL,
    check_id  TEXT NOT NULL REFERENCES self_checks (id),
    position  INTEGER NOT NULL CHECK (position BETWEEN 1 AND 3),
    text      TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 300),
    who       TEXT CHECK (who IS NULL OR length(who) BETWEEN 1 AND 80),
    due       TEXT NOT NULL CHECK (due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    lesson_id TEXT NOT NULL,
    UNIQUE (check_id, position)
);
-- The action is named by id only: when the purge removes the check that agreed it, the later
-- check that says what came of it stays as it was (and shows it no longer).
CREATE TABLE action_outcomes (
    check_id  TEXT NOT NULL REFERENCES self_checks (id),
    action_id TEXT NOT NULL,
    outcome   TEXT NOT NULL CHECK (outcome IN ('done', 'partly', 'not')),
    note      TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 1000),
    PRIMARY KEY (check_id, action_id)
) WITHOUT ROWID;
CREATE INDEX action_outcomes_by_action ON action_outcomes (action_id);

CREATE TRIGGER answers_are_append_only BEFORE UPDATE ON answers
BEGIN SELECT RAISE(ABORT, 'a self-check cannot be changed; save a new one'); END;
CREATE TRIGGER respondents_are_append_only BEFORE UPDATE ON respondents
BEGIN SELECT RAISE(ABORT, 'a self-check cannot be changed; save a new one'); END;
CREATE TRIGGER lesson_notes_are_append_only BEFORE UPDATE ON lesson_notes
BEGIN SELECT RAISE(ABORT, 'a self-check cannot be changed; save a new one'); END;
CREATE TRIGGER actions_are_append_only BEFORE UPDATE ON actions
BEGIN SELECT RAISE(ABORT, 'a self-check cannot be changed; save a new one'); END;
CREATE TRIGGER action_outcomes_are_append_only BEFORE UPDATE ON action_outcomes
BEGIN SELECT RAISE(ABORT, 'a self-check cannot be changed; save a new one'); END;

-- A group round in progress on this machine: members' answers wait here, out of every list and
-- figure, until the facilitator closes the round and they become one self-check (or cancels it
-- and they are gone).
CREATE TABLE sessions (
    id            TEXT PRIMARY KEY NOT NULL,
    -- The initiative: an existing one, or the details of a new one (JSON) made at the close.
    initiative_id TEXT REFERENCES initiatives (id),
    new_initiative TEXT,
    role          TEXT NOT NULL CHECK (role IN ('resident', 'professional', 'policy')),
    -- What the group said came of the actions agreed last time (JSON), asked at the start.
    outcomes      TEXT NOT NULL DEFAULT '[]',
    created_at    TEXT NOT NULL,
    CHECK ((initiative_id IS NULL) != (new_initiative IS NULL))
);
-- A member has an id of its own, so that a round carried to another machine in a bundle and
-- back merges without counting anyone twice.
CREATE TABLE session_members (
    session_id TEXT NOT NULL REFERENCES sessions (id),
    member     INTEGER NOT NULL CHECK (member BETWEEN 1 AND 30),
    id         TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('resident', 'professional', 'policy')),
    on_paper   INTEGER NOT NULL DEFAULT 0 CHECK (on_paper IN (0, 1)),
    answers    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (session_id, member),
    UNIQUE (session_id, id)
) WITHOUT ROWID;

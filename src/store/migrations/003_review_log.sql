-- The municipality's review of initiatives: an append-only log; the latest entry is the status.
CREATE TABLE review_log (
    id            TEXT PRIMARY KEY NOT NULL,
    initiative_id TEXT NOT NULL REFERENCES initiatives (id),
    from_status   TEXT NOT NULL CHECK (from_status IN ('new', 'in_review', 'published', 'needs_info', 'archived')),
    to_status     TEXT NOT NULL CHECK (to_status IN ('in_review', 'published', 'needs_info', 'archived')),
    reviewer      TEXT NOT NULL CHECK (length(reviewer) BETWEEN 1 AND 100),
    note          TEXT NOT NULL CHECK (length(note) <= 2000),
    created_at    TEXT NOT NULL
);
CREATE INDEX review_log_by_initiative ON review_log (initiative_id, created_at);

CREATE TRIGGER review_log_is_append_only BEFORE UPDATE ON review_log
BEGIN SELECT RAISE(ABORT, 'a review entry cannot be changed; add a new one'); END;
CREATE TRIGGER review_log_keeps_its_entries BEFORE DELETE ON review_log
BEGIN SELECT RAISE(ABORT, 'a review entry cannot be removed'); END;

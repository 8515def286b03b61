-- Schema 12: each initiative's latest facts, as the municipality's table shows, sorts and filters
-- them, kept current with every write like the running sums (store/facts.rs), so that a page of
-- the table reads only its own rows, however large the municipality. Derived: the store can
-- rebuild it. No row for an initiative whose details were purged (tombstoned).
-- Kept in a municipality's own order (oldest first), so that its rows lie together and a scan
-- of them reads only them.
CREATE TABLE initiative_facts (
    gm_code       TEXT NOT NULL,          -- '' outside every municipality
    created_at    TEXT NOT NULL,
    initiative_id TEXT NOT NULL REFERENCES initiatives (id),
    wk_code       TEXT,                   -- NULL outside every wijk
    name_key      TEXT NOT NULL,          -- the name in lower case (Unicode), to sort and search on
    checks        INTEGER NOT NULL,       -- visible self-checks
    latest_at     TEXT,
    bonding       REAL,                   -- of the latest visible check, unrounded
    bridging      REAL,
    linking       REAL,
    respondents   INTEGER NOT NULL,       -- who answered the latest visible check; 0 without one
    status        TEXT NOT NULL,
    status_rank   INTEGER NOT NULL,       -- where the status comes in the workflow
    source        TEXT,                   -- NULL made here; else the machine's id, '' unknown
    PRIMARY KEY (gm_code, created_at, initiative_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX initiative_facts_by_id ON initiative_facts (initiative_id);
-- The table's first sort; an entry carries the key's columns too (created_at, initiative_id).
CREATE INDEX initiative_facts_by_name ON initiative_facts (gm_code, name_key);
-- One per other sort, so that a page in the middle of a large city steps along an index instead
-- of sorting (no score, NULL, sorts below every score, as SQLite sorts NULL first).
CREATE INDEX initiative_facts_by_checks ON initiative_facts (gm_code, checks);
CREATE INDEX initiative_facts_by_latest ON initiative_facts (gm_code, latest_at);
CREATE INDEX initiative_facts_by_bonding ON initiative_facts (gm_code, bonding);
CREATE INDEX initiative_facts_by_bridging ON initiative_facts (gm_code, bridging);
CREATE INDEX initiative_facts_by_linking ON initiative_facts (gm_code, linking);
CREATE INDEX initiative_facts_by_status ON initiative_facts (gm_code, status_rank);

-- Initiatives whose running sums and facts a folder import has yet to bring up to date: each
-- file's transaction notes them, the end of the folder settles them at once (one rebuild of the
-- sort indexes instead of one per file); an import that was cut off is finished when the store
-- opens.
CREATE TABLE facts_pending (initiative_id TEXT NOT NULL);

-- Shared schema version 1 (docs/postgis-schema.md). Made by `wijkkompas sync` as the schema's
-- owner, once; after that a syncing account needs only what the documentation grants.
CREATE SCHEMA wijkkompas;

-- Which version this is, and the server's own id (a machine remembers per server what it sent).
CREATE TABLE wijkkompas.about (
    schema_version integer NOT NULL,
    server_id      uuid NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- One numbering for every record, in the order the syncs committed them (they take turns), so
-- that a machine asks only for what came after the last number it received.
CREATE SEQUENCE wijkkompas.record_seq;

CREATE TABLE wijkkompas.machines (
    id   uuid PRIMARY KEY,
    name text NOT NULL DEFAULT ''
);

-- Each record as a bundle carries it (`record`, docs/bundle-format.md), with its content hash
-- (same id, other hash: a conflict, never overwritten), the machine it was made on and the one
-- that sent it, and columns for the tools that read the database.
CREATE TABLE wijkkompas.initiatives (
    seq          bigint NOT NULL UNIQUE DEFAULT nextval('wijkkompas.record_seq'),
    id           uuid PRIMARY KEY,
    content_hash text NOT NULL,
    record       jsonb NOT NULL,
    made_on      uuid NOT NULL REFERENCES wijkkompas.machines (id),
    sent_by      uuid NOT NULL REFERENCES wijkkompas.machines (id),
    sent_at      timestamptz NOT NULL DEFAULT now(),
    name         text NOT NULL,
    gm_code      text,
    gm_name      text,
    wk_code      text,
    wk_name      text,
    created_at   timestamptz NOT NULL,
    geom         geometry(Point, 4326) NOT NULL,
    -- RD New, computed by PostGIS from the WGS84 point.
    geom_rd      geometry(Point, 28992) GENERATED ALWAYS AS (ST_Transform(geom, 28992)) STORED
);
CREATE INDEX initiatives_by_municipality ON wijkkompas.initiatives (gm_code);
CREATE INDEX initiatives_by_wijk ON wijkkompas.initiatives (wk_code);
CREATE INDEX initiatives_geom ON wijkkompas.initiatives USING gist (geom);

CREATE TABLE wijkkompas.self_checks (
    seq            bigint NOT NULL UNIQUE DEFAULT nextval('wijkkompas.record_seq'),
    id             uuid PRIMARY KEY,
    initiative_id  uuid NOT NULL REFERENCES wijkkompas.initiatives (id),
    content_hash   text NOT NULL,
    record         jsonb NOT NULL,
    made_on        uuid NOT NULL REFERENCES wijkkompas.machines (id),
    sent_by        uuid NOT NULL REFERENCES wijkkompas.machines (id),
    sent_at        timestamptz NOT NULL DEFAULT now(),
    created_at     timestamptz NOT NULL,
    score_bonding  double precision,
    score_bridging double precision,
    score_linking  double precision
);
CREATE INDEX self_checks_by_initiative ON wijkkompas.self_checks (initiative_id, created_at);

-- Append-only, as on every machine: entries are added, never changed.
CREATE TABLE wijkkompas.review_log (
    seq           bigint NOT NULL UNIQUE DEFAULT nextval('wijkkompas.record_seq'),
    id            uuid PRIMARY KEY,
    initiative_id uuid NOT NULL,
    content_hash  text NOT NULL,
    record        jsonb NOT NULL,
    made_on       uuid NOT NULL REFERENCES wijkkompas.machines (id),
    sent_by       uuid NOT NULL REFERENCES wijkkompas.machines (id),
    sent_at       timestamptz NOT NULL DEFAULT now(),
    created_at    timestamptz NOT NULL,
    to_status     text NOT NULL
);
CREATE INDEX review_log_by_initiative ON wijkkompas.review_log (initiative_id, created_at);

-- What a machine's retention purge removed: the record goes here too, and stays gone everywhere.
CREATE TABLE wijkkompas.tombstones (
    seq       bigint NOT NULL UNIQUE DEFAULT nextval('wijkkompas.record_seq'),
    id        uuid PRIMARY KEY,
    kind      text NOT NULL CHECK (kind IN ('self_check', 'initiative')),
    purged_at timestamptz NOT NULL,
    sent_by   uuid NOT NULL REFERENCES wijkkompas.machines (id),
    sent_at   timestamptz NOT NULL DEFAULT now()
);

-- For QGIS: each initiative's latest self-check, as a point layer (WGS84, and RD New in geom_rd).
CREATE VIEW wijkkompas.latest_checks AS
SELECT DISTINCT ON (c.initiative_id)
       i.id AS initiative_id, i.name, i.gm_code, i.gm_name, i.wk_code, i.wk_name,
       c.id AS check_id, c.created_at AS checked_at,
       c.score_bonding, c.score_bridging, c.score_linking,
       i.geom, i.geom_rd
FROM wijkkompas.self_checks c
JOIN wijkkompas.initiatives i ON i.id = c.initiative_id
ORDER BY c.initiative_id, c.created_at DESC, c.id DESC;

-- For BI: per municipality and per wijk and quarter (Europe/Amsterdam), the mean per strategy
-- over the latest check of each initiative in that quarter, with n. No mean below 5 initiatives,
-- so that no one's answers can be read back from it.
CREATE VIEW wijkkompas.scores_by_quarter AS
WITH latest_in_quarter AS (
    SELECT DISTINCT ON (c.initiative_id, q.quarter)
           c.initiative_id, q.quarter, i.gm_code, i.gm_name, i.wk_code, i.wk_name,
           c.score_bonding, c.score_bridging, c.score_linking
    FROM wijkkompas.self_checks c
    JOIN wijkkompas.initiatives i ON i.id = c.initiative_id
    CROSS JOIN LATERAL (
        SELECT to_char(c.created_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY') || '-Q' ||
               to_char(c.created_at AT TIME ZONE 'Europe/Amsterdam', 'Q') AS quarter
    ) q
    ORDER BY c.initiative_id, q.quarter, c.created_at DESC, c.id DESC
), areas AS (
    SELECT 'municipality'::text AS level, gm_code AS code, gm_name AS name, quarter, score_bonding, score_bridging, score_linking
    FROM latest_in_quarter WHERE gm_code IS NOT NULL
    UNION ALL
    SELECT 'wijk', wk_code, wk_name, quarter, score_bonding, score_bridging, score_linking
    FROM latest_in_quarter WHERE wk_code IS NOT NULL
)
SELECT level, code, max(name) AS name, quarter, count(*) AS initiatives,
       CASE WHEN count(score_bonding) >= 5 THEN round(avg(score_bonding)::numeric, 1) END AS bonding,
       count(score_bonding) AS bonding_n,
       CASE WHEN count(score_bridging) >= 5 THEN round(avg(score_bridging)::numeric, 1) END AS bridging,
       count(score_bridging) AS bridging_n,
       CASE WHEN count(score_linking) >= 5 THEN round(avg(score_linking)::numeric, 1) END AS linking,
       count(score_linking) AS linking_n
FROM areas
GROUP BY level, code, quarter;

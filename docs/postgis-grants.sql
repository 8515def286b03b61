-- What an account that syncs needs on the shared schema, granted once by the schema's owner
-- (docs/postgis-schema.md). In psql: \set syncer alice, then \i docs/postgis-grants.sql
GRANT USAGE ON SCHEMA wijkkompas TO :syncer;
GRANT SELECT ON ALL TABLES IN SCHEMA wijkkompas TO :syncer;
GRANT INSERT ON wijkkompas.machines, wijkkompas.initiatives, wijkkompas.self_checks, wijkkompas.review_log, wijkkompas.tombstones TO :syncer;
-- A machine's new name replaces its old one.
GRANT UPDATE (name) ON wijkkompas.machines TO :syncer;
-- Erasures remove a record everywhere (wijkkompas erase).
GRANT DELETE ON wijkkompas.initiatives, wijkkompas.self_checks TO :syncer;
GRANT USAGE ON SEQUENCE wijkkompas.record_seq TO :syncer;

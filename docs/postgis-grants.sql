-- What an account that syncs needs on the shared schema, granted once by the schema's owner
-- (docs/postgis-schema.md). In psql: \set syncer alice, then \i docs/postgis-grants.sql
GRANT USAGE ON SCHEMA wijkkompas TO :syncer;
GRANT SELECT ON ALL TABLES IN SCHEMA wijkkompas TO :syncer;
GRANT INSERT ON wijkkompas.machines, wijkkompas.initiatives, wijkkompas.self_checks, wijkkompas.review_log, wijkkompas.tombstones TO :syncer;
-- A machine's new name replaces its old one; an account claims the machine it first sends as
-- (the server refuses any other change of it: schema version 3).
GRANT UPDATE (name, role) ON wijkkompas.machines TO :syncer;
-- Erasures remove a record everywhere (wijkkompas erase).
GRANT DELETE ON wijkkompas.initiatives, wijkkompas.self_checks TO :syncer;
GRANT USAGE ON SEQUENCE wijkkompas.record_seq TO :syncer;

-- Shared schema version 2: only erasures travel. A retention purge is one machine's own policy
-- (docs/postgis-schema.md says how the server's owner sets a retention for the server itself);
-- in version 1 a machine's purge also removed the records here and on every other machine.
-- Every tombstone version 1 took in came from such a purge: they are withdrawn, and so that the
-- records they removed here can be sent again by the machines that still hold them, the server
-- takes a new id: each machine then sends all it holds and receives all there is once more (what
-- is here already is skipped, nothing is doubled).
DELETE FROM wijkkompas.tombstones;
UPDATE wijkkompas.about SET server_id = gen_random_uuid();
COMMENT ON TABLE wijkkompas.tombstones IS
    'Erasures: records removed on request everywhere (wijkkompas erase). Never retention.';

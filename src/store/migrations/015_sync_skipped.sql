-- Schema 15: rows of a shared database that a sync left out because they break a rule of import
-- (src/sync). The received mark passes them, so they are remembered here: every sync asks the
-- server for them again and lists them until the server holds a version that can be taken in.
CREATE TABLE sync_skipped (
    -- The server's key, as in sync_servers.
    server TEXT NOT NULL,
    -- The server's table: initiatives, self_checks or review_log.
    kind   TEXT NOT NULL,
    id     TEXT NOT NULL,
    -- The row's number on the server when it was last looked at.
    seq    INTEGER NOT NULL,
    -- The rule it breaks, as a problem (JSON), worded in the reader's language when shown.
    reason TEXT NOT NULL,
    PRIMARY KEY (server, kind, id)
) WITHOUT ROWID;

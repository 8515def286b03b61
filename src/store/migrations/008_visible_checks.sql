-- Schema 8: the one definition of a visible self-check: not marked by the retention purge (a
-- marked check waits out its grace period hidden). Every query that shows or counts checks reads
-- this view, so the rule is written once.
CREATE VIEW visible_checks AS
    SELECT * FROM self_checks WHERE id NOT IN (SELECT check_id FROM purge_marks);

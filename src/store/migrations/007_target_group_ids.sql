-- Schema 7: target groups are kept as ids (data/target-groups.json), not as the label of the
-- screen's language. The change of the stored values is made in Rust, in the same transaction
-- (store::normalise_target_groups): labels in either language become ids, other text is kept as
-- "other:" and the text.
SELECT 1;

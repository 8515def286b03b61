/*! Each initiative's latest facts (visible checks, latest check's time, scores and respondents,
review status, where it came from, its name in lower case), kept in `initiative_facts` as the
running sums are kept in `score_sums`: brought up to date for the initiatives a write touches, in
the same transaction. The municipality's table then filters, sorts and cuts out a page in SQL and
reads only that page's rows: 100,000 initiatives in one city cost a page what 100 do. */
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};

use super::StoreError;
use crate::model::ReviewStatus;

/// Where a status comes in the workflow (the order the table sorts on).
pub(crate) fn workflow_rank(status: ReviewStatus) -> i64 {
    match status {
        ReviewStatus::New => 0,
        ReviewStatus::InReview => 1,
        ReviewStatus::NeedsInfo => 2,
        ReviewStatus::Published => 3,
        ReviewStatus::Archived => 4,
    }
}

/// The sort indexes (migration 12), dropped and made again around a large refresh.
const SORT_INDEXES: [(&str, &str); 7] = [
    ("initiative_facts_by_name", "name_key"),
    ("initiative_facts_by_checks", "checks"),
    ("initiative_facts_by_latest", "latest_at"),
    ("initiative_facts_by_bonding", "bonding"),
    ("initiative_facts_by_bridging", "bridging"),
    ("initiative_facts_by_linking", "linking"),
    ("initiative_facts_by_status", "status_rank"),
];

/// From how many changed initiatives on a refresh makes the sort indexes anew (one sort each)
/// instead of keeping them up to date row by row: when more than a quarter of all rows change.
fn rebuild_indexes(conn: &Connection, changed: usize) -> Result<bool, StoreError> {
    if changed < 2_000 {
        return Ok(false);
    }
    let rows: i64 = conn.query_row("SELECT count(*) FROM initiative_facts", [], |r| r.get(0))?;
    Ok(changed as i64 * 4 > rows)
}

/// Brings these initiatives' facts up to date (a purged one's are removed).
pub(crate) fn refresh<S: AsRef<str>>(
    conn: &Connection,
    initiative_ids: &[S],
) -> Result<(), StoreError> {
    let bulk = rebuild_indexes(conn, initiative_ids.len())?;
    if bulk {
        for (name, _) in SORT_INDEXES {
            conn.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
        }
    }
    refresh_rows(conn, initiative_ids)?;
    if bulk {
        for (name, column) in SORT_INDEXES {
            conn.execute_batch(&format!(
                "CREATE INDEX {name} ON initiative_facts (gm_code, {column})"
            ))?;
        }
    }
    Ok(())
}

fn refresh_rows<S: AsRef<str>>(conn: &Connection, initiative_ids: &[S]) -> Result<(), StoreError> {
    // One look for what is worked out here: the name (lower case in Unicode), whether it was
    // purged, and the latest review status (its rank is the workflow's).
    let mut name_of = conn.prepare_cached(
        "SELECT i.name, i.id IN (SELECT id FROM tombstones),
                (SELECT r.to_status FROM review_log r WHERE r.initiative_id = i.id ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1)
         FROM initiatives i WHERE i.id = ?1",
    )?;
    let mut forget =
        conn.prepare_cached("DELETE FROM initiative_facts WHERE initiative_id = ?1")?;
    let mut write = conn.prepare_cached(
        "INSERT OR REPLACE INTO initiative_facts
            (initiative_id, gm_code, wk_code, name_key, created_at, checks, latest_at, bonding, bridging, linking, respondents, status, status_rank, source)
         SELECT i.id, coalesce(i.gm_code, ''), i.wk_code, ?2, i.created_at,
                (SELECT count(*) FROM visible_checks c WHERE c.initiative_id = i.id),
                lc.created_at, lc.score_bonding, lc.score_bridging, lc.score_linking,
                (SELECT count(*) FROM respondents p WHERE p.check_id = lc.id),
                ?3, ?4,
                CASE WHEN i.import_id IS NULL THEN NULL ELSE coalesce(i.made_on, '') END
         FROM initiatives i
         LEFT JOIN self_checks lc ON lc.id = (SELECT id FROM visible_checks v WHERE v.initiative_id = i.id ORDER BY v.created_at DESC, v.id DESC LIMIT 1)
         WHERE i.id = ?1",
    )?;
    for id in initiative_ids {
        let id = id.as_ref();
        let Some((name, purged, status)) = name_of
            .query_row([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, bool>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .optional()?
        else {
            continue;
        };
        if purged {
            forget.execute([id])?;
            continue;
        }
        let status = status
            .as_deref()
            .and_then(ReviewStatus::parse)
            .unwrap_or(ReviewStatus::New);
        write.execute(params![
            id,
            name.to_lowercase(),
            status.as_str(),
            workflow_rank(status)
        ])?;
    }
    Ok(())
}

/// Notes initiatives whose running sums and facts are to be brought up to date later
/// ([`catch_up`]).
pub(crate) fn defer<S: AsRef<str>>(
    conn: &Connection,
    initiative_ids: &[S],
) -> Result<(), StoreError> {
    let mut note = conn.prepare_cached("INSERT INTO facts_pending (initiative_id) VALUES (?1)")?;
    for id in initiative_ids {
        note.execute([id.as_ref()])?;
    }
    Ok(())
}

/// Brings the sums and facts noted by [`defer`] up to date, all at once; true when there were any.
/// `known` holds shares already scored (by the files of the folder that deferred them).
pub(crate) fn catch_up(
    conn: &Connection,
    known: &super::aggregates::Known,
) -> Result<bool, StoreError> {
    let ids: Vec<String> = conn
        .prepare("SELECT DISTINCT initiative_id FROM facts_pending")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(false);
    }
    // The running sums first (an initiative whose latest check did not change is left as it is).
    super::aggregates::refresh_knowing(conn, &ids, known)?;
    refresh(conn, &ids)?;
    conn.execute("DELETE FROM facts_pending", [])?;
    Ok(true)
}

/// Computes every initiative's facts anew (after the migration that introduced them).
pub(crate) fn rebuild(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM initiative_facts", [])?;
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM initiatives")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    refresh(conn, &ids)
}

/// Which of a municipality's initiatives a table shows.
pub(crate) struct Filter<'a> {
    pub municipality: &'a str,
    pub status: Option<ReviewStatus>,
    /// A wijk's CBS code; "" for the initiatives outside every wijk.
    pub wijk: Option<&'a str>,
    /// A machine's id ("" for files that named none); this machine's id takes its own records.
    pub source: Option<&'a str>,
    /// Lower-cased words that must all occur in the name.
    pub words: Vec<String>,
}

/// The columns the table sorts on.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Order {
    Name,
    Checks,
    Latest,
    Score(crate::model::Strategy),
    Status,
}

impl Filter<'_> {
    /// The WHERE clause over `initiative_facts f`, and its values in order.
    fn clause(&self, here: &str) -> (String, Vec<Value>) {
        let text = |s: &str| Value::Text(s.to_string());
        let mut sql = String::from("f.gm_code = ?");
        let mut values = vec![text(self.municipality)];
        if let Some(s) = self.status {
            sql.push_str(" AND f.status = ?");
            values.push(text(s.as_str()));
        }
        match self.wijk {
            None => {}
            Some("") => sql.push_str(" AND f.wk_code IS NULL"),
            Some(code) => {
                sql.push_str(" AND f.wk_code = ?");
                values.push(text(code));
            }
        }
        if let Some(key) = self.source {
            // This machine's own records have no source row; its id may also come back on one.
            sql.push_str(if key == here {
                " AND (f.source IS NULL OR f.source = ?)"
            } else {
                " AND f.source = ?"
            });
            values.push(text(key));
        }
        for w in &self.words {
            sql.push_str(" AND instr(f.name_key, ?) > 0");
            values.push(text(w));
        }
        (sql, values)
    }
}

impl Order {
    fn sql(self, descending: bool) -> String {
        let column = match self {
            Order::Name => "f.name_key",
            Order::Checks => "f.checks",
            Order::Latest => "f.latest_at",
            // No score (NULL) sorts below every score: SQLite sorts NULL first.
            Order::Score(crate::model::Strategy::Bonding) => "f.bonding",
            Order::Score(crate::model::Strategy::Bridging) => "f.bridging",
            Order::Score(crate::model::Strategy::Linking) => "f.linking",
            Order::Status => "f.status_rank",
        };
        // Ties in the rows' own order (oldest first), so that paging through equal values
        // neither skips nor repeats a row; descending is the exact reverse of ascending, so that
        // a page far down is the reverse of a page near the other end (see `page`).
        let dir = if descending { "DESC" } else { "ASC" };
        format!("{column} {dir}, f.created_at {dir}, f.initiative_id {dir}")
    }
}

/// The columns a row of the table is read from: the initiative, its facts, its source.
fn row_sql(where_clause: &str, order: &str, tail: &str) -> String {
    format!(
        "SELECT i.id, i.name, i.description, i.lat, i.lon, i.gm_code, i.gm_name, i.pv_code, i.pv_name, i.target_groups, i.created_at, i.wk_code, i.wk_name,
                f.checks, f.latest_at, f.bonding, f.bridging, f.linking, f.respondents, f.status, {}
         FROM initiative_facts f JOIN initiatives i ON i.id = f.initiative_id {}
         WHERE {where_clause} ORDER BY {order} {tail}",
        super::provenance::source_columns("i"),
        super::provenance::source_joins("i"),
    )
}

fn read_rows(
    conn: &Connection,
    sql: &str,
    values: &[Value],
) -> Result<Vec<super::AreaRow>, StoreError> {
    let here = super::provenance::this_machine(conn)?;
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
        let latest_at: Option<String> = r.get(14)?;
        let status: String = r.get(19)?;
        Ok(super::AreaRow {
            initiative: super::initiative_from_row(r)?,
            checks: r.get(13)?,
            scores: latest_at
                .is_some()
                .then(|| -> rusqlite::Result<crate::model::StrategyScores> {
                    Ok(crate::model::StrategyScores {
                        bonding: r.get(15)?,
                        bridging: r.get(16)?,
                        linking: r.get(17)?,
                    })
                })
                .transpose()?,
            latest_at,
            respondents: r.get(18)?,
            status: ReviewStatus::parse(&status).unwrap_or(ReviewStatus::New),
            source: super::provenance::source_from_row(r, 20, &here)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every initiative of a municipality, oldest first.
pub(crate) fn all_rows(
    conn: &Connection,
    municipality: &str,
) -> Result<Vec<super::AreaRow>, StoreError> {
    read_rows(
        conn,
        &row_sql("f.gm_code = ?", "f.created_at, f.initiative_id", ""),
        &[Value::Text(municipality.to_string())],
    )
}

/// How many initiatives pass the filter.
pub(crate) fn count(conn: &Connection, filter: &Filter<'_>) -> Result<u32, StoreError> {
    let here = super::provenance::this_machine(conn)?.id;
    let (clause, values) = filter.clause(&here);
    Ok(conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM initiative_facts f WHERE {clause}"
        ))?
        .query_row(rusqlite::params_from_iter(&values), |r| r.get(0))?)
}

/// One page of the `matching` rows that pass the filter, sorted. The page's ids are chosen from
/// the facts alone; only those rows are then read whole. SQLite keeps only offset + limit rows
/// while it sorts, so a page in the second half is read from the other end, in the other
/// direction, and turned round: the last page costs what the first does.
pub(crate) fn page(
    conn: &Connection,
    filter: &Filter<'_>,
    order: Order,
    descending: bool,
    offset: u32,
    limit: u32,
    matching: u32,
) -> Result<Vec<super::AreaRow>, StoreError> {
    let here = super::provenance::this_machine(conn)?.id;
    let (clause, mut values) = filter.clause(&here);
    let from_end = offset > matching / 2;
    let (offset, limit) = if from_end {
        let end = (offset + limit).min(matching);
        (matching - end, end.saturating_sub(offset))
    } else {
        (offset, limit)
    };
    values.push(Value::Integer(limit.into()));
    values.push(Value::Integer(offset.into()));
    let chosen = format!("f.initiative_id IN (SELECT f.initiative_id FROM initiative_facts f WHERE {clause} ORDER BY {} LIMIT ? OFFSET ?)", order.sql(descending != from_end));
    read_rows(conn, &row_sql(&chosen, &order.sql(descending), ""), &values)
}

/// The ids of every initiative that passes the filter, oldest first.
pub(crate) fn ids(conn: &Connection, filter: &Filter<'_>) -> Result<Vec<String>, StoreError> {
    let here = super::provenance::this_machine(conn)?.id;
    let (clause, values) = filter.clause(&here);
    let mut stmt = conn.prepare_cached(&format!("SELECT f.initiative_id FROM initiative_facts f WHERE {clause} ORDER BY f.created_at, f.initiative_id"))?;
    let ids = stmt.query_map(rusqlite::params_from_iter(&values), |r| r.get(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::catalog::catalog;
    use crate::model::Role;
    use crate::store::{CheckTarget, NewCheck, NewInitiative, Store};

    fn snapshot(store: &Store) -> Vec<Vec<Value>> {
        let conn = store.connection();
        let mut stmt = conn
            .prepare("SELECT * FROM initiative_facts ORDER BY initiative_id")
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, Value>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    }

    /// What every write left in the table equals what a rebuild from the records computes.
    fn assert_current(store: &mut Store, after: &str) {
        let kept = snapshot(store);
        store.write(|tx| rebuild(tx)).unwrap();
        assert_eq!(kept, snapshot(store), "after {after}");
    }

    fn place(name: &str, lat: f64) -> NewInitiative {
        NewInitiative {
            name: name.into(),
            description: None,
            lat,
            lon: 5.12,
            location: crate::geo::geography().locate(lat, 5.12).unwrap(),
            target_groups: vec![],
        }
    }

    fn answers(v: u8) -> crate::model::Answers {
        catalog()
            .statements()
            .map(|s| (s.id.clone(), Some(v)))
            .collect()
    }

    #[test]
    fn the_facts_follow_every_write() {
        let mut store = Store::open_in_memory().unwrap();
        let (tuin, _) = store
            .save_check(
                CheckTarget::New(&place("Buurttuin Öst", 52.09)),
                &NewCheck::single(Role::Resident, answers(4)),
            )
            .unwrap();
        let (kamer, _) = store
            .save_check(
                CheckTarget::New(&place("Buurtkamer", 52.091)),
                &NewCheck::single(Role::Resident, answers(2)),
            )
            .unwrap();
        assert_current(&mut store, "two new checks");
        store
            .save_check(
                CheckTarget::Existing(&tuin.id),
                &NewCheck::single(Role::Professional, answers(5)),
            )
            .unwrap();
        assert_current(&mut store, "a repeat");
        store
            .add_reviews(&[&tuin.id, &kamer.id], ReviewStatus::InReview, "Anna", "")
            .unwrap();
        assert_current(&mut store, "two reviews");

        // From another machine: new initiatives, a check for one of ours, a review.
        let mut other = Store::open_in_memory().unwrap();
        other
            .save_check(
                CheckTarget::New(&place("Taalcafé", 52.092)),
                &NewCheck::single(Role::Resident, answers(3)),
            )
            .unwrap();
        let bundle =
            serde_json::to_string(&crate::exchange::export_bundle(&other, None).unwrap()).unwrap();
        crate::exchange::import_bundle(&mut store, &bundle, &mut |_, _| {}).unwrap();
        assert_current(&mut store, "an import");
        let name_key: String = store.connection().query_row("SELECT name_key FROM initiative_facts f JOIN initiatives i ON i.id = f.initiative_id WHERE i.name = 'Buurttuin Öst'", [], |r| r.get(0)).unwrap();
        assert_eq!(name_key, "buurttuin öst", "lower case beyond ASCII");

        // The purge: everything older than the cutoff is marked (hidden), later removed.
        let later = time::OffsetDateTime::now_utc() + time::Duration::days(800);
        crate::safety::retention::purge(&mut store, 12, later).unwrap();
        assert_current(&mut store, "marking");
        crate::safety::retention::purge(&mut store, 12, later + time::Duration::days(60)).unwrap();
        assert_current(&mut store, "removal");
        assert_eq!(
            snapshot(&store).len(),
            0,
            "every initiative's details were purged: no facts left"
        );
    }

    #[test]
    fn a_folder_import_cut_off_after_a_file_is_finished_when_the_store_opens() {
        let dir = tempfile::tempdir().unwrap();
        let mut other = Store::open_in_memory().unwrap();
        other
            .save_check(
                CheckTarget::New(&place("Taalcafé", 52.092)),
                &NewCheck::single(Role::Resident, answers(3)),
            )
            .unwrap();
        let file = dir.path().join("centre.json");
        std::fs::write(
            &file,
            serde_json::to_string(&crate::exchange::export_bundle(&other, None).unwrap()).unwrap(),
        )
        .unwrap();
        let path = dir.path().join("w.db");
        {
            let mut store = Store::open(&path).unwrap();
            crate::exchange::import_path(
                &mut store,
                &file,
                None,
                Some(&mut crate::store::aggregates::Known::default()),
                &mut |_, _| {},
            )
            .unwrap();
            // Cut off here: the file is in, its facts only noted.
            assert_eq!(snapshot(&store).len(), 0);
        }
        let mut store = Store::open(&path).unwrap();
        let pending: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM facts_pending", [], |r| r.get(0))
            .unwrap();
        assert_eq!(pending, 0);
        assert_eq!(
            snapshot(&store).len(),
            1,
            "the facts were brought up to date on opening"
        );
        assert_current(&mut store, "the catch-up");
        let sums = crate::municipality::stats::stats(&store, None).unwrap();
        assert_eq!(
            (
                sums.initiatives,
                sums.strategies.get("bonding").map(|s| s.n)
            ),
            (1, Some(1)),
            "and the running sums"
        );
        store
            .write(|tx| super::super::aggregates::rebuild(tx))
            .unwrap();
        assert_eq!(
            crate::municipality::stats::stats(&store, None).unwrap(),
            sums,
            "as a rebuild computes them"
        );
    }

    /// A folder settles the sums with the shares its files scored on the way in: the newest
    /// check of each initiative counts, whichever file brought it.
    #[test]
    fn a_folder_settles_the_sums_as_a_rebuild_computes_them() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("in");
        std::fs::create_dir(&folder).unwrap();
        let mut other = Store::open_in_memory().unwrap();
        let (cafe, _) = other
            .save_check(
                CheckTarget::New(&place("Taalcafé", 52.092)),
                &NewCheck::single(Role::Resident, answers(3)),
            )
            .unwrap();
        other
            .save_check(
                CheckTarget::New(&place("Repair Café", 52.093)),
                &NewCheck::single(Role::Resident, answers(4)),
            )
            .unwrap();
        let mut whole =
            serde_json::to_value(crate::exchange::export_bundle(&other, None).unwrap()).unwrap();
        for c in whole["self_checks"].as_array_mut().unwrap() {
            c["created_at"] = serde_json::json!("2020-01-01T10:00:00Z");
        }
        // Three files: the first with everything, the second with a newer check of the Taalcafé,
        // the third with an older one (a later file, an earlier check).
        let check = |id: &str, at: &str, value: u8| {
            let mut c = whole["self_checks"][0].clone();
            if c["initiative_id"] != serde_json::json!(cafe.id) {
                c = whole["self_checks"][1].clone();
            }
            c["id"] = serde_json::json!(id);
            c["created_at"] = serde_json::json!(at);
            c["answers"] = serde_json::to_value(answers(value)).unwrap();
            c
        };
        let with_checks = |checks: Vec<serde_json::Value>| {
            let mut b = whole.clone();
            b["self_checks"] = serde_json::Value::Array(checks);
            serde_json::to_string(&b).unwrap()
        };
        std::fs::write(
            folder.join("a.json"),
            serde_json::to_string(&whole).unwrap(),
        )
        .unwrap();
        std::fs::write(
            folder.join("b.json"),
            with_checks(vec![check(
                "7f0c1a52-1d4e-4c55-9a0b-2f1e3d4c5b6a",
                "2024-01-01T10:00:00Z",
                5,
            )]),
        )
        .unwrap();
        std::fs::write(
            folder.join("c.json"),
            with_checks(vec![check(
                "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                "2001-01-01T10:00:00Z",
                1,
            )]),
        )
        .unwrap();

        let mut store = Store::open_in_memory().unwrap();
        let summary =
            crate::exchange::folder::import_folder(&mut store, &folder, None, &mut |_| {}).unwrap();
        assert_eq!(
            (summary.rejected, summary.added),
            (0, 6),
            "{:?}",
            summary.files
        );
        let settled = crate::municipality::stats::stats(&store, None).unwrap();
        assert_eq!(settled.strategies.get("bonding").map(|s| s.n), Some(2));
        store
            .write(|tx| super::super::aggregates::rebuild(tx))
            .unwrap();
        assert_eq!(
            crate::municipality::stats::stats(&store, None).unwrap(),
            settled,
            "the newest check of each initiative, as a rebuild finds it"
        );
        let latest: String = store
            .connection()
            .query_row(
                "SELECT check_id FROM latest_checks WHERE initiative_id = ?1",
                [&cafe.id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(latest, "7f0c1a52-1d4e-4c55-9a0b-2f1e3d4c5b6a");
    }
}

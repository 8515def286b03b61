/*! Running sums over each initiative's latest visible self-check, per municipality and per wijk.

Statistics need, per strategy and lesson, the count, mean and spread of the latest scores, and how
often each lesson is among the three weakest. Summing those over 100,000 self-checks on every view
is too slow for a municipality screen, so the store keeps the sums (and sums of squares) per
municipality and adjusts them whenever an initiative's latest check changes: a new check, an
import, a purge mark. A whole-country figure is then a sum over a few hundred rows. What each
initiative adds is recorded with it, so taking it out again is exact and needs no old answers.
The same sums are kept per wijk (`wijk_score_sums`), so a wijk's figures cost the same. */
use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::StoreError;
use crate::content::catalog::catalog;
use crate::content::scoring;
use crate::model;
use crate::model::Strategy;

/// What one self-check adds to the sums: a score per part, and its three weakest lessons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
struct Contribution {
    scores: BTreeMap<String, f64>,
    weakest: Vec<String>,
}

/// The sums of one part (a strategy or a lesson) over the latest checks in scope.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct PartSums {
    pub n: u32,
    pub total: f64,
    pub squares: f64,
    pub weakest: u32,
}

/// The parts the sums are kept for: the strategies (in [`Strategy::ALL`]'s order), then the
/// lessons in the catalog's order.
fn parts() -> &'static [String] {
    static PARTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    PARTS.get_or_init(|| {
        Strategy::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .chain(catalog().lessons.iter().map(|l| l.id.clone()))
            .collect()
    })
}

fn part_index(name: &str) -> Option<usize> {
    parts().iter().position(|p| p == name)
}

/// A [`Contribution`] by part index: what the sums work with, without a string per part.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Shares {
    scores: Vec<Option<f64>>,
    weakest: Vec<u8>,
}

impl Shares {
    /// A check's share, from its scores (the group's, as [`crate::store::StoredCheck::assessment`] gives them).
    pub(crate) fn of(a: &model::Assessment) -> Shares {
        let mut scores: Vec<Option<f64>> =
            Strategy::ALL.iter().map(|s| a.strategies.get(*s)).collect();
        scores.extend(catalog().lessons.iter().map(|l| {
            a.lessons
                .iter()
                .find(|x| x.id == l.id)
                .and_then(|x| x.score)
        }));
        let weakest = model::weakest_lessons(a, 3)
            .into_iter()
            .filter_map(part_index)
            .map(|i| i as u8)
            .collect();
        Shares { scores, weakest }
    }

    fn from_contribution(c: &Contribution) -> Shares {
        let mut scores = vec![None; parts().len()];
        for (part, v) in &c.scores {
            if let Some(i) = part_index(part) {
                scores[i] = Some(*v);
            }
        }
        Shares {
            scores,
            weakest: c
                .weakest
                .iter()
                .filter_map(|l| part_index(l))
                .map(|i| i as u8)
                .collect(),
        }
    }

    fn contribution(&self) -> Contribution {
        let names = parts();
        Contribution {
            scores: self
                .scores
                .iter()
                .enumerate()
                .filter_map(|(i, v)| Some((names[i].clone(), (*v)?)))
                .collect(),
            weakest: self
                .weakest
                .iter()
                .map(|i| names[*i as usize].clone())
                .collect(),
        }
    }
}

/// At most this many initiatives' shares are kept (some 250 bytes each, so about 12 MB): memory
/// stays bounded however large an import is; beyond it, answers are read back as before.
const KNOWN_MAX: usize = 50_000;

/// An initiative's newest check seen in the batch, compactly: its time and id, its scores by part
/// (NaN for none) and its weakest lessons (255 for none).
struct KnownShare {
    created_at: Box<str>,
    check: u128,
    scores: Box<[f64]>,
    weakest: [u8; 3],
}

impl KnownShare {
    fn new(created_at: &str, check: u128, shares: Shares) -> Self {
        let mut weakest = [u8::MAX; 3];
        for (w, i) in weakest.iter_mut().zip(shares.weakest) {
            *w = i;
        }
        KnownShare {
            created_at: created_at.into(),
            check,
            scores: shares
                .scores
                .iter()
                .map(|v| v.unwrap_or(f64::NAN))
                .collect(),
            weakest,
        }
    }

    fn shares(&self) -> Shares {
        Shares {
            scores: self
                .scores
                .iter()
                .map(|v| (!v.is_nan()).then_some(*v))
                .collect(),
            weakest: self
                .weakest
                .iter()
                .copied()
                .filter(|w| *w != u8::MAX)
                .collect(),
        }
    }

    fn is_older_than(&self, created_at: &str, check: u128) -> bool {
        (created_at, check) > (&*self.created_at, self.check)
    }
}

/// Shares already scored in this batch (an import's new checks), so that settling the sums need
/// not read their answers back: per initiative, the newest check seen, by the order
/// `visible_checks` is read in (created_at, then id; ids are UUIDs, whose order as numbers is
/// their order as text).
#[derive(Default)]
pub(crate) struct Known(std::collections::HashMap<u128, KnownShare>);

fn uuid_number(id: &str) -> Option<u128> {
    uuid::Uuid::parse_str(id).ok().map(|u| u.as_u128())
}

impl Known {
    /// Notes a new check's share; `a` is its assessment.
    pub(crate) fn note(
        &mut self,
        initiative_id: &str,
        check_id: &str,
        created_at: &str,
        a: &model::Assessment,
    ) {
        let (Some(initiative), Some(check)) = (uuid_number(initiative_id), uuid_number(check_id))
        else {
            return;
        };
        let room = self.0.len() < KNOWN_MAX;
        match self.0.get_mut(&initiative) {
            Some(known) if known.is_older_than(created_at, check) => {
                *known = KnownShare::new(created_at, check, Shares::of(a))
            }
            Some(_) => {}
            None if room => {
                self.0.insert(
                    initiative,
                    KnownShare::new(created_at, check, Shares::of(a)),
                );
            }
            None => {}
        }
    }

    /// Takes in what another batch (a file that was committed) noted.
    pub(crate) fn merge(&mut self, other: Known) {
        for (initiative, share) in other.0 {
            let room = self.0.len() < KNOWN_MAX;
            match self.0.get_mut(&initiative) {
                Some(known) if known.is_older_than(&share.created_at, share.check) => {
                    *known = share
                }
                Some(_) => {}
                None if room => {
                    self.0.insert(initiative, share);
                }
                None => {}
            }
        }
    }

    fn share(&self, initiative_id: &str, check_id: &str) -> Option<Shares> {
        let known = self.0.get(&uuid_number(initiative_id)?)?;
        (Some(known.check) == uuid_number(check_id)).then(|| known.shares())
    }
}

/// Which sums a change goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Municipality,
    Wijk,
}

/// One part's change: (count, total, squares, among the weakest), and whether anything touched it.
type PartDelta = (i64, f64, f64, i64, bool);

/// Changes to the sums, gathered in memory per area (by level) and part, written once each.
#[derive(Default)]
struct Deltas([std::collections::HashMap<String, Vec<PartDelta>>; 2]);

impl Deltas {
    fn add(&mut self, level: Level, code: &str, c: &Shares, sign: i64) {
        let areas = &mut self.0[level as usize];
        if !areas.contains_key(code) {
            areas.insert(code.to_string(), vec![PartDelta::default(); parts().len()]);
        }
        let area = areas.get_mut(code).expect("just made");
        for (d, v) in area.iter_mut().zip(&c.scores) {
            if let Some(v) = v {
                d.0 += sign;
                d.1 += sign as f64 * v;
                d.2 += sign as f64 * v * v;
                d.4 = true;
            }
        }
        for i in &c.weakest {
            let d = &mut area[*i as usize];
            d.3 += sign;
            d.4 = true;
        }
    }

    /// An initiative's share: its municipality's ('' for none) and its wijk's, if it has one.
    fn add_initiative(&mut self, gm_code: &str, wk_code: &str, c: &Shares, sign: i64) {
        self.add(Level::Municipality, gm_code, c, sign);
        if !wk_code.is_empty() {
            self.add(Level::Wijk, wk_code, c, sign);
        }
    }

    fn write(self, conn: &Connection) -> Result<(), StoreError> {
        let mut municipal = conn.prepare_cached(
            "INSERT INTO score_sums (gm_code, part, n, total, squares, weakest) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (gm_code, part) DO UPDATE SET n = n + ?3, total = total + ?4, squares = squares + ?5, weakest = weakest + ?6",
        )?;
        let mut wijk = conn.prepare_cached(
            "INSERT INTO wijk_score_sums (wk_code, part, n, total, squares, weakest) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (wk_code, part) DO UPDATE SET n = n + ?3, total = total + ?4, squares = squares + ?5, weakest = weakest + ?6",
        )?;
        let [by_municipality, by_wijk] = self.0;
        for (upsert, areas) in [(&mut municipal, by_municipality), (&mut wijk, by_wijk)] {
            // In a fixed order, so that two runs write the same rows the same way.
            let mut areas: Vec<_> = areas.into_iter().collect();
            areas.sort_by(|a, b| a.0.cmp(&b.0));
            for (code, deltas) in areas {
                for (part, (n, total, squares, weakest, touched)) in parts().iter().zip(deltas) {
                    if touched {
                        upsert.execute(params![code, part, n, total, squares, weakest])?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Brings these initiatives' shares of the sums up to date with their latest visible checks.
pub(crate) fn refresh<S: AsRef<str>>(
    conn: &Connection,
    initiative_ids: &[S],
) -> Result<(), StoreError> {
    refresh_knowing(conn, initiative_ids, &Known::default())
}

/// [`refresh`], taking a check's share from `known` where it is there rather than scoring its
/// answers again.
pub(crate) fn refresh_knowing<S: AsRef<str>>(
    conn: &Connection,
    initiative_ids: &[S],
    known: &Known,
) -> Result<(), StoreError> {
    let mut deltas = Deltas::default();
    // One look per initiative: its areas, its latest visible check, and what the sums hold of it.
    let mut state_of = conn.prepare_cached(
        "SELECT coalesce(i.gm_code, ''), coalesce(i.wk_code, ''),
                (SELECT v.id FROM visible_checks v WHERE v.initiative_id = i.id ORDER BY v.created_at DESC, v.id DESC LIMIT 1),
                r.check_id, r.gm_code, r.wk_code, r.contribution
         FROM initiatives i LEFT JOIN latest_checks r ON r.initiative_id = i.id
         WHERE i.id = ?1",
    )?;
    let mut recorded_only = conn.prepare_cached("SELECT check_id, gm_code, wk_code, contribution FROM latest_checks WHERE initiative_id = ?1")?;
    let mut forget = conn.prepare_cached("DELETE FROM latest_checks WHERE initiative_id = ?1")?;
    let mut record = conn.prepare_cached("INSERT INTO latest_checks (initiative_id, check_id, gm_code, wk_code, contribution) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    type Recorded = (String, String, String, String);
    for id in initiative_ids {
        let id = id.as_ref();
        let state = state_of
            .query_row([id], |r| {
                let recorded = match r.get::<_, Option<String>>(3)? {
                    Some(check) => Some((check, r.get(4)?, r.get(5)?, r.get(6)?)),
                    None => None,
                };
                Ok((
                    (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                    r.get::<_, Option<String>>(2)?,
                    recorded,
                ))
            })
            .optional()?;
        // An initiative that is gone (purged) has no latest check; what the sums hold of it goes.
        let (areas, latest, recorded): (
            Option<(String, String)>,
            Option<String>,
            Option<Recorded>,
        ) = match state {
            Some((areas, latest, recorded)) => (Some(areas), latest, recorded),
            None => (
                None,
                None,
                recorded_only
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                    .optional()?,
            ),
        };
        if latest.as_deref() == recorded.as_ref().map(|r| r.0.as_str()) {
            continue;
        }
        if let Some((_, gm_code, wk_code, old)) = &recorded {
            let old: Contribution = serde_json::from_str(old).unwrap_or_default();
            deltas.add_initiative(gm_code, wk_code, &Shares::from_contribution(&old), -1);
            forget.execute([id])?;
        }
        if let (Some(check_id), Some((gm_code, wk_code))) = (latest, areas) {
            let new = match known.share(id, &check_id) {
                Some(shares) => shares,
                None => Shares::of(&scoring::score_group(
                    catalog(),
                    super::respondents_of(conn, &check_id)?
                        .iter()
                        .map(|r| &r.answers),
                )),
            };
            deltas.add_initiative(&gm_code, &wk_code, &new, 1);
            record.execute(params![
                id,
                check_id,
                gm_code,
                wk_code,
                serde_json::to_string(&new.contribution()).expect("numbers and strings serialize")
            ])?;
        }
    }
    deltas.write(conn)
}

/// Recomputes all sums from the self-checks (after the migrations that introduced them).
pub(crate) fn rebuild(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "DELETE FROM latest_checks; DELETE FROM score_sums; DELETE FROM wijk_score_sums;",
    )?;
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM initiatives")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    refresh(conn, &ids)
}

/// The sums per part, for one municipality or (None) for the whole database.
pub(crate) fn sums(
    conn: &Connection,
    municipality: Option<&str>,
) -> Result<BTreeMap<String, PartSums>, StoreError> {
    let mut stmt = conn.prepare_cached(match municipality {
        Some(_) => "SELECT part, n, total, squares, weakest FROM score_sums WHERE gm_code = ?1",
        None => "SELECT part, sum(n), sum(total), sum(squares), sum(weakest) FROM score_sums WHERE ?1 IS NULL GROUP BY part",
    })?;
    let rows = stmt.query_map([municipality], |r| {
        Ok((
            r.get::<_, String>(0)?,
            PartSums {
                n: r.get::<_, i64>(1)? as u32,
                total: r.get(2)?,
                squares: r.get(3)?,
                weakest: r.get::<_, i64>(4)? as u32,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The sums per part of one wijk.
pub(crate) fn wijk_sums(
    conn: &Connection,
    wk_code: &str,
) -> Result<BTreeMap<String, PartSums>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT part, n, total, squares, weakest FROM wijk_score_sums WHERE wk_code = ?1",
    )?;
    let rows = stmt.query_map([wk_code], |r| {
        Ok((
            r.get::<_, String>(0)?,
            PartSums {
                n: r.get::<_, i64>(1)? as u32,
                total: r.get(2)?,
                squares: r.get(3)?,
                weakest: r.get::<_, i64>(4)? as u32,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contribution_taken_out_leaves_nothing() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(include_str!("migrations/005_running_aggregates.sql"))
            .unwrap();
        conn.execute_batch("CREATE TABLE initiatives (id TEXT); CREATE TABLE self_checks (id TEXT); CREATE TABLE tombstones (id TEXT); CREATE TABLE purge_marks (check_id TEXT);").unwrap();
        conn.execute_batch(include_str!("migrations/009_wijken.sql"))
            .unwrap();
        let answers: model::Answers = catalog()
            .lessons
            .iter()
            .flat_map(|l| &l.statements)
            .enumerate()
            .map(|(i, s)| (s.id.clone(), Some((i % 5 + 1) as u8)))
            .collect();
        let c = Shares::of(&scoring::score(catalog(), &answers));
        assert_eq!(Shares::from_contribution(&c.contribution()), c);
        assert_eq!(c.weakest.len(), 3);
        let mut deltas = Deltas::default();
        deltas.add_initiative("GM0344", "WK034403", &c, 1);
        deltas.write(&conn).unwrap();
        assert_eq!(
            wijk_sums(&conn, "WK034403")
                .unwrap()
                .values()
                .map(|s| s.n)
                .max(),
            Some(1)
        );
        let mut deltas = Deltas::default();
        deltas.add_initiative("GM0344", "WK034403", &c, -1);
        deltas.write(&conn).unwrap();
        for (_, s) in sums(&conn, None)
            .unwrap()
            .into_iter()
            .chain(wijk_sums(&conn, "WK034403").unwrap())
        {
            assert_eq!((s.n, s.weakest), (0, 0));
            assert!(s.total.abs() < 1e-9 && s.squares.abs() < 1e-9);
        }
    }
}

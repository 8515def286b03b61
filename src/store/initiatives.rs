/*! Initiatives: what a check is about, its place and area, and the municipality's rows. */

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::{facts, provenance, Store, StoreError};
use crate::geo::Location;
use crate::model::{Area, ReviewStatus, StrategyScores};

/// An initiative as stored.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Initiative {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub municipality: Option<Area>,
    pub province: Option<Area>,
    /// The CBS wijk of its point (None outside every wijk, or in a build without wijken).
    pub wijk: Option<Area>,
    pub target_groups: Vec<String>,
    pub created_at: String,
}

/// An initiative in a list of initiatives.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct InitiativeOverview {
    pub initiative: Initiative,
    pub checks: u32,
    pub latest_at: Option<String>,
}

/// What a new initiative needs; its id and time are made on save.
#[derive(Debug, Clone)]
pub struct NewInitiative {
    pub name: String,
    pub description: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub location: Location,
    pub target_groups: Vec<String>,
}

impl NewInitiative {
    /// The initiative these details make, with its id and time.
    pub fn to_initiative(&self, id: String, created_at: String) -> Initiative {
        Initiative {
            id,
            name: self.name.clone(),
            description: self.description.clone(),
            lat: self.lat,
            lon: self.lon,
            municipality: self.location.municipality.clone(),
            province: self.location.province.clone(),
            wijk: self.location.wijk.clone(),
            target_groups: self.target_groups.clone(),
            created_at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InitiativeName {
    pub name: String,
}

pub(super) fn area(code: Option<String>, name: Option<String>) -> Option<Area> {
    Some(Area {
        code: code?,
        name: name?,
    })
}

/// An initiative from the first eleven columns of a row, in the order of `INITIATIVE_COLUMNS`.
pub(crate) fn initiative_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Initiative> {
    Ok(Initiative {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        lat: r.get(3)?,
        lon: r.get(4)?,
        municipality: area(r.get(5)?, r.get(6)?),
        province: area(r.get(7)?, r.get(8)?),
        target_groups: serde_json::from_str(&r.get::<_, String>(9)?).unwrap_or_default(),
        created_at: r.get(10)?,
        wijk: area(r.get(11)?, r.get(12)?),
    })
}

/// An initiative in a municipality's list: its checks, its latest scores and its review status.
#[derive(Debug, Clone)]
pub struct AreaRow {
    pub initiative: Initiative,
    pub checks: u32,
    pub latest_at: Option<String>,
    /// Of the latest visible check, unrounded.
    pub scores: Option<StrategyScores>,
    /// How many people answered the latest visible check (0 without one).
    pub respondents: u32,
    pub status: ReviewStatus,
    /// Where the initiative came from.
    pub source: provenance::Source,
}

/// Inserts an initiative exactly as given (id and time included): for saving and for import
/// (`stamp`: where an imported one came from).
pub(crate) fn insert_initiative(
    conn: &Connection,
    i: &Initiative,
    stamp: Option<&provenance::Stamp>,
) -> Result<(), StoreError> {
    write_initiative(
        conn,
        "INSERT INTO initiatives (id, name, description, lat, lon, gm_code, gm_name, pv_code, pv_name, target_groups, created_at, wk_code, wk_name, import_id, made_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        i,
        stamp,
    )
}

/// Runs `sql` (an insert or an update) with an initiative's fields as ?1 … ?15, in the column
/// order of `insert_initiative`.
pub(super) fn write_initiative(
    conn: &Connection,
    sql: &str,
    i: &Initiative,
    stamp: Option<&provenance::Stamp>,
) -> Result<(), StoreError> {
    conn.prepare_cached(sql)?.execute(params![
        i.id,
        i.name,
        i.description,
        i.lat,
        i.lon,
        i.municipality.as_ref().map(|a| &a.code),
        i.municipality.as_ref().map(|a| &a.name),
        i.province.as_ref().map(|a| &a.code),
        i.province.as_ref().map(|a| &a.name),
        serde_json::to_string(&i.target_groups).expect("strings serialize"),
        i.created_at,
        i.wijk.as_ref().map(|a| &a.code),
        i.wijk.as_ref().map(|a| &a.name),
        stamp.map(|s| s.import_id),
        stamp.and_then(|s| s.made_on.as_deref()),
    ])?;
    Ok(())
}

/// Whether an initiative's details were emptied here by another machine's retention (a tombstone
/// that schema 1 of the shared database passed on; migration 14): the record may come back.
pub(crate) fn emptied_elsewhere(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM emptied_elsewhere WHERE id = ?1")?
        .exists([id])?)
}

/// Fills an initiative emptied by another machine's retention with its record again, and lifts
/// its tombstone.
pub(crate) fn refill_initiative(
    conn: &Connection,
    i: &Initiative,
    stamp: &provenance::Stamp,
) -> Result<(), StoreError> {
    write_initiative(
        conn,
        "UPDATE initiatives SET name = ?2, description = ?3, lat = ?4, lon = ?5, gm_code = ?6, gm_name = ?7, pv_code = ?8,
                pv_name = ?9, target_groups = ?10, created_at = ?11, wk_code = ?12, wk_name = ?13, import_id = ?14, made_on = ?15
         WHERE id = ?1",
        i,
        Some(stamp),
    )?;
    conn.execute("DELETE FROM tombstones WHERE id = ?1", [&i.id])?;
    conn.execute("DELETE FROM emptied_elsewhere WHERE id = ?1", [&i.id])?;
    Ok(())
}

impl Store {
    pub(crate) fn initiative_in(
        conn: &Connection,
        id: &str,
    ) -> Result<Option<Initiative>, StoreError> {
        Ok(conn
            .prepare_cached(
                "SELECT id, name, description, lat, lon, gm_code, gm_name, pv_code, pv_name, target_groups, created_at, wk_code, wk_name
                 FROM initiatives WHERE id = ?1",
            )?
            .query_row(
                [id],
                initiative_from_row,
            )
            .optional()?)
    }

    pub fn initiative(&self, id: &str) -> Result<Option<Initiative>, StoreError> {
        Self::initiative_in(&self.conn, id)
    }

    /// Keeps contact details for an initiative (the caller has checked the consent).
    pub fn set_contact(&self, initiative_id: &str, contact: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE initiatives SET contact = ?2 WHERE id = ?1",
            params![initiative_id, contact],
        )?;
        Ok(())
    }

    /// Ids of all initiatives, or of one municipality's (CBS code), oldest first.
    pub fn initiative_ids(&self, municipality: Option<&str>) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM initiatives WHERE (?1 IS NULL OR gm_code = ?1) AND id NOT IN (SELECT id FROM tombstones) ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map([municipality], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A municipality's initiatives, oldest first, in one query (a large city may hold thousands),
    /// with their kept facts.
    pub fn area_rows(&self, municipality: &str) -> Result<Vec<AreaRow>, StoreError> {
        facts::all_rows(&self.conn, municipality)
    }

    /// All initiatives with their number of checks and the time of the latest, newest first.
    pub fn initiatives(&self) -> Result<Vec<InitiativeOverview>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT i.id, count(c.id), max(c.created_at) FROM initiatives i
             LEFT JOIN visible_checks c ON c.initiative_id = i.id
             WHERE i.id NOT IN (SELECT id FROM tombstones)
             GROUP BY i.id ORDER BY max(c.created_at) DESC, i.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, checks, latest_at) = row?;
            if let Some(initiative) = self.initiative(&id)? {
                out.push(InitiativeOverview {
                    initiative,
                    checks: checks as u32,
                    latest_at,
                });
            }
        }
        Ok(out)
    }
}

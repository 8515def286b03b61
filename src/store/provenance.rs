/*! Where records came from. Every machine has an id of its own (made by migration 11, once) and
the name its coordinator gives it; bundles carry both. A record made here has no source row; one
imported from a bundle remembers the machine it was made on (which may be another than the one
that exported the file, when records are passed on), the file, and when that file was exported
and imported. Records that were already here are not touched: the first import that brought a
record is its source; the record carries it (`import_id`, `made_on`), written with it. */
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::StoreError;

const MACHINE_ID: &str = "machine_id";
pub(crate) const MACHINE_NAME: &str = "machine_name";

/// A machine as bundles name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Machine {
    pub id: String,
    /// Given in the settings; empty until the coordinator names the machine.
    pub name: String,
}

/// Where a record came from, as the lists and exports show it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, TS)]
#[ts(export)]
pub struct Source {
    /// Made on this machine; the fields below are then this machine's id and name, no file.
    pub here: bool,
    /// The machine it was made on; None when the file that brought it did not say (a bundle
    /// written before format version 3).
    pub machine_id: Option<String>,
    pub machine_name: Option<String>,
    /// The name of the file it was imported from (None when the app was given only its bytes).
    pub file: Option<String>,
    pub exported_at: Option<String>,
    pub imported_at: Option<String>,
}

impl Source {
    /// The key the table filters on: the machine's id, "" when unknown.
    pub fn key(&self) -> &str {
        self.machine_id.as_deref().unwrap_or("")
    }

    /// The machine's name as a list shows it: its name, else the start of its id.
    pub fn label(&self) -> String {
        label(self.machine_id.as_deref(), self.machine_name.as_deref())
    }
}

/// A machine's name, or for one without a name the first eight characters of its id; "?" when
/// not even the id is known.
pub fn label(id: Option<&str>, name: Option<&str>) -> String {
    match (name.map(str::trim).filter(|n| !n.is_empty()), id) {
        (Some(name), _) => name.to_string(),
        (None, Some(id)) => id.chars().take(8).collect(),
        (None, None) => "?".to_string(),
    }
}

/// This machine's id and name.
pub fn this_machine(conn: &Connection) -> Result<Machine, StoreError> {
    let get = |key: &str| -> Result<Option<String>, StoreError> {
        Ok(conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    };
    Ok(Machine {
        id: get(MACHINE_ID)?.unwrap_or_default(),
        name: get(MACHINE_NAME)?.unwrap_or_default(),
    })
}

/// What an import knows of the file it reads, from the file's name and header.
#[derive(Debug, Clone, Default)]
pub(crate) struct ImportOrigin {
    pub file: Option<String>,
    pub exported_at: Option<String>,
    /// The machine that exported the file.
    pub machine: Option<Machine>,
    /// Other machines whose records the file passes on.
    pub machines: Vec<Machine>,
}

/// Records an import that adds something (its machines' latest names too); its id is what the
/// imported records refer to.
pub(crate) fn begin_import(
    conn: &Connection,
    origin: &ImportOrigin,
    imported_at: &str,
) -> Result<i64, StoreError> {
    let mut upsert = conn.prepare_cached("INSERT INTO machines (id, name) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET name = excluded.name")?;
    // Passed-on machines first: the exporter's own word on its name wins.
    for m in origin.machines.iter().chain(origin.machine.iter()) {
        upsert.execute(params![m.id, m.name])?;
    }
    conn.execute(
        "INSERT INTO imports (file, machine_id, exported_at, imported_at) VALUES (?1, ?2, ?3, ?4)",
        params![
            origin.file,
            origin.machine.as_ref().map(|m| &m.id),
            origin.exported_at,
            imported_at
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Where an imported record came from, written with it: its import and the machine it was made on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stamp {
    pub import_id: i64,
    pub made_on: Option<String>,
}

/// The tables whose records carry a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Record {
    Initiative,
    Check,
    Review,
}

impl Record {
    fn table(self) -> &'static str {
        match self {
            Record::Initiative => "initiatives",
            Record::Check => "self_checks",
            Record::Review => "review_log",
        }
    }
}

/// The machine another machine made this record on, for passing it on in a bundle: None for a
/// record made here (or whose maker the file that brought it did not name).
pub(crate) fn made_elsewhere(
    conn: &Connection,
    record: Record,
    id: &str,
) -> Result<Option<Machine>, StoreError> {
    let sql = format!(
        "SELECT m.id, m.name FROM {} r JOIN machines m ON m.id = r.made_on WHERE r.id = ?1",
        record.table()
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |r| {
            Ok(Machine {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })
        .optional()?)
}

/// The joins that give a record's source next to it, for a table aliased `alias`; the columns
/// [`SOURCE_COLUMNS`] then read as [`source_from_row`] expects.
pub(crate) fn source_joins(alias: &str) -> String {
    format!(
        "LEFT JOIN imports imp_{alias} ON imp_{alias}.id = {alias}.import_id
         LEFT JOIN machines mac_{alias} ON mac_{alias}.id = {alias}.made_on"
    )
}

pub(crate) fn source_columns(alias: &str) -> String {
    format!("{alias}.import_id, {alias}.made_on, mac_{alias}.name, imp_{alias}.file, imp_{alias}.exported_at, imp_{alias}.imported_at")
}

/// A source from the six columns of [`source_columns`] starting at `first`.
pub(crate) fn source_from_row(
    r: &Row<'_>,
    first: usize,
    here: &Machine,
) -> rusqlite::Result<Source> {
    let import: Option<i64> = r.get(first)?;
    if import.is_none() {
        return Ok(Source {
            here: true,
            machine_id: Some(here.id.clone()),
            machine_name: Some(here.name.clone()),
            ..Source::default()
        });
    }
    let machine_id: Option<String> = r.get(first + 1)?;
    Ok(Source {
        // One of ours that came back (exported, then imported where it was gone) is still ours.
        here: machine_id.as_deref() == Some(here.id.as_str()),
        machine_id,
        machine_name: r.get(first + 2)?,
        // Escaped as it is read too: a name stored before names were escaped on import.
        file: r
            .get::<_, Option<String>>(first + 3)?
            .map(|f| crate::store::paths::shown_name(f.as_ref())),
        exported_at: r.get(first + 4)?,
        imported_at: r.get(first + 5)?,
    })
}

/// A record's source; `here` is this machine (read once by a caller that asks for many).
pub(crate) fn source_of(
    conn: &Connection,
    here: &Machine,
    record: Record,
    id: &str,
) -> Result<Source, StoreError> {
    let sql = format!(
        "SELECT {} FROM {} r {} WHERE r.id = ?1",
        source_columns("r"),
        record.table(),
        source_joins("r")
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |r| source_from_row(r, 0, here))?)
}

/// A machine that initiatives of an area came from, with how many.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SourceCount {
    /// The filter key: the machine's id, "" for files that did not name their machine.
    pub key: String,
    pub label: String,
    pub here: bool,
    pub initiatives: u32,
}

/// Where a municipality's initiatives came from (read from their kept facts): this machine
/// first, then by name.
pub(crate) fn source_counts(
    conn: &Connection,
    municipality: &str,
) -> Result<Vec<SourceCount>, StoreError> {
    let here = this_machine(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT f.source IS NOT NULL, nullif(f.source, ''), m.name, count(*)
         FROM initiative_facts f
         LEFT JOIN machines m ON m.id = f.source
         WHERE f.gm_code = ?1
         GROUP BY f.source",
    )?;
    let rows = stmt.query_map([municipality], |r| {
        let imported: bool = r.get(0)?;
        let id: Option<String> = r.get(1)?;
        let name: Option<String> = r.get(2)?;
        Ok((imported, id, name, r.get::<_, u32>(3)?))
    })?;
    let mut counts: Vec<SourceCount> = Vec::new();
    for row in rows {
        let (imported, id, name, n) = row?;
        let (key, label, is_here) = if !imported || id.as_deref() == Some(here.id.as_str()) {
            (
                here.id.clone(),
                self::label(Some(&here.id), Some(&here.name)),
                true,
            )
        } else {
            (
                id.clone().unwrap_or_default(),
                self::label(id.as_deref(), name.as_deref()),
                false,
            )
        };
        match counts.iter_mut().find(|c| c.key == key) {
            Some(c) => c.initiatives += n,
            None => counts.push(SourceCount {
                key,
                label,
                here: is_here,
                initiatives: n,
            }),
        }
    }
    counts.sort_by(|a, b| {
        b.here
            .cmp(&a.here)
            .then_with(|| a.label.to_lowercase().cmp(&b.label.to_lowercase()))
    });
    Ok(counts)
}

/*! Exports for spreadsheets and GIS: CSV that Dutch Excel opens as is (UTF-8 with BOM, `;`,
decimal comma), and flat GeoJSON for QGIS (one Feature per initiative, WGS84). Both carry RD New
(EPSG:28992) coordinates as extra columns, named so in their headers. */
use serde::Deserialize;
use serde_json::{json, Map, Value};
use thiserror::Error;
use ts_rs::TS;

use crate::content::catalog::catalog;
use crate::geo::rd::to_rd;
use crate::model::round1;
use crate::model::Strategy;
use crate::municipality::stats::latest_checks;
use crate::store::{provenance, Initiative, Store, StoreError, StoredCheck};

#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write the CSV: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Exchange(#[from] crate::exchange::ExchangeError),
    #[error(transparent)]
    Place(#[from] crate::geo::GeoError),
    #[error(transparent)]
    Xlsx(#[from] crate::exchange::xlsx::XlsxExportError),
}

/// What can be exported: a bundle for another Wijkkompas, CSV for a spreadsheet, GeoJSON for GIS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Bundle,
    Csv,
    Geojson,
    /// An Excel workbook with a sheet per kind of record and a data dictionary.
    Xlsx,
}

/// An export as a file: its bytes and the name a save dialog proposes.
pub struct ExportFile {
    pub bytes: Vec<u8>,
    pub file_name: String,
    pub extension: &'static str,
}

/// Everything (or one municipality) in `format`; an Excel workbook's headers in `lang`. A bundle
/// is encrypted to `encrypt_to`, or on a kiosk with the municipality's key to that key; its file is
/// then `.age`.
pub fn export_file(
    store: &Store,
    format: ExportFormat,
    municipality: Option<&str>,
    encrypt_to: Option<&str>,
    lang: crate::model::Lang,
) -> Result<ExportFile, ExportError> {
    if let Some(code) = municipality {
        crate::geo::geography().known_municipality(code)?;
    }
    let bytes = match format {
        ExportFormat::Bundle => crate::exchange::export_bytes(store, municipality, encrypt_to)?,
        ExportFormat::Csv => csv(store, municipality)?,
        ExportFormat::Geojson => geojson(store, municipality)?.into_bytes(),
        ExportFormat::Xlsx => crate::exchange::xlsx::xlsx(store, municipality, lang)?,
    };
    let (stem, extension) = match format {
        ExportFormat::Bundle if crate::safety::crypto::is_encrypted(&bytes) => {
            ("wijkkompas-bundel", "age")
        }
        ExportFormat::Bundle => ("wijkkompas-bundel", "json"),
        ExportFormat::Csv => ("wijkkompas", "csv"),
        ExportFormat::Geojson => ("wijkkompas", "geojson"),
        ExportFormat::Xlsx => ("wijkkompas", "xlsx"),
    };
    let file_name = format!(
        "{stem}{}.{extension}",
        municipality.map(|c| format!("-{c}")).unwrap_or_default()
    );
    Ok(ExportFile {
        bytes,
        file_name,
        extension,
    })
}

pub const RD_X: &str = "rd_x (EPSG:28992 RD New, m)";
pub const RD_Y: &str = "rd_y (EPSG:28992 RD New, m)";

/// A text cell a spreadsheet will not run: one that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (which Excel and LibreOffice read as the start of a formula) gets a leading
/// apostrophe, as OWASP advises for CSV. Only text cells: numbers are written by `dutch_number`.
pub fn spreadsheet_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn dutch_number(v: Option<f64>) -> String {
    v.map(|v| format!("{v}").replace('.', ","))
        .unwrap_or_default()
}

/// Where a record came from: the machine it was made on (name, id), and for an imported one the
/// file and when it was exported and imported (docs/cli.md, "export").
const SOURCE_COLUMNS: [&str; 5] = [
    "source",
    "source_machine_id",
    "source_file",
    "source_exported_at",
    "imported_at",
];

/// One row per self-check, for Dutch Excel.
pub fn csv(store: &Store, municipality: Option<&str>) -> Result<Vec<u8>, ExportError> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(&mut out);
    w.write_record(csv_header())?;
    let here = store.db().this_machine()?;
    for id in store.initiative_ids(municipality)? {
        let Some(i) = store.initiative(&id)? else {
            continue;
        };
        let rd = to_rd(i.lat, i.lon);
        for c in store.db().checks_of(&id)? {
            w.write_record(csv_row(store, &here, &i, rd, &c)?)?;
        }
    }
    w.flush()?;
    drop(w);
    Ok(out)
}

/// The CSV's header: the check, its initiative and place, the strategies' scores, where the check
/// came from and the lessons' scores.
fn csv_header() -> Vec<String> {
    let mut header: Vec<String> = [
        "check_id",
        "initiative_id",
        "initiative",
        "created_at",
        "role",
        "respondents",
        "on_paper",
        "municipality_code",
        "municipality",
        "wk_code",
        "wk_name",
        "province",
        "lat (WGS84)",
        "lon (WGS84)",
        RD_X,
        RD_Y,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(Strategy::ALL.iter().map(|s| s.as_str().to_string()));
    header.extend(SOURCE_COLUMNS.iter().map(|s| s.to_string()));
    header.extend(catalog().lessons.iter().map(|l| l.id.clone()));
    header
}

/// The CSV's row of one self-check `c` of initiative `i` (at `(x, y)` in RD New); `here` is this
/// machine, to say where the check came from.
fn csv_row(
    store: &Store,
    here: &provenance::Machine,
    i: &Initiative,
    (x, y): (f64, f64),
    c: &StoredCheck,
) -> Result<Vec<String>, StoreError> {
    let a = c.assessment();
    let mut row = vec![
        c.id.clone(),
        i.id.clone(),
        spreadsheet_text(&i.name),
        c.created_at.clone(),
        c.role.as_str().to_string(),
        c.respondents.len().to_string(),
        if c.on_paper() { "1" } else { "0" }.to_string(),
        i.municipality
            .as_ref()
            .map(|m| m.code.clone())
            .unwrap_or_default(),
        spreadsheet_text(
            &i.municipality
                .as_ref()
                .map(|m| m.name.clone())
                .unwrap_or_default(),
        ),
        i.wijk.as_ref().map(|w| w.code.clone()).unwrap_or_default(),
        spreadsheet_text(&i.wijk.as_ref().map(|w| w.name.clone()).unwrap_or_default()),
        spreadsheet_text(
            &i.province
                .as_ref()
                .map(|m| m.name.clone())
                .unwrap_or_default(),
        ),
        dutch_number(Some(i.lat)),
        dutch_number(Some(i.lon)),
        dutch_number(Some(x)),
        dutch_number(Some(y)),
    ];
    row.extend(
        Strategy::ALL
            .iter()
            .map(|s| dutch_number(a.strategies.get(*s).map(round1))),
    );
    let source = store
        .db()
        .source_of(here, provenance::Record::Check, &c.id)?;
    row.extend([
        spreadsheet_text(source.machine_name.as_deref().unwrap_or_default()),
        source.machine_id.unwrap_or_default(),
        spreadsheet_text(source.file.as_deref().unwrap_or_default()),
        source.exported_at.unwrap_or_default(),
        source.imported_at.unwrap_or_default(),
    ]);
    row.extend(a.lessons.iter().map(|l| dutch_number(l.score.map(round1))));
    Ok(row)
}

/// One Feature per initiative with its latest scores and review status, flat properties.
pub fn geojson(store: &Store, municipality: Option<&str>) -> Result<String, StoreError> {
    let (latest, _) = latest_checks(store, municipality)?;
    let mut features = Vec::new();
    let here = store.db().this_machine()?;
    for id in store.initiative_ids(municipality)? {
        let Some(i) = store.initiative(&id)? else {
            continue;
        };
        let checks = store.db().checks_of(&id)?.len();
        let last = latest.iter().find(|c| c.initiative_id == i.id);
        let a = last.map(|c| c.assessment());
        let (x, y) = to_rd(i.lat, i.lon);
        let mut p = Map::new();
        p.insert("id".into(), json!(i.id));
        p.insert("name".into(), json!(i.name));
        p.insert("description".into(), json!(i.description));
        p.insert(
            "municipality_code".into(),
            json!(i.municipality.as_ref().map(|m| &m.code)),
        );
        p.insert(
            "municipality".into(),
            json!(i.municipality.as_ref().map(|m| &m.name)),
        );
        p.insert("wk_code".into(), json!(i.wijk.as_ref().map(|w| &w.code)));
        p.insert("wk_name".into(), json!(i.wijk.as_ref().map(|w| &w.name)));
        p.insert(
            "province".into(),
            json!(i.province.as_ref().map(|m| &m.name)),
        );
        p.insert("target_groups".into(), json!(i.target_groups.join("; ")));
        p.insert("checks".into(), json!(checks));
        p.insert("latest_check_at".into(), json!(last.map(|c| &c.created_at)));
        p.insert(
            "respondents".into(),
            json!(last.map_or(0, |c| c.respondents.len())),
        );
        for s in Strategy::ALL {
            p.insert(
                s.as_str().into(),
                json!(a.as_ref().and_then(|a| a.strategies.get(s)).map(round1)),
            );
        }
        p.insert(
            "weakest_strategy".into(),
            json!(a
                .as_ref()
                .and_then(|a| a.strategies.weakest())
                .map(|s| s.as_str())),
        );
        p.insert(
            "review_status".into(),
            json!(store.review_status(&i.id)?.as_str()),
        );
        let source = store
            .db()
            .source_of(&here, provenance::Record::Initiative, &i.id)?;
        p.insert(
            SOURCE_COLUMNS[0].into(),
            json!(source.machine_name.filter(|n| !n.is_empty())),
        );
        p.insert(SOURCE_COLUMNS[1].into(), json!(source.machine_id));
        p.insert(SOURCE_COLUMNS[2].into(), json!(source.file));
        p.insert(SOURCE_COLUMNS[3].into(), json!(source.exported_at));
        p.insert(SOURCE_COLUMNS[4].into(), json!(source.imported_at));
        p.insert(RD_X.into(), json!(x));
        p.insert(RD_Y.into(), json!(y));
        features.push(json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [i.lon, i.lat]}, "properties": Value::Object(p)}));
    }
    Ok(
        serde_json::to_string_pretty(&json!({"type": "FeatureCollection", "features": features}))
            .expect("JSON values serialize"),
    )
}

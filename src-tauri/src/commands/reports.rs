/*! The PDFs a person saves: the facilitator's guide and the report of a self-check or of a
municipality; and on a kiosk, a resident's report printed on the coordinator's printer (a
resident never meets a file or print dialog, whose "save"/"Print to File" opens the machine's
folders). */
use tauri::{AppHandle, State};

use wijkkompas::model::Lang;
use wijkkompas::municipality::area;
use wijkkompas::printing::Cups;
use wijkkompas::reports::guide;
use wijkkompas::reports::report::{self, ReportSubject};
use wijkkompas::safety::settings;

use super::selfcheck::own_check;
use super::state::AppState;
use super::{problem, save_as, Reply};

/// The facilitator's guide with the paper answer form: asks where to save it.
#[tauri::command(async)]
pub fn save_guide(app: AppHandle, state: State<'_, AppState>, lang: Lang) -> Reply<Option<String>> {
    no_dialog_for_a_resident(&state)?;
    let pdf = guide::guide_pdf(lang).map_err(problem)?;
    let name = match lang {
        Lang::Nl => "wijkkompas-gespreksleidraad.pdf",
        Lang::En => "wijkkompas-facilitators-guide.pdf",
    };
    save_as(&app, name, "pdf", &pdf)
}

/// Makes a PDF report (of a self-check this person may see, or of a municipality) and asks
/// where to save it. Returns the path, or None when cancelled.
#[tauri::command(async)]
pub fn save_report(
    app: AppHandle,
    state: State<'_, AppState>,
    check_id: Option<String>,
    municipality: Option<String>,
    lang: Lang,
) -> Reply<Option<String>> {
    let subject = ReportSubject::from_choice(check_id.as_deref(), municipality.as_deref())
        .map_err(problem)?;
    no_dialog_for_a_resident(&state)?;
    let file_name = subject.file_name();
    let pdf = state.with(|store, s| match &subject {
        ReportSubject::Check(id) => {
            report::check_report_pdf(&own_check(store, s, id, lang)?, lang).map_err(problem)
        }
        ReportSubject::Municipality(code) => {
            s.session.require_coordinator(store).map_err(problem)?;
            let o = area::overview(store, code).map_err(problem)?;
            report::municipality_report_pdf(&o, lang).map_err(problem)
        }
    })?;
    save_as(&app, &file_name, "pdf", &pdf)
}

/// A save dialog browses the machine's folders (backups, other residents' reports): on a kiosk
/// only the coordinator meets one.
fn no_dialog_for_a_resident(state: &State<'_, AppState>) -> Reply<()> {
    state.with(|store, s| s.session.require_coordinator(store).map_err(problem))
}

/// Prints the report of a self-check this person may see on the printer the coordinator chose,
/// without any dialog. Returns the printer's name.
#[tauri::command(async)]
pub fn print_report(state: State<'_, AppState>, check_id: String, lang: Lang) -> Reply<String> {
    let (printer, pdf) = state.with(|store, s| {
        let printer = settings::load(store).map_err(problem)?.printer;
        let pdf = report::check_report_pdf(&own_check(store, s, &check_id, lang)?, lang)
            .map_err(problem)?;
        Ok((printer, pdf))
    })?;
    // CUPS is asked outside the store's lock: a slow print queue holds up nothing else.
    Cups::system()
        .print_pdf(printer.as_deref(), "Wijkkompas", &pdf)
        .map_err(problem)?;
    Ok(printer.unwrap_or_default())
}

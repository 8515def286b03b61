/*! The PDFs a person saves: the facilitator's guide and the report of a self-check or of a
municipality. */
use tauri::{AppHandle, State};

use wijkkompas::model::Lang;
use wijkkompas::municipality::area;
use wijkkompas::reports::guide;
use wijkkompas::reports::report::{self, ReportSubject};

use super::selfcheck::own_check;
use super::state::AppState;
use super::{problem, save_as, Reply};

/// The facilitator's guide with the paper answer form: asks where to save it.
#[tauri::command(async)]
pub fn save_guide(app: AppHandle, lang: Lang) -> Reply<Option<String>> {
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

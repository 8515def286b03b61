// The only door to Rust: every call goes through the shell's commands (src-tauri/src/commands/).
// The types are generated from the Rust types by ts-rs (ui/src/bindings), so they cannot drift.
import type { ErasureReport } from "./bindings/ErasureReport";
import type { About } from "./bindings/About";
import type { Basemap } from "./bindings/Basemap";
import type { Overview } from "./bindings/Overview";
import type { MapLabel } from "./bindings/MapLabel";
import type { Case } from "./bindings/Case";
import type { CheckInput } from "./bindings/CheckInput";
import type { CheckResult } from "./bindings/CheckResult";
import type { History } from "./bindings/History";
import type { InitiativeOverview } from "./bindings/InitiativeOverview";
import type { Lang } from "./bindings/Lang";
import type { LessonsAndStrategies } from "./bindings/LessonsAndStrategies";
import type { Location } from "./bindings/Location";
import type { PlaceHit } from "./bindings/PlaceHit";
import type { Area } from "./bindings/Area";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { ImportSummary } from "./bindings/ImportSummary";
import type { MunicipalitySummary } from "./bindings/MunicipalitySummary";
import type { RowPage } from "./bindings/RowPage";
import type { RowQuery } from "./bindings/RowQuery";
import type { ReviewEntry } from "./bindings/ReviewEntry";
import type { ReviewStatus } from "./bindings/ReviewStatus";
import type { BackupFile } from "./bindings/BackupFile";
import type { KioskStatus } from "./bindings/KioskStatus";
import type { Redeemed } from "./bindings/Redeemed";
import type { Settings } from "./bindings/Settings";
import type { SyncSummary } from "./bindings/SyncSummary";
import type { FolderSummary } from "./bindings/FolderSummary";
import type { QuarterPoint } from "./bindings/QuarterPoint";
import type { FolderImportProgress } from "./bindings/FolderImportProgress";
import type { AgreedAction } from "./bindings/AgreedAction";
import type { RespondentInput } from "./bindings/RespondentInput";
import type { SessionClose } from "./bindings/SessionClose";
import type { ActionInput } from "./bindings/ActionInput";
import type { Problem } from "./bindings/Problem";
import type { SessionStart } from "./bindings/SessionStart";
import type { SessionStatus } from "./bindings/SessionStatus";
import type { Source } from "./bindings/Source";

export type { Area };
export type { Case, Lang, LessonsAndStrategies, Basemap, Overview };

/** The reply of `detailed_borders` (src/geo/basemap.rs). */
export interface DetailedBorders {
  municipalities: GeoJSON.FeatureCollection;
  provinces: GeoJSON.FeatureCollection;
}
export type { Strategy } from "./bindings/Strategy";
export type { MapLabel } from "./bindings/MapLabel";

interface TauriGlobal {
  core: {
    invoke<T>(
      cmd: string,
      args?: Record<string, unknown> | Uint8Array,
      options?: { headers: Record<string, string> },
    ): Promise<T>;
  };
  event: { listen<T>(event: string, handler: (e: { payload: T }) => void): Promise<() => void> };
}

function tauri(): TauriGlobal {
  const t = (window as unknown as { __TAURI__?: TauriGlobal }).__TAURI__;
  if (!t)
    throw new Error("Wijkkompas must run inside its desktop app (window.__TAURI__ is missing)");
  return t;
}

const invoke = <T>(
  cmd: string,
  args?: Record<string, unknown> | Uint8Array,
  headers?: Record<string, string>,
) => tauri().core.invoke<T>(cmd, args, headers ? { headers } : undefined);

export const api = {
  about: () => invoke<About>("about"),
  detailedBorders: () => invoke<DetailedBorders | null>("detailed_borders"),
  mapLabels: () => invoke<MapLabel[]>("map_labels"),
  wijkBorders: (municipality: string) =>
    invoke<GeoJSON.FeatureCollection>("wijk_borders", { municipality }),
  markInteractive: () => invoke<void>("mark_interactive"),
  locate: (lat: number, lon: number) => invoke<Location>("locate", { lat, lon }),
  searchPlaces: (query: string, lang: Lang, limit?: number) =>
    invoke<PlaceHit[]>("search_places", { query, limit: limit ?? null, lang }),
  setLanguage: (lang: Lang) => invoke<void>("set_language", { lang }),
  saveCheck: (input: CheckInput, lang: Lang) => invoke<CheckResult>("save_check", { input, lang }),
  agreedActions: (initiativeId: string) =>
    invoke<AgreedAction[]>("agreed_actions", { initiativeId }),
  startGroup: (input: SessionStart) => invoke<SessionStatus>("start_group", { input }),
  addGroupMember: (sessionId: string, member: RespondentInput) =>
    invoke<SessionStatus>("add_group_member", { sessionId, member }),
  groupResult: (sessionId: string, lang: Lang) =>
    invoke<CheckResult>("group_result", { sessionId, lang }),
  closeGroup: (sessionId: string, input: SessionClose, lang: Lang) =>
    invoke<CheckResult>("close_group", { sessionId, input, lang }),
  checkPlan: (actions: ActionInput[]) => invoke<Problem[]>("check_plan", { actions }),
  cancelGroup: (sessionId: string) => invoke<void>("cancel_group", { sessionId }),
  openGroups: () => invoke<SessionStatus[]>("open_groups"),
  resumeGroup: (sessionId: string) => invoke<SessionStatus>("resume_group", { sessionId }),
  saveGuide: (lang: Lang) => invoke<string | null>("save_guide", { lang }),
  initiatives: () => invoke<InitiativeOverview[]>("initiatives"),
  history: (initiativeId: string) => invoke<History>("history", { initiativeId }),
  checkResult: (checkId: string, lang: Lang) =>
    invoke<CheckResult>("check_result", { checkId, lang }),
  resultChart: (checkId: string, lang: Lang) => invoke<string>("result_chart", { checkId, lang }),
  municipalities: () => invoke<Area[]>("municipalities"),
  municipalityOverview: (code: string, query: RowQuery) =>
    invoke<MunicipalitySummary>("municipality_overview", { code, query }),
  municipalityRows: (code: string, query: RowQuery) =>
    invoke<RowPage>("municipality_rows", { code, query }),
  addReview: (initiativeId: string, to: ReviewStatus, reviewer: string, note: string) =>
    invoke<ReviewEntry>("add_review", { initiativeId, to, reviewer, note }),
  addReviews: (initiativeIds: string[], to: ReviewStatus, reviewer: string, note: string) =>
    invoke<ReviewEntry[]>("add_reviews", { initiativeIds, to, reviewer, note }),
  matchingIds: (code: string, query: RowQuery) => invoke<string[]>("matching_ids", { code, query }),
  quarterTrend: (code: string) => invoke<QuarterPoint[]>("quarter_trend", { code }),
  reviews: (initiativeId: string) => invoke<ReviewEntry[]>("reviews", { initiativeId }),
  initiativeSource: (initiativeId: string) => invoke<Source>("initiative_source", { initiativeId }),
  erase: (id: string, reason: string) => invoke<ErasureReport>("erase", { id, reason }),
  /** The file's raw bytes: plain JSON or an encrypted (age) bundle. */
  /** The file's name goes along (percent-encoded: a header is ASCII), for its records' source. */
  importBundle: (bytes: Uint8Array, fileName: string) =>
    invoke<ImportSummary>("import_bundle", bytes, { "x-file-name": encodeURIComponent(fileName) }),
  /** Asks for a folder and imports every bundle in it; null when the dialog is cancelled. */
  importFolder: () => invoke<FolderSummary | null>("import_folder"),
  syncShared: (password: string | null) => invoke<SyncSummary>("sync_shared", { password }),
  onFolderProgress: (handler: (p: FolderImportProgress) => void) =>
    tauri().event.listen<FolderImportProgress>("import-folder-progress", (e) => handler(e.payload)),
  exportFile: (format: ExportFormat, municipality: string | null, lang: Lang) =>
    invoke<string | null>("export_file", { format, municipality, lang }),
  saveCheckReport: (checkId: string, lang: Lang) =>
    invoke<string | null>("save_report", { checkId, municipality: null, lang }),
  saveMunicipalityReport: (code: string, lang: Lang) =>
    invoke<string | null>("save_report", { checkId: null, municipality: code, lang }),
  printReport: (checkId: string, lang: Lang) => invoke<string>("print_report", { checkId, lang }),
  kioskStatus: () => invoke<KioskStatus>("kiosk_status"),
  unlock: (pin: string) => invoke<KioskStatus>("unlock", { pin }),
  endSession: () => invoke<KioskStatus>("end_session"),
  redeemCode: (code: string) => invoke<Redeemed>("redeem_code", { code }),
  printers: () => invoke<string[]>("printers"),
  getSettings: () => invoke<Settings>("get_settings"),
  saveSettings: (settings: Settings, pin: string | null) =>
    invoke<Settings>("save_settings", { new: settings, pin }),
  generateKeyPair: () => invoke<string | null>("generate_key_pair"),
  listBackups: () => invoke<BackupFile[]>("list_backups"),
  makeBackup: () => invoke<string>("make_backup"),
  restoreBackup: (path: string) => invoke<string>("restore_backup", { path }),
  onImportProgress: (handler: (p: ImportProgress) => void) =>
    tauri().event.listen<ImportProgress>("import-progress", (e) => handler(e.payload)),
};

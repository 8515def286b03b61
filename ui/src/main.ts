// NL Design System: Utrecht's component CSS, themed by the neutral "Voorbeeld" design tokens.
// A municipality swaps the theme file (and the class on <html>) for its own tokens.
// Only the NL Design System components the app uses (the whole library is 400 KB of CSS that
// every style recalculation at start-up would have to match).
import "@utrecht/document-css/dist/index.css";
import "@utrecht/button-css/dist/index.css";
import "@utrecht/checkbox-css/dist/index.css";
import "@utrecht/radio-button-css/dist/index.css";
import "@utrecht/select-css/dist/index.css";
import "@utrecht/table-css/dist/index.css";
import "@utrecht/textarea-css/dist/index.css";
import "@utrecht/textbox-css/dist/index.css";
import "@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css";
// Leaflet's own CSS before ours: ours then wins where both set the same thing (the map's font).
import "leaflet/dist/leaflet.css";
import "./fonts.css";
import "./styles.css";
import { api, type Lang } from "./api";
import { clearError, setContent, showError, showNotice, type ViewName } from "./app";
import { html } from "lit-html";
import { $, $$, draw, focusHeading, stylesApplied } from "./dom";
import { currentLang, loadLanguage, setLang, t, translateStatic } from "./i18n";
import { prefetchDetailedBorders } from "./map";
import { CaseMapView } from "./views/cases";
import { InitiativesView } from "./views/initiatives";
import { MunicipalityView } from "./views/municipality";
import { SettingsView } from "./views/settings";
import {
  endSession,
  initKiosk,
  kiosk as kioskStatus,
  lockScreenHtml,
  locked,
  navigate,
  setStatus,
  wireLockScreen,
} from "./kiosk";
import { SelfCheckView } from "./views/selfcheck";
import { readStartup } from "./startup";
import { problemText } from "./problems";

declare global {
  interface Window {
    __cspViolations: string[];
  }
}
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
);
window.addEventListener("error", (e) => showError(e.error ?? e.message));
window.addEventListener("unhandledrejection", (e) => showError(e.reason));

let caseMap: CaseMapView;
let selfCheck: SelfCheckView;
let initiatives: InitiativesView;
let municipality: MunicipalityView;
let settingsView: SettingsView;
let current: ViewName = "map";

const ROUTES: Record<string, ViewName> = {
  kaart: "map",
  zelfcheck: "check",
  initiatieven: "initiatives",
  initiatief: "initiatives",
  gemeente: "municipality",
  instellingen: "settings",
};
/** Screens with other people's data or the machine's settings: the coordinator's on a kiosk. */
const COORDINATOR_VIEWS: ViewName[] = ["initiatives", "municipality", "settings"];

function show(view: ViewName) {
  current = view;
  for (const [name, id] of [
    ["map", "#view-map"],
    ["check", "#view-check"],
    ["initiatives", "#view-initiatives"],
    ["municipality", "#view-municipality"],
    ["settings", "#view-settings"],
  ] as const) {
    $(id).hidden = name !== view;
  }
  $$<HTMLAnchorElement>(".nav-link").forEach((a) => {
    if (a.dataset.view === view) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  if (view === "map") caseMap.shown();
}

/** Hash routes: #kaart, #zelfcheck, #initiatieven, #initiatief/<id>, #gemeente[/<code>], #instellingen. */
async function route() {
  clearError();
  const [name, arg] = location.hash.replace(/^#/, "").split("/");
  const view = ROUTES[name] ?? "map";
  show(view);
  if (COORDINATOR_VIEWS.includes(view) && locked()) {
    const root = $(`#view-${view}`);
    draw(root, lockScreenHtml());
    wireLockScreen(root, () => route().catch(showError));
    focusHeading(root);
    return;
  }
  if (view === "settings") {
    await settingsView.enter();
    focusHeading($("#view-settings"));
  }
  if (view === "check") await selfCheck.restart(arg ?? null);
  if (view === "initiatives") {
    if (name === "initiatief" && arg) await initiatives.showInitiative(arg);
    else await initiatives.showList();
    focusHeading($("#view-initiatives"));
  }
  if (view === "municipality") {
    await municipality.enter(arg ?? null);
    focusHeading($("#view-municipality"));
  }
}

function renderAll() {
  translateStatic();
  $$<HTMLButtonElement>(".lang-switch button").forEach((b) =>
    b.setAttribute("aria-pressed", String(b.dataset.lang === currentLang())),
  );
  caseMap.render();
  if (current === "check") selfCheck.relocalize().catch(showError);
  if (current === "initiatives") initiatives.render();
  if (current === "municipality") municipality.render();
  if (current === "settings") settingsView.render();
}

async function showAbout() {
  const about = await api.about();
  draw(
    $("#about-body"),
    html`
    <p>${t("aboutBody")}</p>
    <h3>${t("aboutSources")}</h3>
    <ul><li>${about.lessons_source[currentLang()]}</li><li>${about.cases_source[currentLang()]}</li>
    <li>${about.official_geography ? t("aboutGeo") : t("aboutGeoFallback")}</li></ul>
    ${about.database ? html`<p>${t("aboutDatabase", { path: about.database })}</p>` : ""}
    <p>${t("aboutVersion", { version: about.version })}</p>`,
  );
  $<HTMLDialogElement>("#about-dialog").showModal();
}

async function start() {
  // Everything the first screen needs came with the page (each IPC round trip delays the start).
  const {
    language,
    cases,
    lessons,
    basemap,
    limits,
    target_groups: targetGroups,
    kiosk,
    about,
  } = readStartup();
  await loadLanguage(language);
  setLang(language);
  translateStatic();
  setContent({ cases, lessons, basemap, limits, targetGroups });
  caseMap = new CaseMapView();
  const host = {
    showCaseOnMap: (id: string) => {
      navigate("#kaart");
      caseMap.showCase(id);
    },
    openInitiative: (id: string) => navigate(`#initiatief/${id}`),
    repeatCheck: (id: string) => navigate(`#zelfcheck/${id}`),
  };
  selfCheck = new SelfCheckView($("#view-check"), host);
  initiatives = new InitiativesView($("#view-initiatives"), host);
  municipality = new MunicipalityView($("#view-municipality"));
  settingsView = new SettingsView($("#view-settings"));
  setStatus(
    kiosk ?? {
      kiosk: false,
      unlocked: true,
      has_pin: false,
      timeout_minutes: 5,
      contact_enabled: false,
      controller: "",
      contact_retention: "",
      printer: null,
    },
  );
  initKiosk(() => {
    // A fresh start for the next person: no screen keeps anything of the previous one.
    for (const id of ["#view-check", "#view-initiatives", "#view-municipality", "#view-settings"])
      $(id).replaceChildren();
    selfCheck = new SelfCheckView($("#view-check"), host);
    initiatives = new InitiativesView($("#view-initiatives"), host);
    municipality = new MunicipalityView($("#view-municipality"));
    settingsView = new SettingsView($("#view-settings"));
    location.replace("#kaart");
    route().catch(showError);
    // After the map is shown again: a hidden list keeps its scroll position, and shows it again.
    forgetVisit();
    focusHeading($("#view-map"));
  });
  /** What the screen still shows of a visit besides the views: the case map's card, filters and
   * view, open dialogs, messages, and every scroll position. */
  const forgetVisit = () => {
    caseMap.reset();
    for (const dialog of $$<HTMLDialogElement>("dialog[open]")) dialog.close();
    clearError();
    $("#app-error").textContent = "";
    for (const el of $$<HTMLElement>("main *, main")) if (el.scrollTop) el.scrollTop = 0;
    window.scrollTo(0, 0);
  };
  $("#kiosk-done").addEventListener("click", () => endSession().catch(showError));
  $("#lock-again").addEventListener("click", () => endSession().catch(showError));
  $("#coordinator").addEventListener("click", () => navigate("#instellingen"));
  // On a kiosk every step between screens replaces the history entry (see `navigate`).
  document.addEventListener("click", (e) => {
    const a = (e.target as Element).closest<HTMLAnchorElement>("a[href^='#']");
    if (!a || e.defaultPrevented || !kioskStatus().kiosk) return;
    if (!(a.hash.replace(/^#/, "").split("/")[0] in ROUTES)) return;
    e.preventDefault();
    if (a.hash !== location.hash) location.replace(a.hash);
  });
  $$<HTMLButtonElement>(".lang-switch button").forEach((b) =>
    b.addEventListener("click", async () => {
      const lang = b.dataset.lang as Lang;
      if (lang === currentLang()) return;
      try {
        await loadLanguage(lang);
      } catch (e) {
        showError(e);
        return;
      }
      setLang(lang);
      renderAll();
      await api.setLanguage(lang).catch(showError);
    }),
  );
  $("#about-open").addEventListener("click", () => showAbout().catch(showError));
  window.addEventListener("hashchange", () => route().catch(showError));
  // Choosing the screen you are on starts it afresh (a hash that does not change fires no event).
  $$<HTMLAnchorElement>(".nav-link").forEach((a) =>
    a.addEventListener("click", () => {
      if (a.hash === location.hash) route().catch(showError);
    }),
  );
  renderAll();
  // The first screen's map measures its container: only once the page is styled.
  await stylesApplied();
  await route();
  if (about.recovered_from) showNotice(t("recovered", { path: about.recovered_from }));
  if (about.database_notice) showNotice(problemText(about.database_notice));
  if (about.database_error)
    showNotice(t("databaseError", { error: problemText(about.database_error) }));
  document.body.dataset.mapReady = "1";
  // After the next frame the map is on screen and takes input: the start-up figure of `make measure`.
  // Then, with the first screen done, the detailed borders for zooming in.
  requestAnimationFrame(() => {
    void api.markInteractive().catch(() => {});
    prefetchDetailedBorders();
    // The other language's words, so that switching does not wait for them.
    void loadLanguage(currentLang() === "nl" ? "en" : "nl").catch(() => {});
  });
}

start().catch(showError);

import "./styles.css";
import { api, type Basemap, type Case, type Lang, type LessonsAndStrategies, type Strategy } from "./api";
import { emptyFilter, filterCases, type StrategyChoice } from "./filter";
import { currentLang, setLang, t, translateStatic, type MessageKey } from "./i18n";
import { createMap, SHAPES, shapeOf, shapeSvg, type CaseMap } from "./map";

declare global {
  interface Window { __cspViolations: string[] }
}
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));

const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel)!;

function showError(err: unknown) {
  const box = $("#app-error");
  box.textContent = `${t("errorPrefix")} ${err instanceof Error ? err.message : String(err)}`;
  box.hidden = false;
}
window.addEventListener("error", (e) => showError(e.error ?? e.message));
window.addEventListener("unhandledrejection", (e) => showError(e.reason));

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

interface State {
  cases: Case[];
  content: LessonsAndStrategies;
  basemap: Basemap;
  filter: ReturnType<typeof emptyFilter>;
  selected: string | null;
  map: CaseMap;
}
let state: State;

const strategyName = (s: Strategy) => t(`strategy_${s}` as MessageKey);
const placeOf = (c: Case) => c.municipality?.name ?? c.place ?? t("online");
export const displayName = (c: Case) => c.name ?? t("nameUnknown", { place: c.online ? t("online").toLowerCase() : placeOf(c) });
const strategiesText = (c: Case) => (c.strategies.length ? c.strategies.map(strategyName).join(", ") : t("unclassified"));
const markerLabel = (c: Case) => t("markerLabel", { name: displayName(c), place: c.municipality?.name ?? placeOf(c), strategies: strategiesText(c) });

function renderFilters() {
  const choices: StrategyChoice[] = ["bonding", "bridging", "linking", "unclassified"];
  $("#filter-strategies").innerHTML = choices
    .map((s) => {
      const label = s === "unclassified" ? t("unclassified") : strategyName(s);
      const checked = state.filter.strategies.has(s) ? "checked" : "";
      return `<label class="check"><input type="checkbox" value="${s}" ${checked}/> ${shapeSvg(s, 20)} <span>${esc(label)}</span></label>`;
    })
    .join("");
  const bundle = $<HTMLSelectElement>("#filter-bundle");
  bundle.innerHTML =
    `<option value="">${esc(t("allBundles"))}</option>` +
    [1, 2, 3, 4].map((n) => `<option value="${n}">${esc(t("bundle", { n }))}</option>`).join("");
  bundle.value = state.filter.bundle === null ? "" : String(state.filter.bundle);
  const provinces = new Map<string, string>();
  state.cases.forEach((c) => c.province && provinces.set(c.province.code, c.province.name));
  const province = $<HTMLSelectElement>("#filter-province");
  province.innerHTML =
    `<option value="">${esc(t("allProvinces"))}</option>` +
    [...provinces].sort((a, b) => a[1].localeCompare(b[1], "nl")).map(([code, name]) => `<option value="${code}">${esc(name)}</option>`).join("");
  province.value = state.filter.province ?? "";
}

function renderLegend() {
  $("#map-legend").innerHTML =
    `<strong>${esc(t("legendTitle"))}</strong><ul>` +
    (Object.keys(SHAPES) as (keyof typeof SHAPES)[])
      .map((s) => `<li>${shapeSvg(s, 16)} ${esc(s === "unclassified" ? t("unclassified") : strategyName(s))}</li>`)
      .join("") +
    "</ul>";
}

function renderList() {
  const lang = currentLang();
  const shown = filterCases(state.cases, state.filter, lang);
  $("#case-count").textContent = t("count", { shown: shown.length, total: state.cases.length });
  $("#case-list").innerHTML = shown
    .map((c) => {
      const current = c.id === state.selected ? 'aria-current="true"' : "";
      const where = c.online ? `${t("online")} · ${t("notOnMap")}` : c.municipality?.name ?? "";
      return `<li data-case-id="${esc(c.id)}"><button type="button" class="case-item" ${current} data-case-id="${esc(c.id)}">
        ${shapeSvg(shapeOf(c), 18)}
        <span class="case-item-text"><span class="case-item-name">${esc(displayName(c))}</span>
        <span class="case-item-meta">${esc(where)} · ${esc(t("bundle", { n: c.bundle }))} · ${esc(strategiesText(c))}</span></span>
      </button></li>`;
    })
    .join("");
  state.map.setCases(shown, markerLabel);
}

function renderCard() {
  const card = $("#case-card");
  const c = state.cases.find((x) => x.id === state.selected);
  if (!c) {
    card.hidden = true;
    card.innerHTML = "";
    state.map.resize();
    return;
  }
  const lang = currentLang();
  const lessons = state.content.lessons.filter((l) => c.strategies.includes(l.strategy));
  const row = (label: string, value: string) => (value ? `<dt>${esc(label)}</dt><dd>${value}</dd>` : "");
  const sources = c.sources
    .map((u) => `<li><span class="source-url">${esc(u)}</span></li>`)
    .join("");
  card.innerHTML = `
    <div class="card-head">
      <h2 id="case-card-title">${esc(displayName(c))}</h2>
      <button type="button" class="icon-button" id="case-card-close" aria-label="${esc(t("closeCard"))}">×</button>
    </div>
    ${c.name === null ? `<p class="note">${esc(t("nameUnknownNote"))}</p>` : ""}
    ${c.name_confidence === "probable" ? `<p class="note">${esc(t("nameProbable"))}</p>` : ""}
    <p class="summary">${esc(c.summary[lang])}</p>
    <dl class="facts">
      ${row(t("cardPlace"), esc(c.online ? t("online") : [c.neighbourhood, c.place].filter(Boolean).join(", ")))}
      ${row(t("cardMunicipality"), esc(c.municipality ? `${c.municipality.name} (${c.province?.name ?? ""})` : ""))}
      ${row(t("cardBundle"), esc(`${t("bundle", { n: c.bundle })}, ${c.year}`))}
      ${row(t("cardStrategies"), esc(strategiesText(c)))}
      ${row(t("cardLessons"), lessons.length ? `<ul>${lessons.map((l) => `<li>${esc(l.title[lang])}</li>`).join("")}</ul>` : "")}
      ${row(t("cardTargetGroups"), esc(c.target_groups.join("; ")))}
    </dl>
    ${c.online ? `<p class="note">${esc(t("onlineNote"))}</p>` : `<p class="note">${esc(t("cardCoordinates"))}</p>`}
    <p class="note">${esc(t("cardConfidence", { level: t(`confidence_${c.confidence}` as MessageKey) }))}</p>
    <h3>${esc(t("cardSources"))}</h3>
    <p>${esc(t("cardSourceMovisie", { n: c.bundle, year: c.year }))}</p>
    <ul class="sources">${sources}</ul>`;
  card.hidden = false;
  state.map.resize();
  $("#case-card-close").addEventListener("click", () => select(null));
}

function select(id: string | null, from: "list" | "map" = "list") {
  const previous = state.selected;
  state.selected = id;
  document.querySelectorAll<HTMLButtonElement>("#case-list .case-item").forEach((b) => {
    if (b.dataset.caseId === id) b.setAttribute("aria-current", "true");
    else b.removeAttribute("aria-current");
  });
  state.map.select(id, from === "list");
  renderCard();
  if (id) $("#case-card").focus();
  else if (previous) document.querySelector<HTMLButtonElement>(`#case-list .case-item[data-case-id="${previous}"]`)?.focus();
}

function renderAll() {
  translateStatic();
  document.querySelectorAll<HTMLButtonElement>(".lang-switch button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === currentLang())));
  renderFilters();
  renderLegend();
  renderList();
  renderCard();
  const note = $("#geo-note");
  note.hidden = state.basemap.official;
  note.textContent = t("geoApproximate");
}

async function showAbout() {
  const about = await api.about();
  $("#about-body").innerHTML = `
    <p>${esc(t("aboutBody"))}</p>
    <h3>${esc(t("aboutSources"))}</h3>
    <ul><li>${esc(about.lessons_source)}</li><li>${esc(about.cases_source)}</li>
    <li>${esc(about.official_geography ? t("aboutGeo") : t("aboutGeoFallback"))}</li></ul>
    ${about.database ? `<p>${esc(t("aboutDatabase", { path: about.database }))}</p>` : ""}
    <p>${esc(t("aboutVersion", { version: about.version }))}</p>`;
  $<HTMLDialogElement>("#about-dialog").showModal();
}

function wireEvents() {
  const form = $<HTMLFormElement>("#case-filters");
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("input", () => {
    const f = state.filter;
    f.text = $<HTMLInputElement>("#filter-text").value;
    f.strategies = new Set(
      [...form.querySelectorAll<HTMLInputElement>("#filter-strategies input:checked")].map((i) => i.value as StrategyChoice),
    );
    const bundle = $<HTMLSelectElement>("#filter-bundle").value;
    f.bundle = bundle ? Number(bundle) : null;
    f.province = $<HTMLSelectElement>("#filter-province").value || null;
    renderList();
  });
  $("#case-list").addEventListener("click", (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>(".case-item");
    if (button?.dataset.caseId) select(button.dataset.caseId);
  });
  state.map.onSelect((id) => select(id, "map"));
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && state.selected && !$<HTMLDialogElement>("#about-dialog").open) select(null);
  });
  document.querySelectorAll<HTMLButtonElement>(".lang-switch button").forEach((b) =>
    b.addEventListener("click", async () => {
      const lang = b.dataset.lang as Lang;
      setLang(lang);
      renderAll();
      await api.setLanguage(lang).catch(showError);
    }),
  );
  $("#about-open").addEventListener("click", () => showAbout().catch(showError));
}

async function start() {
  setLang(await api.getLanguage().catch(() => "nl" as Lang));
  translateStatic();
  const [cases, content, basemap] = await Promise.all([api.cases(), api.lessons(), api.basemap()]);
  const map = createMap($("#map"), basemap);
  state = { cases, content, basemap, filter: emptyFilter(), selected: null, map };
  wireEvents();
  renderAll();
  document.body.dataset.mapReady = "1";
}

start().catch(showError);

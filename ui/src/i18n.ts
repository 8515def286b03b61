// Every visible string of the UI, in Dutch (the default, B1) and English. Content (lessons,
// cases) comes from the core in both languages; these are only the interface's own words.
import type { Lang } from "./api";

const nl = {
  skipToList: "Naar de lijst met initiatieven",
  mainNav: "Hoofdmenu",
  navMap: "Kaart",
  language: "Taal",
  about: "Over Wijkkompas",
  close: "Sluiten",
  casesHeading: "29 initiatieven uit Wij in de Wijk",
  casesIntro: "Movisie beschreef tussen 2019 en 2022 initiatieven in wijken en dorpen. Kies er een om te lezen wat ze doen.",
  mapHeading: "Kaart van Nederland met de initiatieven",
  filterText: "Zoeken",
  filterStrategy: "Strategie",
  filterBundle: "Bundel",
  filterProvince: "Provincie",
  allBundles: "Alle bundels",
  allProvinces: "Alle provincies",
  bundle: "Bundel {n}",
  unclassified: "Niet ingedeeld",
  count: "{shown} van {total} initiatieven",
  nameUnknown: "Initiatief in {place}",
  nameUnknownNote: "De naam van dit initiatief is niet bekend.",
  nameProbable: "Naam waarschijnlijk, niet zeker.",
  online: "Online",
  onlineNote: "Dit initiatief is alleen online actief en staat daarom niet op de kaart.",
  notOnMap: "niet op de kaart",
  cardPlace: "Plaats",
  cardMunicipality: "Gemeente",
  cardBundle: "Bundel en jaar",
  cardStrategies: "Strategie",
  cardLessons: "Lessen die het laat zien",
  cardTargetGroups: "Doelgroepen",
  cardSources: "Bron",
  cardSourceMovisie: "Movisie, Wij in de Wijk {n} ({year})",
  cardCoordinates: "De plek op de kaart is een schatting.",
  cardConfidence: "Zekerheid van de gegevens: {level}",
  confidence_high: "hoog",
  confidence_medium: "gemiddeld",
  confidence_low: "laag",
  showOnMap: "Toon op de kaart",
  closeCard: "Sluit de kaart van dit initiatief",
  legendTitle: "Legenda",
  markerLabel: "{name}, {place}. Strategie: {strategies}",
  geoApproximate: "Let op: deze versie heeft geen officiële gemeentegrenzen. Gemeenten zijn bij benadering.",
  aboutBody:
    "Wijkkompas helpt bewonersinitiatieven, professionals en gemeenten te leren van de 29 initiatieven die Movisie beschreef in het project Wij in de Wijk (2019–2022). De lessen en tips zijn in eigen woorden samengevat; de bron is Movisie.",
  aboutSources: "Bronnen",
  aboutGeo: "Gemeente- en provinciegrenzen 2024: © Kadaster (PDOK), open data. Plaatsen: BAG (Kadaster), CBS wijk- en buurtkaart 2022, GeoNames (CC BY 4.0). Land: © OpenStreetMap-bijdragers (ODbL).",
  aboutGeoFallback: "Grenzen en plaatsen: Natural Earth (publiek domein) en GeoNames (CC BY 4.0). Gemeenten zijn bij benadering.",
  aboutDatabase: "Uw gegevens staan alleen op deze computer: {path}",
  aboutVersion: "Versie {version}",
  errorPrefix: "Er ging iets mis:",
  strategy_bonding: "Binden (bonding)",
  strategy_bridging: "Overbruggen (bridging)",
  strategy_linking: "Verbinden met instanties (linking)",
};

const en: typeof nl = {
  skipToList: "Skip to the list of initiatives",
  mainNav: "Main menu",
  navMap: "Map",
  language: "Language",
  about: "About Wijkkompas",
  close: "Close",
  casesHeading: "29 initiatives from Wij in de Wijk",
  casesIntro: "Between 2019 and 2022 Movisie described initiatives in neighbourhoods and villages. Choose one to read what they do.",
  mapHeading: "Map of the Netherlands with the initiatives",
  filterText: "Search",
  filterStrategy: "Strategy",
  filterBundle: "Bundle",
  filterProvince: "Province",
  allBundles: "All bundles",
  allProvinces: "All provinces",
  bundle: "Bundle {n}",
  unclassified: "Not classified",
  count: "{shown} of {total} initiatives",
  nameUnknown: "Initiative in {place}",
  nameUnknownNote: "The name of this initiative is not known.",
  nameProbable: "Name probable, not certain.",
  online: "Online",
  onlineNote: "This initiative is active online only, so it is not on the map.",
  notOnMap: "not on the map",
  cardPlace: "Place",
  cardMunicipality: "Municipality",
  cardBundle: "Bundle and year",
  cardStrategies: "Strategy",
  cardLessons: "Lessons it illustrates",
  cardTargetGroups: "Target groups",
  cardSources: "Source",
  cardSourceMovisie: "Movisie, Wij in de Wijk {n} ({year})",
  cardCoordinates: "The position on the map is an estimate.",
  cardConfidence: "Certainty of the facts: {level}",
  confidence_high: "high",
  confidence_medium: "medium",
  confidence_low: "low",
  showOnMap: "Show on the map",
  closeCard: "Close this initiative's card",
  legendTitle: "Legend",
  markerLabel: "{name}, {place}. Strategy: {strategies}",
  geoApproximate: "Note: this version has no official municipal boundaries. Municipalities are approximate.",
  aboutBody:
    "Wijkkompas helps resident initiatives, professionals and municipalities learn from the 29 initiatives that Movisie described in the project Wij in de Wijk (2019–2022). The lessons and tips are summarised in our own words; the source is Movisie.",
  aboutSources: "Sources",
  aboutGeo: "Municipal and provincial boundaries 2024: © Kadaster (PDOK), open data. Places: BAG (Kadaster), CBS district map 2022, GeoNames (CC BY 4.0). Land: © OpenStreetMap contributors (ODbL).",
  aboutGeoFallback: "Boundaries and places: Natural Earth (public domain) and GeoNames (CC BY 4.0). Municipalities are approximate.",
  aboutDatabase: "Your data stays on this computer only: {path}",
  aboutVersion: "Version {version}",
  errorPrefix: "Something went wrong:",
  strategy_bonding: "Bonding",
  strategy_bridging: "Bridging",
  strategy_linking: "Linking",
};

export type MessageKey = keyof typeof nl;
export const catalogues: Record<Lang, Record<MessageKey, string>> = { nl, en };

let current: Lang = "nl";
export const currentLang = () => current;
export function setLang(lang: Lang) {
  current = lang;
  document.documentElement.lang = lang;
}

/** A message in the current language, with {placeholders} filled in. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return catalogues[current][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}

/** Fills elements marked with data-i18n (text) and data-i18n-label (aria-label). */
export function translateStatic(root: ParentNode = document) {
  root.querySelectorAll<HTMLElement>("[data-i18n]").forEach((el) => {
    el.textContent = t(el.dataset.i18n as MessageKey);
  });
  root.querySelectorAll<HTMLElement>("[data-i18n-label]").forEach((el) => {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel as MessageKey));
  });
}

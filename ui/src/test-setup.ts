// Unit tests switch languages at will (setLang): every language's words are loaded first, as the
// app loads them before it switches.
import { loadLanguage } from "./i18n";

await loadLanguage("en");

// The first screen's data is asked for before the rest of the code runs: the core answers while
// the webview still evaluates Leaflet and the views. main.ts imports this module first.
import { api } from "./api";

export const startupReply = api.startup();

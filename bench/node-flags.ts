// node's flags as npm start gives them (package.json's "start" script), so that
// a benchmark of the built app measures what runs in service.
import { readFileSync } from "node:fs";

const start: string = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).scripts.start;

export const BUILT_FLAGS: string[] = start.split(/\s+/).filter((t) => t.startsWith("--"));

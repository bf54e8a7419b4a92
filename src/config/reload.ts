// Authority files changed or added while the app runs: read again on SIGHUP or
// `drp authorities reload`. All or nothing: if any file is invalid, the app
// keeps the authorities it has and says which file and field is wrong.
import type { Authority } from "../domain/procedure/model.ts";
import { loadAuthorities } from "./authorities.ts";

export type ReloadResult =
  /** kept: files no longer there, whose authorities stay until a restart (their disputes are still open) */
  { ok: true; added: string[]; changed: string[]; kept: string[] } | { ok: false; errors: string[] };

/** Replaces the contents of `current` (the map every part of the app holds) with the files as they are now. */
export function reloadAuthorities(current: Map<string, Authority>, dir?: string): ReloadResult {
  const { authorities: next, errors } = loadAuthorities(dir);
  if (errors.length) return { ok: false, errors: errors.map((e) => e.message) };
  // an authority with disputes cannot vanish under them: a removed file is kept until the app restarts
  const kept = [...current.keys()].filter((id) => !next.has(id));
  const added = [...next.keys()].filter((id) => !current.has(id));
  const changed = [...next.keys()].filter(
    (id) => current.has(id) && JSON.stringify(strip(current.get(id)!)) !== JSON.stringify(strip(next.get(id)!)),
  );
  for (const [id, a] of next) current.set(id, a);
  return { ok: true, added, changed, kept };
}

/** What an authority says, without its calendar (a class holding caches). */
function strip(a: Authority): unknown {
  const { calendar: _calendar, ...rest } = a;
  return rest;
}

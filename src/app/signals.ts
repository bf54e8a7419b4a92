// Stopping on SIGTERM or SIGINT. The first signal starts a drain: the API
// stops taking requests and the worker finishes the emails it is handing
// over, recording each. Later signals (a second Ctrl-C, npm forwarding the
// terminal's SIGINT to a process that already has it) are logged and change
// nothing: only SIGKILL cuts a drain short.
import { reloadAuthorities } from "../config/reload.ts";
import type { Logger } from "../log.ts";
import type { Services } from "../service/context.ts";

/** SIGHUP: read the authority files again; an invalid one is refused and the old ones kept. */
export function reloadOnHangup(svc: Services): void {
  process.on("SIGHUP", () => logReload(svc, "SIGHUP"));
}

export function logReload(svc: Services, by: string): ReturnType<typeof reloadAuthorities> {
  const r = reloadAuthorities(svc.authorities);
  if (r.ok) svc.log.info({ by, added: r.added, changed: r.changed, kept: r.kept }, "authority files reloaded");
  else svc.log.error({ by, errors: r.errors }, "authority files not reloaded: an invalid file; the authorities in use are kept");
  return r;
}

export function stopOnSignals(log: Logger, stop: (signal: NodeJS.Signals) => Promise<unknown>): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      if (stopping) {
        log.warn({ signal }, "already stopping: finishing the emails being sent first (SIGKILL stops at once)");
        return;
      }
      stopping = true;
      log.info({ signal }, "stopping: no new work; finishing the emails being sent");
      void stop(signal);
    });
}

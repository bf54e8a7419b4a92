// What every service function needs: the database, the authority files, the
// clock and the logger. Built once at start-up and passed down.
import type { Clock } from "../clock.ts";
import type { Database } from "../db/client.ts";
import type { Authority } from "../domain/procedure/model.ts";
import type { Logger } from "../log.ts";
import { safeMessage } from "../safe-error.ts";
import { NotFoundError } from "./errors.ts";

export interface Services {
  db: Database;
  authorities: Map<string, Authority>;
  clock: Clock;
  log: Logger;
  /**
   * Told after a dispute changes (raise, step, import): the worker schedules
   * its notifications. Missing or failing, nothing is lost: the reconciler
   * finds the dispute within minutes.
   */
  onDisputeChanged?: (disputeId: string) => Promise<unknown>;
  /** Told after a sign-in link is asked for: the worker emails it now (its sweep would, within half a minute). */
  onSignInRequested?: () => void;
  /** Told after an address is marked undeliverable: the worker reads the directory afresh for the next email. */
  onDirectoryChanged?: (authorityId: string) => void;
}

export function disputeChanged(svc: Services, disputeId: string): void {
  svc
    .onDisputeChanged?.(disputeId)
    .catch((e: Error) => svc.log.warn({ disputeId, err: safeMessage(e) }, "could not schedule notifications now; the reconciler will"));
}

export function authorityOf(svc: Services, id: string): Authority {
  const a = svc.authorities.get(id);
  if (!a) throw new NotFoundError(`no authority "${id}"`);
  return a;
}

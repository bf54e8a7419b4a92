// The buttons an email carries: for the steps the email asks of its reader,
// a signed link each, bound to the dispute's version, the addressee and the
// step, expiring DRP_LINK_DAYS after the email's Date. The same email resent
// after a crash carries the same links (nothing in them is random).
import type { DisputeRow } from "../db/queries/disputes.ts";
import type { DisputeState } from "../domain/dispute/state.ts";
import type { PlannedNotification } from "../domain/planner.ts";
import type { Procedure } from "../domain/procedure/model.ts";
import type { AddressedEmail } from "../mail/addressing.ts";
import { actionsFor } from "./actions.ts";
import { signLink } from "./token.ts";

export interface LinkConfig {
  /** PUBLIC_URL, without a trailing slash */
  publicUrl: string;
  secret: Buffer;
  /** how long a link works, in days */
  days: number;
}

export function linkConfigFromEnv(secret: () => Buffer): LinkConfig | undefined {
  const url = process.env.PUBLIC_URL?.replace(/\/+$/, "");
  if (!url) return undefined;
  if (!/^https?:\/\/[^/]+/.test(url)) throw new Error(`PUBLIC_URL must be an http(s) URL, got "${url}"`);
  return { publicUrl: url, secret: secret(), days: Number(process.env.DRP_LINK_DAYS ?? 14) };
}

export function linksFor(
  cfg: LinkConfig | undefined,
  d: { a: { id: string }; p: Procedure; row: DisputeRow; state: DisputeState; n: PlannedNotification; email: AddressedEmail },
  date: Date,
): { label: string; url: string }[] {
  if (!cfg || !d.email.to.length) return [];
  return actionsFor(d.p, d.state, d.n.kind, d.email.audience).map((x) => ({
    label: x.label,
    url: `${cfg.publicUrl}/act/${signLink(cfg.secret, {
      v: 1,
      a: d.a.id,
      d: d.row.id,
      r: d.email.role,
      e: d.email.to[0]!.email,
      act: x.action,
      ver: d.row.version,
      exp: Math.floor(date.getTime() / 1000) + cfg.days * 86_400,
    })}`,
  }));
}

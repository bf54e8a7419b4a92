// The buttons an email carries: for the steps the email asks of its reader,
// a sealed link each, bound to the dispute's version, the one person the
// email goes to and the step, expiring DRP_LINK_DAYS after the email's Date.
import type { DisputeRow } from "../db/queries/disputes.ts";
import type { DisputeState } from "../domain/dispute/state.ts";
import type { PlannedNotification } from "../domain/planner.ts";
import type { Procedure } from "../domain/procedure/model.ts";
import type { AddressedEmail } from "../mail/addressing.ts";
import { actionsFor } from "./actions.ts";
import { type LinkKeys, linkKeys, sealLink } from "./token.ts";

export interface LinkConfig {
  /** PUBLIC_URL, without a trailing slash */
  publicUrl: string;
  keys: LinkKeys;
  /** how long a link works, in days */
  days: number;
}

/** DRP_LINK_DAYS: a whole number of days, 1 to 90 (default 14). */
export function linkDays(raw = process.env.DRP_LINK_DAYS): number {
  if (raw === undefined || raw === "") return 14;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > 90)
    throw new Error(`DRP_LINK_DAYS must be a whole number of days from 1 to 90, got "${raw}"`);
  return days;
}

export function linkConfigFromEnv(secret: () => Buffer): LinkConfig | undefined {
  const url = process.env.PUBLIC_URL?.replace(/\/+$/, "");
  if (!url) return undefined;
  if (!/^https?:\/\/[^/]+/.test(url)) throw new Error(`PUBLIC_URL must be an http(s) URL, got "${url}"`);
  return { publicUrl: url, keys: linkKeys(secret()), days: linkDays() };
}

export async function linksFor(
  cfg: LinkConfig | undefined,
  d: { a: { id: string }; p: Procedure; row: DisputeRow; state: DisputeState; n: PlannedNotification; email: AddressedEmail },
  date: Date,
): Promise<{ label: string; url: string }[]> {
  const person = d.email.to[0];
  // the QA inbox standing in for someone nobody holds the role of is told, not asked to act in their name
  if (!cfg || !person || d.email.redirected) return [];
  const iat = Math.floor(date.getTime() / 1000);
  return Promise.all(
    actionsFor(d.p, d.state, d.n.kind, d.email.audience, d.email.role, d.row.serviceId).map(async (x) => ({
      label: x.label,
      url: `${cfg.publicUrl}/act/${await sealLink(cfg.keys, {
        v: 2,
        a: d.a.id,
        d: d.row.id,
        r: d.email.role,
        e: person.email,
        act: x.action,
        ver: d.row.version,
        iat,
        exp: iat + cfg.days * 86_400,
      })}`,
    })),
  );
}

/**
 * Where people reach the pages, for a link in an email: PUBLIC_URL; or, on an
 * app that listens on this machine only (HOST unset or loopback, the embedded
 * default), http://localhost:PORT. Never from a request's Host header.
 */
export function pagesBaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.PUBLIC_URL?.replace(/\/+$/, "");
  if (url) return url;
  const host = env.HOST ?? "127.0.0.1";
  if (host === "127.0.0.1" || host === "localhost" || host === "::1") return `http://localhost:${env.PORT ?? 3000}`;
  return undefined;
}

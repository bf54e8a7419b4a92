// Emailing the sign-in links people ask for on the sign-in page, through the
// outbox like every email (key sign-in:<link id>, once each). Told at once
// when a link is asked for (Services.onSignInRequested), and a sweep every
// half a minute finds any it missed. Not held for sending hours: someone
// signing in at 18:00 needs the link then. A link whose 15 minutes have run
// out is not sent.
import { and, asc, gt, isNull, sql } from "drizzle-orm";
import { loadDirectory } from "../db/queries/directory.ts";
import { outbox, signInLinks } from "../db/schema.ts";
import { pagesBaseUrl } from "../links/email-links.ts";
import { sealSignIn } from "../links/sign-in-token.ts";
import { type LinkKeys, linkKeys, linkSecret } from "../links/token.ts";
import { claim, recordFinal } from "../mail/outbox.ts";
import { serviceEmail } from "../mail/send.ts";
import { signInEmailView } from "../mail/sign-in-email.ts";
import { messageIdFor } from "../mail/threading.ts";
import { SIGN_IN_MINUTES } from "../service/sessions.ts";
import type { WorkerDeps } from "./dispatch.ts";

export const signInKey = (id: string) => `sign-in:${id}`;

/** Sends the sign-in links asked for and not yet emailed; returns how many went. */
export async function sendSignInLinks(deps: WorkerDeps, sealWith: LinkKeys = deps.links?.keys ?? linkKeys(linkSecret())): Promise<number> {
  const { svc } = deps;
  const now = svc.clock.now();
  // each goes once: one already in the outbox (sent, sending or failed) is not taken again; the oldest first
  const due = await svc.db
    .select()
    .from(signInLinks)
    .where(
      and(
        isNull(signInLinks.usedAt),
        gt(signInLinks.expiresAt, now),
        sql`not exists (select 1 from ${outbox} o where o.key = 'sign-in:' || ${signInLinks.id}::text)`,
      ),
    )
    .orderBy(asc(signInLinks.createdAt))
    .limit(200);
  if (!due.length) return 0;
  const base = pagesBaseUrl();
  let sent = 0;
  for (const row of due) {
    const key = signInKey(row.id);
    const a = svc.authorities.get(row.authorityId);
    if (!a) continue;
    const entry = { key, disputeId: null, authorityId: a.id, plannerKey: key, kind: "sign_in_link", stage: null, recipientRole: "person" };
    if (!base) {
      await recordFinal(svc.db, [
        { ...entry, status: "failed", reason: "no address for the pages: set PUBLIC_URL, where people reach the app" },
      ]);
      continue;
    }
    const person = [...(await loadDirectory(svc.db, a.id)).people.values()].find((p) => p.email.toLowerCase() === row.email);
    if (!person) continue; // taken out of the directory since: no link, and nothing to tell
    const [held] = await claim(
      svc.db,
      [{ ...entry, messageId: messageIdFor(key, deps.mailDomain), dateHeader: now, toAddresses: [person.email] }],
      deps.workerId,
      now,
      deps.leaseMs,
    );
    if (!held) continue; // another worker has it
    const link = `${base}/sign-in/email/${await sealSignIn(sealWith, row.id, row.expiresAt)}`;
    const view = signInEmailView(a, person, link, { at: row.createdAt, minutes: SIGN_IN_MINUTES }, deps.from);
    const delivered = await deps.sender.deliver([
      {
        row: held,
        ids: { authority: a.id },
        build: () => serviceEmail(deps.from, held, [person.email], { subject: view.subject, ...deps.renderer.render(view) }),
      },
    ]);
    if (delivered.get(key)?.result === "sent") sent += 1;
  }
  return sent;
}

// The QA inbox's daily list of emails that could not be sent after every
// retry (or reached only some of their addresses): on working mornings, one
// email to each QA inbox that has failures not yet listed — the inbox of each
// failure's procedure, as the directory resolves it for the dispute's team.

import { loadDirectory } from "../db/queries/directory.ts";
import { type IsoDate, longDate } from "../domain/calendar/dates.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import { type Person, resolveRole } from "../domain/directory.ts";
import { openingTime } from "../domain/procedure/deadlines.ts";
import type { Authority, ProcedureId } from "../domain/procedure/model.ts";
import type { EmailView } from "../mail/model.ts";
import { claim, type FailureToReport, markReported, unreportedFailures } from "../mail/outbox.ts";
import { serviceEmail } from "../mail/send.ts";
import { messageIdFor } from "../mail/threading.ts";
import type { WorkerDeps } from "./dispatch.ts";

/**
 * `catchUp` (at start-up): only for an authority whose list this morning was
 * missed (no worker ran at its opening time), i.e. one with a failure from
 * before today's opening still unlisted; the others wait for the next morning.
 */
export async function sendFailureDigests(deps: WorkerDeps, opts: { catchUp?: boolean } = {}): Promise<number> {
  const { svc } = deps;
  let sent = 0;
  for (const a of svc.authorities.values()) {
    const now = svc.clock.now();
    const today = localDate(now, a.timeZone);
    if (!a.calendar.isWorkingDay(today)) continue; // the list waits for the next working morning
    const failures = await unreportedFailures(svc.db, a.id);
    if (!failures.length) continue;
    const opening = openingTime(a, today);
    if (opts.catchUp && (now < opening || !failures.some((f) => f.createdAt < opening))) continue;
    const dir = await loadDirectory(svc.db, a.id);
    const byInbox = new Map<string, { people: Person[]; failures: FailureToReport[] }>();
    for (const f of failures) {
      const role = (f.procedure && a.procedures[f.procedure as ProcedureId]?.qaInbox) || "qa_inbox";
      const r = f.teamId
        ? resolveRole(dir, role, f.teamId)
        : { found: true as const, people: (dir.roles[role] ?? []).map((id) => dir.people.get(id)!).filter(Boolean) };
      const people = r.found ? r.people : [];
      if (!people.length) {
        deps.log.error({ authority: a.id, key: f.key }, "an email failed, and no QA inbox in the directory to tell");
        continue;
      }
      const id = people
        .map((p) => p.email)
        .sort()
        .join(",");
      (byInbox.get(id) ?? byInbox.set(id, { people, failures: [] }).get(id)!).failures.push(f);
    }
    for (const [inbox, group] of byInbox) {
      const key = `digest:${a.id}:${today}:${inbox}:${group.failures.length}`;
      const to = group.people.map((p) => p.email);
      const [row] = await claim(
        svc.db,
        [
          {
            key,
            disputeId: null,
            authorityId: a.id,
            plannerKey: key,
            kind: "failure_digest",
            stage: null,
            recipientRole: "qa_inbox",
            messageId: messageIdFor(key, deps.mailDomain),
            dateHeader: now,
            toAddresses: to,
          },
        ],
        deps.workerId,
        now,
        deps.leaseMs,
      );
      if (!row) continue; // another worker has it, or it went
      const view = failureDigestView(
        a,
        group.failures,
        group.people.map((p) => p.name),
        today,
        deps.from,
      );
      const delivered = await deps.sender.deliver([
        {
          row,
          ids: { authority: a.id },
          build: () => serviceEmail(deps.from, row, to, { subject: view.subject, ...deps.renderer.render(view) }),
        },
      ]);
      if (delivered.get(key)?.result !== "sent") continue;
      // listed: the next list leaves them out (if this is lost, tomorrow's list names them again; none is dropped)
      await markReported(
        svc.db,
        group.failures.map((f) => f.key),
        now,
      );
      sent += 1;
    }
  }
  return sent;
}

export function failureDigestView(
  a: Authority,
  failures: Pick<FailureToReport, "kind" | "recipientRole" | "key" | "reason" | "lastError" | "reference">[],
  qaNames: string[],
  today: IsoDate,
  from: string,
): EmailView {
  const n = failures.length;
  const what = (f: (typeof failures)[number]) =>
    `${f.reference ?? "—"}: ${f.kind.replaceAll("_", " ")} for the ${f.recipientRole.replaceAll("_", " ")} — ${f.reason ?? f.lastError ?? "unknown"} (${f.key})`;
  // sent, then bounced (mail/inbound): not "could not be sent", which would not be true of them
  const bounced = failures.filter((f) => f.reason?.startsWith("bounced:"));
  const unsent = failures.filter((f) => !f.reason?.startsWith("bounced:"));
  const emails = (k: number) => `${k} dispute email${k === 1 ? "" : "s"}`;
  const heading = !bounced.length
    ? `${emails(n)} could not be sent`
    : !unsent.length
      ? `${emails(n)} bounced`
      : `${emails(n)} did not arrive: ${unsent.length} not sent, ${bounced.length} bounced`;
  return {
    kind: "failure_digest",
    audience: "recipient",
    subject: [a.protectiveMarking, a.subjectPrefix, `emails not ${bounced.length ? "delivered" : "sent"}, ${longDate(today)}`]
      .filter(Boolean)
      .join(" "),
    preheader: unsent.length
      ? `${unsent.length} email${unsent.length === 1 ? "" : "s"} could not be delivered to everyone after every retry.${bounced.length ? ` ${bounced.length} bounced.` : ""}`
      : `${bounced.length} email${bounced.length === 1 ? "" : "s"} sent, then bounced.`,
    heading,
    authorityName: a.name,
    // about no one dispute: the email shows neither reference
    reference: undefined,
    caseReference: undefined,
    protectiveMarking: a.protectiveMarking,
    recipient: { name: qaNames.join(", "), role: "QA inbox" },
    paragraphs: [
      ...(unsent.length
        ? [
            "These emails did not reach everyone they were for, after every retry. The people missed have not been told; please pass each one on and check the directory or the mail server.",
          ]
        : []),
      ...(bounced.length
        ? [
            "These emails were sent, then delivery reports said they could not be delivered. Each address was marked undeliverable when it bounced (drp directory undeliverable lists those still marked): it is left out of the emails that follow, and where nobody else holds its role, an email asking the role to act comes to this inbox instead.",
          ]
        : []),
    ],
    lists: [
      ...(unsent.length ? [{ lead: "Not sent:", items: unsent.map(what) }] : []),
      ...(bounced.length ? [{ lead: "Sent, then bounced:", items: bounced.map(what) }] : []),
    ],
    banners: [],
    source: "drp-monitor daily failure list",
    instigator: { name: "drp-monitor", email: from, role: "system" },
    footer: `You are receiving this as a QA inbox of ${a.name}.`,
  };
}

// The QA inbox's daily list of emails that could not be sent after every
// retry, one email per authority with failures not yet reported.

import { loadDirectory } from "../db/queries/directory.ts";
import { type IsoDate, longDate } from "../domain/calendar/dates.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import type { Authority } from "../domain/procedure/model.ts";
import type { EmailView } from "../mail/model.ts";
import { claim, markReported, markSent, type OutboxRow, release, unreportedFailures } from "../mail/outbox.ts";
import { messageIdFor } from "../mail/threading.ts";
import type { WorkerDeps } from "./notify.ts";

export async function sendFailureDigests(deps: WorkerDeps): Promise<number> {
  const { svc } = deps;
  let sent = 0;
  for (const a of svc.authorities.values()) {
    const failures = await unreportedFailures(svc.db, a.id);
    if (!failures.length) continue;
    const now = svc.clock.now();
    const today = localDate(now, a.timeZone);
    const dir = await loadDirectory(svc.db, a.id);
    const qa = (dir.roles.qa_inbox ?? []).map((id) => dir.people.get(id)).filter((p) => p !== undefined);
    if (!qa.length) {
      deps.log.error(
        { authority: a.id, failures: failures.length },
        "failed emails, and no authority-wide qa_inbox in the directory to tell",
      );
      continue;
    }
    const key = `digest:${a.id}:${today}:${failures.length}`;
    const entry = {
      key,
      disputeId: null,
      authorityId: a.id,
      plannerKey: key,
      kind: "failure_digest",
      stage: null,
      recipientRole: "qa_inbox",
    };
    if (!(await claim(svc.db, entry, deps.workerId, now, deps.leaseMs))) continue;
    const view = failureDigestView(
      a,
      failures,
      qa.map((p) => p.name),
      today,
      deps.from,
    );
    try {
      const { html, text } = deps.renderer.render(view);
      const to = qa.map((p) => p.email);
      const res = await deps.mailer.send({
        from: deps.from,
        to,
        cc: [],
        replyTo: deps.from,
        subject: view.subject,
        html,
        text,
        date: now,
        messageId: messageIdFor(key, deps.mailDomain),
        headers: { "X-DRP-Key": key },
      });
      await markSent(svc.db, key, { smtpResponse: res.response, to, cc: [], at: now });
      await markReported(
        svc.db,
        failures.map((f) => f.key),
        now,
      );
      deps.metrics.notifications.inc({ kind: "failure_digest", result: "sent" });
      sent += 1;
    } catch (e) {
      await release(svc.db, key, (e as Error).message);
      throw e;
    }
  }
  return sent;
}

export function failureDigestView(
  a: Authority,
  failures: Pick<OutboxRow, "kind" | "recipientRole" | "key" | "reason" | "lastError">[],
  qaNames: string[],
  today: IsoDate,
  from: string,
): EmailView {
  const n = failures.length;
  return {
    kind: "failure_digest",
    subject: [a.protectiveMarking, a.subjectPrefix, `emails not sent, ${longDate(today)}`].filter(Boolean).join(" "),
    preheader: `${n} email${n === 1 ? "" : "s"} could not be delivered after every retry.`,
    heading: `${n} dispute email${n === 1 ? "" : "s"} could not be sent`,
    authorityName: a.name,
    reference: "—",
    caseReference: "—",
    protectiveMarking: a.protectiveMarking,
    recipient: { name: qaNames.join(", "), role: "QA inbox" },
    paragraphs: [
      "These emails were not delivered after every retry. The people they were for have not been told; please pass each one on and check the directory or the mail server.",
    ],
    lists: [
      {
        lead: "Not sent:",
        items: failures.map(
          (f) =>
            `${f.kind.replaceAll("_", " ")} for ${f.recipientRole.replaceAll("_", " ")} (${f.key}): ${f.reason ?? f.lastError ?? "unknown"}`,
        ),
      },
    ],
    banners: [],
    source: "drp-monitor daily failure list",
    instigator: { name: "drp-monitor", email: from, role: "system" },
    footer: `You are receiving this as the QA inbox of ${a.name}.`,
  };
}

// The QA inbox's daily list of emails that could not be sent after every
// retry (or reached only some of their addresses): on working mornings, one
// email to each QA inbox that has failures not yet listed — the inbox of each
// failure's procedure, as the directory resolves it for the dispute's team.
import { loadDirectory } from "../db/queries/directory.js";
import { longDate } from "../domain/calendar/dates.js";
import { localDate } from "../domain/calendar/local-time.js";
import { resolveRole } from "../domain/directory.js";
import { claim, markReported, unreportedFailures } from "../mail/outbox.js";
import { serviceEmail } from "../mail/send.js";
import { messageIdFor } from "../mail/threading.js";
export async function sendFailureDigests(deps) {
    const { svc } = deps;
    let sent = 0;
    for (const a of svc.authorities.values()) {
        const now = svc.clock.now();
        const today = localDate(now, a.timeZone);
        if (!a.calendar.isWorkingDay(today))
            continue; // the list waits for the next working morning
        const failures = await unreportedFailures(svc.db, a.id);
        if (!failures.length)
            continue;
        const dir = await loadDirectory(svc.db, a.id);
        const byInbox = new Map();
        for (const f of failures) {
            const role = (f.procedure && a.procedures[f.procedure]?.qaInbox) || "qa_inbox";
            const r = f.teamId
                ? resolveRole(dir, role, f.teamId)
                : { found: true, people: (dir.roles[role] ?? []).map((id) => dir.people.get(id)).filter(Boolean) };
            const people = r.found ? r.people : [];
            if (!people.length) {
                deps.log.error({ authority: a.id, key: f.key }, "an email failed, and no QA inbox in the directory to tell");
                continue;
            }
            const id = people
                .map((p) => p.email)
                .sort()
                .join(",");
            (byInbox.get(id) ?? byInbox.set(id, { people, failures: [] }).get(id)).failures.push(f);
        }
        for (const [inbox, group] of byInbox) {
            const key = `digest:${a.id}:${today}:${inbox}:${group.failures.length}`;
            const to = group.people.map((p) => p.email);
            const [row] = await claim(svc.db, [
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
            ], deps.workerId, now, deps.leaseMs);
            if (!row)
                continue; // another worker has it, or it went
            const view = failureDigestView(a, group.failures, group.people.map((p) => p.name), today, deps.from);
            const delivered = await deps.sender.deliver([
                {
                    row,
                    ids: { authority: a.id },
                    build: () => serviceEmail(deps.from, row, to, { subject: view.subject, ...deps.renderer.render(view) }),
                },
            ]);
            if (delivered.get(key)?.result !== "sent")
                continue;
            // listed: the next list leaves them out (if this is lost, tomorrow's list names them again; none is dropped)
            await markReported(svc.db, group.failures.map((f) => f.key), now);
            sent += 1;
        }
    }
    return sent;
}
export function failureDigestView(a, failures, qaNames, today, from) {
    const n = failures.length;
    const what = (f) => `${f.reference ?? "—"}: ${f.kind.replaceAll("_", " ")} for the ${f.recipientRole.replaceAll("_", " ")} — ${f.reason ?? f.lastError ?? "unknown"} (${f.key})`;
    return {
        kind: "failure_digest",
        audience: "recipient",
        subject: [a.protectiveMarking, a.subjectPrefix, `emails not sent, ${longDate(today)}`].filter(Boolean).join(" "),
        preheader: `${n} email${n === 1 ? "" : "s"} could not be delivered to everyone after every retry.`,
        heading: `${n} dispute email${n === 1 ? "" : "s"} could not be sent`,
        authorityName: a.name,
        // about no one dispute: the email shows neither reference
        reference: undefined,
        caseReference: undefined,
        protectiveMarking: a.protectiveMarking,
        recipient: { name: qaNames.join(", "), role: "QA inbox" },
        paragraphs: [
            "These emails did not reach everyone they were for, after every retry. The people missed have not been told; please pass each one on and check the directory or the mail server.",
        ],
        lists: [{ lead: "Not sent:", items: failures.map(what) }],
        banners: [],
        source: "drp-monitor daily failure list",
        instigator: { name: "drp-monitor", email: from, role: "system" },
        footer: `You are receiving this as a QA inbox of ${a.name}.`,
    };
}
//# sourceMappingURL=digest.js.map
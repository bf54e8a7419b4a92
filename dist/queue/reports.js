// Sending the reports the authority files ask for. A maintenance job (every
// 15 minutes, and at start-up) looks at each report's last finished period:
// once it is due (opening time on the first working day after the period) and
// not yet sent, it is built from PostgreSQL and sent, each addressee's email
// once (outbox key report:<authority>:<report>:<period>/<role or holder>).
// A report that fell due while no worker ran goes out when one comes back.
import { and, eq } from "drizzle-orm";
import { loadDirectory } from "../db/queries/directory.js";
import { reportWatermarks } from "../db/schema.js";
import { localDate } from "../domain/calendar/local-time.js";
import { resolveRole } from "../domain/directory.js";
import { parsePeriod, periodContaining, previousPeriod, reportDueAt } from "../domain/report/period.js";
import { claim, finishedUnder, recordFinal } from "../mail/outbox.js";
import { serviceEmail } from "../mail/send.js";
import { messageIdFor } from "../mail/threading.js";
import { reportCsv } from "../reports/csv.js";
import { chartCid, holderListView, reportCharts, reportView } from "../reports/email.js";
import { reportOf } from "../service/reports.js";
/** The first period this report is sent for: recorded the first time the system sees the report. */
async function firstPeriod(deps, a, r, current) {
    await deps.svc.db.insert(reportWatermarks).values({ authorityId: a.id, reportId: r.id, firstPeriod: current.id }).onConflictDoNothing();
    const [row] = await deps.svc.db
        .select()
        .from(reportWatermarks)
        .where(and(eq(reportWatermarks.authorityId, a.id), eq(reportWatermarks.reportId, r.id)));
    return parsePeriod(row.firstPeriod);
}
/** The period whose report is due now and not yet sent, if any. */
export async function duePeriod(deps, a, r) {
    const now = deps.svc.clock.now();
    const current = periodContaining(localDate(now, a.timeZone), r.every);
    const first = await firstPeriod(deps, a, r, current);
    const due = previousPeriod(current);
    if (due.from < first.from || now.getTime() < reportDueAt(a, due).getTime())
        return undefined;
    return due;
}
function addressees(deps, a, r, period, report, dir) {
    const prefix = `report:${a.id}:${r.id}:${period.id}/`;
    const out = [];
    for (const role of [...new Set([...r.to, ...r.copied])]) {
        const found = resolveRole(dir, role, "");
        const people = found.found ? found.people : [];
        out.push({
            key: `${prefix}${role}`,
            role,
            people,
            view: (rep, charts) => reportView(a, r, rep, { role, names: people.map((p) => p.name) }, charts, deps.from),
            withFiles: true,
        });
    }
    if (r.holders && report) {
        const held = new Map();
        for (const p of Object.values(report.procedures))
            for (const o of p.outstandingList) {
                if (!o.heldBy)
                    continue;
                const found = resolveRole(dir, o.heldBy, o.teamId);
                for (const person of found.found ? found.people : [])
                    (held.get(person.id) ?? held.set(person.id, { person, list: [] }).get(person.id)).list.push(o);
            }
        for (const { person, list } of held.values())
            out.push({
                key: `${prefix}holder:${person.id}`,
                role: "holder",
                people: [person],
                view: (rep) => holderListView(a, r, rep, person, list, deps.from),
                withFiles: false,
            });
    }
    return out;
}
/** Sends every report that is due and not yet sent; returns how many emails went. */
export async function sendDueReports(deps) {
    let sent = 0;
    for (const a of deps.svc.authorities.values())
        for (const r of a.reports) {
            const period = await duePeriod(deps, a, r);
            if (period)
                sent += await sendReport(deps, a, r, period);
        }
    return sent;
}
export async function sendReport(deps, a, r, period) {
    const { svc } = deps;
    const prefix = `report:${a.id}:${r.id}:${period.id}/`;
    const finished = await finishedUnder(svc.db, prefix);
    const dir = await loadDirectory(svc.db, a.id);
    // the roles' emails, and the holders' lists once all were handed over (a marker row says so): nothing to build
    const holdersDone = `${prefix}holders`;
    const rolesDone = addressees(deps, a, r, period, undefined, dir).every((x) => finished.has(x.key));
    if (rolesDone && (!r.holders || finished.has(holdersDone)))
        return 0;
    const report = await reportOf(svc, a.id, r, period);
    const pending = addressees(deps, a, r, period, report, dir).filter((x) => !finished.has(x.key));
    const charts = pending.some((x) => x.withFiles) ? await reportCharts(a, r, report) : new Map();
    const csv = reportCsv(report);
    const now = svc.clock.now();
    const finals = [];
    const claims = [];
    for (const x of pending) {
        const entry = {
            key: x.key,
            disputeId: null,
            authorityId: a.id,
            plannerKey: `${prefix}${r.id}`,
            kind: x.withFiles ? "report" : "report_holder_list",
            stage: null,
            recipientRole: x.role,
        };
        if (!x.people.length) {
            finals.push({
                ...entry,
                status: "failed",
                reason: `no one holds the role ${x.role} for the authority: the report was not sent to it`,
            });
            deps.log.error({ authority: a.id, report: r.id, role: x.role }, "no one holds a report's role");
            continue;
        }
        claims.push({ ...entry, messageId: messageIdFor(x.key, deps.mailDomain), dateHeader: now, toAddresses: x.people.map((p) => p.email) });
    }
    await recordFinal(svc.db, finals);
    const byKey = new Map(pending.map((x) => [x.key, x]));
    const held = await claim(svc.db, claims, deps.workerId, now, deps.leaseMs); // what another worker holds is left to it
    const email = (x, row) => {
        const view = x.view(report, charts);
        const attachments = x.withFiles
            ? [
                { filename: `${a.id}-${r.id}-${period.id}.csv`, content: csv, contentType: "text/csv; charset=utf-8" },
                ...[...charts].map(([id, c]) => ({
                    filename: `chart-${id}-${period.id}.png`,
                    content: c.png,
                    contentType: "image/png",
                    cid: chartCid(id, report),
                })),
            ]
            : undefined;
        return serviceEmail(deps.from, row, x.people.map((p) => p.email), { subject: view.subject, ...deps.renderer.render(view) }, { attachments });
    };
    const delivered = await deps.sender.deliver(held.map((row) => ({ row, ids: { authority: a.id, report: r.id }, build: () => email(byKey.get(row.key), row) })));
    const sent = [...delivered.values()].filter((d) => d.result === "sent").length;
    if (r.holders) {
        // every list is finished (this run or an earlier one): later runs need not build the report again
        const done = await finishedUnder(svc.db, prefix);
        if (pending.every((x) => done.has(x.key)))
            await recordFinal(svc.db, [
                {
                    key: holdersDone,
                    disputeId: null,
                    authorityId: a.id,
                    plannerKey: `${prefix}${r.id}`,
                    kind: "report_holder_list",
                    stage: null,
                    recipientRole: "-",
                    status: "skipped",
                    reason: "marker: every holder's list is finished",
                },
            ]);
    }
    return sent;
}
//# sourceMappingURL=reports.js.map
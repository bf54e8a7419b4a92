// Report emails for `drp preview`: each report of an authority, as its first
// addressee reads it, and a holder's list where the report sends them; the
// charts go with them as files (a browser cannot follow a cid: link).
import { resolveRole } from "../domain/directory.js";
import { demoDirectory } from "../mail/samples.js";
import { chartCid, holderListView, reportCharts, reportView } from "./email.js";
import { sampleReport } from "./samples.js";
const FROM = "IRO Dispute Resolution <drp-monitor@localhost>";
export async function reportSamples(a) {
    const out = [];
    const dir = demoDirectory(a);
    for (const r of a.reports) {
        const report = sampleReport(a, r);
        const charts = await reportCharts(a, r, report);
        const role = r.to[0];
        const found = resolveRole(dir, role, "");
        const names = found.found ? found.people.map((p) => p.name) : ["(no one holds this role in the demo directory)"];
        const base = { authority: a.id, procedure: `report-${r.id}`, stage: 0, audience: "recipient" };
        out.push({
            ...base,
            kind: "report",
            view: reportView(a, r, report, { role, names }, charts, FROM),
            files: [...charts].map(([id, c]) => ({ name: `chart-${id}.png`, cid: chartCid(id, report), content: c.png })),
        });
        if (!r.holders)
            continue;
        const held = Object.values(report.procedures).flatMap((p) => p.outstandingList.filter((o) => o.heldBy));
        const first = held[0];
        if (!first)
            continue;
        const who = resolveRole(dir, first.heldBy, first.teamId);
        if (!who.found)
            continue;
        const mine = held.filter((o) => o.heldBy === first.heldBy && o.teamId === first.teamId);
        out.push({ ...base, kind: "report_holder_list", view: holderListView(a, r, report, who.people[0], mine, FROM) });
    }
    return out;
}
//# sourceMappingURL=preview.js.map
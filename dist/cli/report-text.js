// A report as plain-text tables, for `drp report` in a terminal.
import { shortMonth } from "../domain/report/period.js";
import { table } from "./output.js";
const orDash = (n, suffix = "") => (n === null ? "—" : `${n}${suffix}`);
function procedureText(id, p) {
    const out = [`${p.name} (${id})`, "=".repeat(p.name.length + id.length + 3)];
    out.push(table(["", "this period", `same period ${p.lastYear.period.id}`], ["raised", "escalated", "resolved", "outstanding", "informal", "formal"].map((k) => [
        k,
        String(p[k]),
        String(p.lastYear[k]),
    ])));
    const months = [...new Set(p.byMonthAndStage.map((x) => x.month))];
    out.push("", "Disputes entering each stage, by month", table(["month", ...p.stages.map((s) => `stage ${s.stage}`), "Cafcass contact"], months.map((m) => [
        shortMonth(m),
        ...p.stages.map((s) => String(p.byMonthAndStage.find((x) => x.month === m && x.stage === s.stage)?.count ?? 0)),
        String(p.cafcassContactByMonth.find((x) => x.month === m)?.count ?? 0),
    ])), "", "By category (disputes raised in the period; a dispute may have several)", table(["category", "number", "%"], p.byCategory.map((c) => [c.label, String(c.count), String(c.percent)])), "", "By team", table(["team", "children", "families", "disputes"], p.byTeam.map((t) => [t.name, String(t.children), String(t.families), String(t.count)])), "", "Time each stage took against its timescale", table(["stage", "timescale", "measured", "on time", "% on time", "median working days"], p.timeliness.map((t) => [
        String(t.stage),
        t.timescale,
        String(t.measured),
        String(t.onTime),
        orDash(t.percentOnTime),
        orDash(t.medianWorkingDays),
    ])), ...(p.reviews
        ? [
            "",
            `Reviews: ${p.reviews.held} held (rated red ${p.reviews.rated.red}, amber ${p.reviews.rated.amber}, green ${p.reviews.rated.green})`,
            table(["deadline", "due", "met on time", "agreed by default"], p.reviews.deadlines.map((d) => [d.name, String(d.due), String(d.metOnTime), String(d.agreedByDefault)])),
        ]
        : []), "", `Outstanding at the end of the period (${p.outstandingList.length})`, table(["reference", "stage", "team", "raised", "days open", "respond by", ""], p.outstandingList.map((o) => [
        o.reference,
        String(o.stage),
        o.team,
        o.raisedOn,
        String(o.daysOpen),
        o.respondBy ?? "—",
        o.overdue ? "overdue" : "",
    ])), "", `Action log (${p.actionLog.length} steps)`, table(["date", "reference", "step", "by"], p.actionLog.map((e) => [e.date, e.reference, e.step, e.by])));
    return out.join("\n");
}
export function reportText(r) {
    const head = `${r.report.name}: ${r.authorityName}, ${r.period.name} (${r.period.from} to ${r.period.to})${r.period.complete ? "" : ", to date"}`;
    return [head, "", ...Object.entries(r.procedures).map(([id, p]) => procedureText(id, p))].join("\n\n");
}
//# sourceMappingURL=report-text.js.map
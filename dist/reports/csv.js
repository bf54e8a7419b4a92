// A report's figures as one CSV (attached to the report email, and
// `drp report --format csv`): one row per figure, in long form, so that a
// spreadsheet can pivot it. Cells a spreadsheet would run as a formula are
// prefixed with an apostrophe.
import { stringify } from "csv-stringify/sync";
const COLUMNS = ["procedure", "section", "month", "stage", "category", "team", "reference", "measure", "value"];
const FORMULA = /^[=+\-@\t\r]/;
const cell = (v) => {
    const s = v === null || v === undefined ? "" : String(v);
    return FORMULA.test(s) ? `'${s}` : s;
};
function rowsOf(procedure, p) {
    const rows = [];
    for (const k of ["raised", "escalated", "resolved", "outstanding", "informal", "formal"]) {
        rows.push({ section: "summary", measure: k, value: p[k] });
        rows.push({ section: "last_year", month: p.lastYear.period.id, measure: k, value: p.lastYear[k] });
    }
    for (const x of p.byMonthAndStage)
        rows.push({ section: "by_month_and_stage", month: x.month, stage: x.stage, measure: "entered", value: x.count });
    for (const x of p.cafcassContactByMonth)
        rows.push({ section: "cafcass_contact", month: x.month, measure: "disputes", value: x.count });
    for (const c of p.byCategory) {
        rows.push({ section: "by_category", category: c.label, measure: "number", value: c.count });
        rows.push({ section: "by_category", category: c.label, measure: "percent", value: c.percent });
    }
    for (const t of p.byTeam)
        for (const k of ["children", "families", "count"])
            rows.push({ section: "by_team", team: t.name, measure: k, value: t[k] });
    for (const t of p.timeliness)
        for (const k of ["measured", "onTime", "percentOnTime", "medianWorkingDays"])
            rows.push({ section: "timeliness", stage: t.stage, measure: k, value: t[k] });
    if (p.reviews) {
        rows.push({ section: "reviews", measure: "held", value: p.reviews.held });
        for (const [k, v] of Object.entries(p.reviews.rated))
            rows.push({ section: "reviews", category: k, measure: "rated", value: v });
        for (const d of p.reviews.deadlines)
            for (const k of ["due", "metOnTime", "agreedByDefault"])
                rows.push({ section: "review_deadlines", category: d.id, measure: k, value: d[k] });
    }
    for (const o of p.outstandingList) {
        const at = { section: "outstanding", stage: o.stage, team: o.team, reference: o.reference };
        rows.push({ ...at, measure: "raised_on", value: o.raisedOn });
        rows.push({ ...at, measure: "days_open", value: o.daysOpen });
        rows.push({ ...at, measure: "respond_by", value: o.respondBy });
        rows.push({ ...at, measure: "overdue", value: o.overdue ? "yes" : "no" });
    }
    return rows.map((r) => ({ procedure, ...r }));
}
export function reportCsv(r) {
    const rows = Object.entries(r.procedures).flatMap(([id, p]) => rowsOf(id, p));
    return stringify(rows.map((row) => COLUMNS.map((c) => cell(row[c]))), { header: true, columns: [...COLUMNS], record_delimiter: "windows" });
}
//# sourceMappingURL=csv.js.map
// A report's figures as one CSV (attached to the report email, and
// `drp report --format csv`): one row per figure, in long form, so that a
// spreadsheet can pivot it. Cells a spreadsheet would run as a formula are
// prefixed with an apostrophe.
import { stringify } from "csv-stringify/sync";
import type { ProcedureReport, Report } from "../domain/report/build.ts";

const COLUMNS = ["procedure", "section", "month", "stage", "category", "team", "reference", "measure", "value"] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string | number | null>>;

const FORMULA = /^[=+\-@\t\r]/;
/** A cell as text, with an apostrophe before what a spreadsheet would run as a formula. */
export const cell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  return FORMULA.test(s) ? `'${s}` : s;
};

function rowsOf(procedure: string, p: ProcedureReport): Row[] {
  const rows: Row[] = [];
  for (const k of ["raised", "escalated", "resolved", "outstanding", "informal", "formal"] as const) {
    rows.push({ section: "summary", measure: k, value: p[k] });
    rows.push({ section: "last_year", month: p.lastYear.period.id, measure: k, value: p.lastYear[k] });
  }
  for (const x of p.byMonthAndStage)
    rows.push({ section: "by_month_and_stage", month: x.month, stage: x.stage, measure: "entered", value: x.count });
  for (const x of p.cafcassContactByMonth) rows.push({ section: "cafcass_contact", month: x.month, measure: "disputes", value: x.count });
  for (const c of p.byCategory) {
    rows.push({ section: "by_category", category: c.label, measure: "number", value: c.count });
    rows.push({ section: "by_category", category: c.label, measure: "percent", value: c.percent });
  }
  for (const t of p.byTeam)
    for (const k of ["children", "families", "count"] as const) rows.push({ section: "by_team", team: t.name, measure: k, value: t[k] });
  for (const t of p.timeliness)
    for (const k of ["measured", "onTime", "percentOnTime", "medianWorkingDays"] as const)
      rows.push({ section: "timeliness", stage: t.stage, measure: k, value: t[k] });
  if (p.reviews) {
    rows.push({ section: "reviews", measure: "held", value: p.reviews.held });
    for (const [k, v] of Object.entries(p.reviews.rated)) rows.push({ section: "reviews", category: k, measure: "rated", value: v });
    for (const d of p.reviews.deadlines)
      for (const k of ["due", "metOnTime", "agreedByDefault"] as const)
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

/** The registers' rows: SLT's actions authority-wide (no procedure), good practice by procedure and team, and each entry. */
function registerRows(r: Report): Row[] {
  const rows: Row[] = [];
  for (const a of r.registers.sltActions?.actions ?? []) {
    const at = { procedure: "", section: "slt_actions", reference: a.reference };
    rows.push({ ...at, measure: "action", value: a.action });
    rows.push({ ...at, measure: "owner", value: a.owner });
    rows.push({ ...at, measure: "agreed_on", value: a.agreedOn });
    rows.push({ ...at, measure: "due_on", value: a.dueOn });
    rows.push({ ...at, measure: "status_at_end", value: a.status });
    rows.push({ ...at, measure: "carried_forward", value: a.carriedForward ? "yes" : "no" });
    for (const p of a.progress)
      rows.push({ ...at, section: "slt_action_progress", month: p.on.slice(0, 7), measure: "progress", value: `${p.on}: ${p.note}` });
  }
  const gp = r.registers.goodPractice;
  if (gp) {
    for (const p of gp.byProcedure) rows.push({ procedure: p.procedure, section: "good_practice", measure: "count", value: p.count });
    for (const t of gp.byTeam)
      for (const k of ["aboutAnIndividual", "aboutTheTeam", "count"] as const)
        rows.push({ procedure: "", section: "good_practice_by_team", team: t.name, measure: k, value: t[k] });
    for (const e of gp.list) {
      const at = {
        procedure: e.procedure,
        section: "good_practice_entry",
        month: e.noticedOn.slice(0, 7),
        team: e.teamName,
        reference: e.reference,
      };
      rows.push({ ...at, measure: "noticed_on", value: e.noticedOn });
      rows.push({ ...at, measure: "about", value: e.about });
      if (e.disputeReference) rows.push({ ...at, measure: "dispute", value: e.disputeReference });
      if (e.childRef) rows.push({ ...at, measure: "case", value: e.childRef });
      rows.push({ ...at, measure: "noticed_by", value: e.noticedBy });
      rows.push({ ...at, measure: "description", value: e.description });
    }
  }
  return rows;
}

export function reportCsv(r: Report): string {
  const rows = [...Object.entries(r.procedures).flatMap(([id, p]) => rowsOf(id, p!)), ...registerRows(r)];
  return stringify(
    rows.map((row) => COLUMNS.map((c) => cell(row[c]))),
    { header: true, columns: [...COLUMNS], record_delimiter: "windows" },
  );
}

// A report as plain-text tables, for `drp report` in a terminal.

import type { ProcedureReport, Report } from "../domain/report/build.ts";
import { shortMonth } from "../domain/report/period.ts";
import { table } from "./output.ts";
import { registerText } from "./register-text.ts";

const orDash = (n: number | null, suffix = "") => (n === null ? "—" : `${n}${suffix}`);

function procedureText(id: string, p: ProcedureReport, every: string): string {
  const out: string[] = [`${p.name} (${id})`, "=".repeat(p.name.length + id.length + 3)];
  out.push(
    table(
      ["", "this period", `same period ${p.lastYear.period.id}`],
      (["raised", "escalated", "resolved", "outstanding", "informal", "formal"] as const).map((k) => [
        k,
        String(p[k]),
        String(p.lastYear[k]),
      ]),
    ),
  );
  const months = [...new Set(p.byMonthAndStage.map((x) => x.month))];
  out.push(
    "",
    "Disputes entering each stage, by month",
    table(
      ["month", ...p.stages.map((s) => `stage ${s.stage}`), "Cafcass contact"],
      months.map((m) => [
        shortMonth(m),
        ...p.stages.map((s) => String(p.byMonthAndStage.find((x) => x.month === m && x.stage === s.stage)?.count ?? 0)),
        String(p.cafcassContactByMonth.find((x) => x.month === m)?.count ?? 0),
      ]),
    ),
    "",
    "By category (disputes raised in the period; a dispute may have several)",
    table(
      ["category", "number", "%"],
      p.byCategory.map((c) => [c.label, String(c.count), String(c.percent)]),
    ),
    "",
    "By team",
    table(
      ["team", "children", "families", "disputes"],
      p.byTeam.map((t) => [t.name, String(t.children), String(t.families), String(t.count)]),
    ),
    "",
    "Time each stage took against its timescale",
    table(
      ["stage", "timescale", "measured", "on time", "% on time", "median working days"],
      p.timeliness.map((t) => [
        String(t.stage),
        t.timescale,
        String(t.measured),
        String(t.onTime),
        orDash(t.percentOnTime),
        orDash(t.medianWorkingDays),
      ]),
    ),
    ...(p.reviews
      ? [
          "",
          `Reviews: ${p.reviews.held} held (rated red ${p.reviews.rated.red}, amber ${p.reviews.rated.amber}, green ${p.reviews.rated.green})`,
          table(
            ["deadline", "due", "met on time", "agreed by default"],
            p.reviews.deadlines.map((d) => [d.name, String(d.due), String(d.metOnTime), String(d.agreedByDefault)]),
          ),
        ]
      : []),
    "",
    `Outstanding at the end of the period (${p.outstandingList.length})`,
    table(
      ["reference", "stage", "team", "raised", "days open", "respond by", ""],
      p.outstandingList.map((o) => [
        o.reference,
        String(o.stage),
        o.team,
        o.raisedOn,
        String(o.daysOpen),
        o.respondBy ?? "—",
        o.overdue ? "overdue" : "",
      ]),
    ),
    "",
    `Dispute steps this ${every} (${p.actionLog.length})`,
    table(
      ["date", "reference", "step", "by"],
      p.actionLog.map((e) => [e.date, e.reference, e.step, e.by]),
    ),
  );
  return out.join("\n");
}

export function reportText(r: Report): string {
  const head = `${r.report.name}: ${r.authorityName}, ${r.period.name} (${r.period.from} to ${r.period.to})${r.period.complete ? "" : ", to date"}`;
  const registers = registerText(r);
  return [
    head,
    "",
    ...Object.entries(r.procedures).map(([id, p]) => procedureText(id, p!, r.report.every)),
    ...(registers.length ? [registers.join("\n")] : []),
  ].join("\n\n");
}

// A report as the emails people receive: the report itself (to each role the
// authority file names, with the chart inline and the figures as CSV), and,
// where the file asks, each manager's own list of the outstanding disputes
// they hold. Views only: the worker sends them (src/queue/reports.ts).

import { type IsoDate, longDate, shortDate } from "../domain/calendar/dates.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import { type Authority, cite, instigatorsOf, type ProcedureId, roleLabel } from "../domain/procedure/model.ts";
import type { ProcedureReport, Report } from "../domain/report/build.ts";
import type { ReportConfig, ReportSection } from "../domain/report/config.ts";
import type { Outstanding } from "../domain/report/count.ts";
import { parsePeriod, periodName, shortMonth } from "../domain/report/period.ts";
import type { EmailBlock, EmailTable, EmailView } from "../mail/model.ts";
import { barChart, type Chart } from "./chart.ts";
import { registerBlocks } from "./register-blocks.ts";

const n = (x: number | null, suffix = "") => (x === null ? "—" : `${x.toLocaleString("en-GB")}${suffix}`);
const SUMMARY = ["raised", "escalated", "resolved", "outstanding", "informal", "formal"] as const;
const SUMMARY_LABELS: Record<(typeof SUMMARY)[number], string> = {
  raised: "Raised",
  escalated: "Escalations",
  resolved: "Resolved",
  outstanding: "Outstanding at the end",
  informal: "Informal (of those raised)",
  formal: "Formal (of those raised)",
};

/** A table whose columns from `numericFrom` are figures; `codes` lists the columns never wrapped. */
function table(caption: string, head: string[], rows: string[][], numericFrom = 1, codes: number[] = []): EmailTable {
  return { caption, head, rows, numeric: head.map((_, i) => i >= numericFrom), codes: head.map((_, i) => codes.includes(i)) };
}

const plural = (k: number, one: string, many = `${one}s`) => `${n(k)} ${k === 1 ? one : many}`;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** The procedure's own words: WF's "alerts" and "levels", everyone else's "disputes" and "stages". */
const an = (noun: string) => `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;
const termsOf = (a: Authority, id: string) => a.procedures[id as ProcedureId]?.terms ?? { dispute: "dispute", stage: "stage" };
const day = (d: string) => shortDate(d as IsoDate);

export function chartCid(procedure: string, r: Report): string {
  return `chart-${procedure}-${r.period.id}@drp-monitor`;
}

/** The month-by-stage bar chart of one procedure's figures. */
export function procedureChart(p: ProcedureReport, months: string[], terms: { dispute: string; stage: string }): Promise<Chart> {
  return barChart({
    title: `${capital(terms.dispute)}s entering each ${terms.stage}, by month`,
    yTitle: `${capital(terms.dispute)}s`,
    months,
    series: [
      ...p.stages.map((s) => ({ stage: s.stage, label: `${capital(terms.stage)} ${s.stage}` })),
      { stage: "cafcass", label: "Contact with Cafcass" },
    ],
    counts: [...p.byMonthAndStage, ...p.cafcassContactByMonth.map((c) => ({ month: c.month, stage: "cafcass", count: c.count }))],
  });
}

/** What is outstanding; a manager's own list also gives each case reference. */
function outstandingTable(
  a: Authority,
  caption: string,
  list: Outstanding[],
  forHolder: boolean,
  t: { dispute: string; stage: string },
): EmailTable {
  // "answered; with the CP Chair": whoever decides next under that procedure
  const decides = (o: Outstanding) => {
    const p = a.procedures[o.procedure as ProcedureId];
    return p ? instigatorsOf(p) : "IRO";
  };
  const head = [
    capital(t.dispute),
    ...(forHolder ? ["Case"] : []),
    capital(t.stage),
    ...(forHolder ? [] : ["Raised"]),
    "Days open",
    "Response",
  ];
  return {
    caption,
    head,
    rows: list.map((o) => [
      o.reference,
      ...(forHolder ? [o.childRef] : []),
      String(o.stage),
      ...(forHolder ? [] : [day(o.raisedOn)]),
      n(o.daysOpen),
      o.awaiting === "decision"
        ? `answered; with the ${decides(o)}`
        : o.respondBy
          ? `${o.overdue ? "overdue since" : "due"} ${day(o.respondBy)}`
          : "—",
    ]),
    numeric: head.map((_, i) => i === head.length - 2 || head[i] === capital(t.stage)),
    codes: head.map((_, i) => i === 0 || head[i] === "Case"),
  };
}

function procedureBlocks(
  a: Authority,
  id: string,
  p: ProcedureReport,
  r: Report,
  sections: readonly ReportSection[],
  chart?: Chart,
): EmailBlock[] {
  const has = (s: ReportSection) => sections.includes(s);
  const t = termsOf(a, id);
  const Stage = capital(t.stage);
  const blocks: EmailBlock[] = [{ heading: p.name }];
  if (has("summary") || has("last_year")) {
    const last = has("last_year");
    blocks.push({
      table: table(
        "Summary",
        ["Figure", r.period.name, ...(last ? [periodName(parsePeriod(p.lastYear.period.id))] : [])],
        SUMMARY.map((k) => [SUMMARY_LABELS[k], n(p[k]), ...(last ? [n(p.lastYear[k])] : [])]),
      ),
    });
  }
  if (has("by_month_and_stage")) {
    if (chart)
      blocks.push({
        figure: {
          cid: chartCid(id, r),
          alt: `Bar chart of ${t.dispute}s entering each ${t.stage}, by month: the figures are in the table below.`,
          width: chart.width,
          height: chart.height,
        },
      });
    // Appendix 1's grid: months down, each stage and contact with Cafcass across, and a Total
    // row (the table scrolls sideways on a phone rather than widen the email)
    const count = (xs: { count: number }[]) => xs.reduce((t, x) => t + x.count, 0);
    const cells = (month?: string) => {
      const mine = <T extends { month: string }>(xs: T[]) => (month ? xs.filter((x) => x.month === month) : xs);
      const stages = p.stages.map((s) => count(mine(p.byMonthAndStage).filter((x) => x.stage === s.stage)));
      return [...stages.map((c) => n(c)), n(count(mine(p.cafcassContactByMonth))), n(stages.reduce((a, b) => a + b, 0))];
    };
    blocks.push({
      table: table(
        `${capital(t.dispute)}s entering each ${t.stage}, by month`,
        ["Month", ...p.stages.map((s) => `${Stage} ${s.stage}`), "Contact with Cafcass", "Total"],
        [...r.period.months.map((m) => [shortMonth(m), ...cells(m)]), ...(r.period.months.length > 1 ? [["Total", ...cells()]] : [])],
      ),
    });
  }
  if (has("by_category")) {
    const byCategory = table(
      `By category (${an(t.dispute)} may have several)`,
      ["No.", "Category", "Number", "%"],
      p.byCategory.flatMap((c, i) => (c.count > 0 ? [[n(i + 1), c.label, n(c.count), n(c.percent)]] : [])),
    );
    blocks.push({ table: { ...byCategory, numeric: [false, false, true, true] } });
  }
  if (has("by_team")) {
    // every team, those with none too, a Total row, and each team's categories by
    // their number in the table above (Appendix 1's "Category Number"), so it fits a phone
    const number = new Map(p.byCategory.map((c, i) => [c.category, i + 1]));
    const cats = (xs: { category: string; count: number }[]) =>
      xs
        .map((c) => ({ no: number.get(c.category) ?? 0, count: c.count }))
        .sort((a, b) => a.no - b.no)
        .map((c) => `No.\u00a0${c.no}:\u00a0${c.count}`) // kept on one line
        .join(", ") || "—";
    const total = (k: "children" | "families" | "count") => n(p.byTeam.reduce((s, x) => s + x[k], 0));
    const byTeam = table(
      "By team",
      ["Team", "Children", "Families", `${capital(t.dispute)}s`, "By category"],
      [
        ...p.byTeam.map((t) => [t.name, n(t.children), n(t.families), n(t.count), cats(t.categories)]),
        ["Total", total("children"), total("families"), total("count"), "—"],
      ],
    );
    blocks.push({ table: { ...byTeam, numeric: [false, true, true, true, false] } });
  }
  if (has("timeliness"))
    blocks.push({
      table: table(
        `Time each ${t.stage} took against its timescale`,
        [Stage, "Measured", "On time", "Median working days"],
        p.timeliness
          .filter((t) => t.measured > 0)
          .map((t) => [`${t.stage}: ${t.timescale}`, n(t.measured), n(t.percentOnTime, "%"), n(t.medianWorkingDays)]),
      ),
    });
  if (has("reviews") && p.reviews) {
    const rv = p.reviews;
    const noun = a.procedures[id as ProcedureId]?.reviews?.noun ?? "review";
    blocks.push({
      table: table(
        `${capital(noun)}s and the deadlines after them`,
        ["Figure", "Number"],
        [
          [`${capital(noun)}s held`, n(rv.held)],
          ...(["red", "amber", "green"] as const).filter(() => rv.held > 0).map((k) => [`Rated ${capital(k)}`, n(rv.rated[k])]),
          ...rv.deadlines.flatMap((d) => [
            [`${d.name}: due in the period`, n(d.due)],
            [`${d.name}: met on time`, n(d.metOnTime)],
            ...(d.agreedByDefault ? [[`${d.name}: agreed by default (no response)`, n(d.agreedByDefault)]] : []),
          ]),
        ],
      ),
    });
  }
  if (has("outstanding") && p.outstandingList.length)
    blocks.push({
      table: outstandingTable(a, `Outstanding at the end of the period (${p.outstandingList.length})`, p.outstandingList, false, t),
    });
  // the dispute steps, not SLT's Action Log of agreed actions (Newham §10: the slt_actions section)
  if (has("action_log") && p.actionLog.length)
    blocks.push({
      table: table(
        `${capital(t.dispute)} steps this ${r.report.every}`,
        ["Date", capital(t.dispute), "Step", "By"],
        p.actionLog.map((e) => [day(e.date), e.reference, e.step, e.by]),
        9,
        [1],
      ),
    });
  if (blocks.length === 1) blocks.push({ paragraph: "Nothing to report for this procedure in the period." });
  return blocks;
}

function subjectOf(a: Authority, what: string): string {
  return [a.protectiveMarking, a.subjectPrefix, what].filter(Boolean).join(" ");
}

export interface ReportEmail {
  view: EmailView;
  charts: Map<string, Chart>;
}

/** The report, as read by the holders of one role. */
export function reportView(
  a: Authority,
  config: ReportConfig,
  r: Report,
  addressee: { role: string; names: string[] },
  charts: Map<string, Chart>,
  from: string,
): EmailView {
  const procs = Object.entries(r.procedures);
  const totals = procs.map(
    ([, p]) =>
      `${p!.name}: ${n(p!.raised)} raised, ${plural(p!.escalated, "escalation")}, ${n(p!.resolved)} resolved, ${n(p!.outstanding)} outstanding at the end.`,
  );
  const copiedTo = config.copied.map((c) => roleLabel(a, c));
  return {
    kind: "report",
    audience: "recipient",
    subject: subjectOf(a, `${config.name}, ${r.period.name}`),
    preheader: totals.join(" "),
    heading: `${config.name}: ${r.period.name}`,
    authorityName: a.name,
    reference: undefined,
    caseReference: undefined,
    protectiveMarking: a.protectiveMarking,
    recipient: { name: addressee.names.join(", "), role: roleLabel(a, addressee.role) },
    paragraphs: [
      `This is the ${config.name.charAt(0).toLowerCase()}${config.name.slice(1)} for ${r.period.name}, counted from the dispute records on ${longDate(localDate(new Date(r.generatedAt), a.timeZone))}.${r.period.complete ? "" : " The period is not over: the figures are to date."}`,
      ...totals,
      "The figures are also attached as a spreadsheet (CSV). No child is named: each case is given by its references only.",
    ],
    lists: copiedTo.length ? [{ lead: "Also sent to:", items: copiedTo }] : [],
    blocks: [...procs.flatMap(([id, p]) => procedureBlocks(a, id, p!, r, config.sections, charts.get(id))), ...registerBlocks(r)],
    banners: [],
    source: cite(a, config.source),
    instigator: { name: "drp-monitor", email: from, role: "system" },
    footer: `You are receiving this as ${roleLabel(a, addressee.role)} of ${a.name}, to whom the procedure sends this report.`,
  };
}

/** One manager's own list of the outstanding disputes they hold (WF §7). */
export function holderListView(
  a: Authority,
  config: ReportConfig,
  r: Report,
  person: { name: string },
  held: Outstanding[],
  from: string,
): EmailView {
  const nouns = [...new Set(held.map((o) => termsOf(a, o.procedure).dispute))];
  const noun = nouns.length === 1 ? nouns[0]! : "dispute";
  const count = plural(held.length, `outstanding ${noun}`);
  // the instigators of the procedures held: "IRO", "IRO or CP Chair"
  const raisers = [...new Set(held.flatMap((o) => a.procedures[o.procedure as ProcedureId]?.raisedBy ?? []))];
  const chairs = raisers.length ? instigatorsOf({ raisedBy: raisers }) : "IRO";
  return {
    kind: "report_holder_list",
    audience: "recipient",
    subject: subjectOf(a, `outstanding ${noun}s you hold, ${r.period.name}`),
    preheader: `${count} waiting for your response or with the ${chairs} at the end of ${r.period.name}.`,
    heading: `You hold ${count}: end of ${r.period.name}`,
    authorityName: a.name,
    reference: undefined,
    caseReference: undefined,
    protectiveMarking: a.protectiveMarking,
    recipient: { name: person.name, role: "" },
    paragraphs: [
      `At the end of ${r.period.name}, these ${noun}s were with you to answer, or answered and with the ${chairs} to decide on. Where a response is overdue, please respond now, or agree a new date with the ${chairs}.`,
    ],
    lists: [],
    blocks: [{ table: outstandingTable(a, `Outstanding ${noun}s you hold`, held, true, termsOf(a, held[0]?.procedure ?? "iro")) }],
    banners: [],
    source: cite(a, config.holders?.source ?? config.source),
    instigator: { name: "drp-monitor", email: from, role: "system" },
    footer: `You are receiving this because the ${config.name.charAt(0).toLowerCase()}${config.name.slice(1)} advises each manager of the outstanding disputes they hold.`,
  };
}

/** Every chart the report's sections ask for, by procedure. */
export async function reportCharts(a: Authority, config: ReportConfig, r: Report): Promise<Map<string, Chart>> {
  const out = new Map<string, Chart>();
  if (!config.sections.includes("by_month_and_stage")) return out;
  for (const [id, p] of Object.entries(r.procedures)) out.set(id, await procedureChart(p!, r.period.months, termsOf(a, id)));
  return out;
}

/** The report email's HTML on its own (drp report --format html): the charts inline as data, for a browser or a file share. */
export async function standaloneReportHtml(a: Authority, config: ReportConfig, r: Report): Promise<string> {
  const { createRenderer } = await import("../mail/render.ts");
  const charts = await reportCharts(a, config, r);
  const view = reportView(a, config, r, { role: config.to[0]!, names: [roleLabel(a, config.to[0]!)] }, charts, "drp-monitor");
  let html = (await createRenderer()).render(view).html;
  for (const [id, c] of charts) html = html.replaceAll(`cid:${chartCid(id, r)}`, `data:image/png;base64,${c.png.toString("base64")}`);
  return html;
}

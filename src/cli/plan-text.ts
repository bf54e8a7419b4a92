// drp plan's table: the worst-case timeline in the procedure's own words.
import { type IsoDate, longDate } from "../domain/calendar/dates.ts";
import { type Authority, cite, instigatorsOf, type Procedure, roleLabel } from "../domain/procedure/model.ts";
import type { Timeline } from "../domain/timeline.ts";
import { table } from "./output.ts";

const capitalWord = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const short = (d: IsoDate) => longDate(d).replace(/^(\w{3})\w*/, "$1");

export function readablePlan(a: Authority, p: Procedure, t: Timeline): string {
  const lines = [
    `${a.name} — ${p.name}`,
    `Raised ${longDate(t.raised)}. If every ${p.terms.stage} escalates on the day its response is due:`,
    "",
    table(
      [capitalWord(p.terms.stage), "Goes to", "Copied", "Respond by", "Day", "Why this date"],
      t.stages.map((s) => [
        `${s.stage}${s.formal ? "" : " (informal)"}`,
        s.recipient ? roleLabel(a, s.recipient) : "referral to Cafcass",
        s.copied.map((c) => roleLabel(a, c)).join(", ") || "—",
        s.respondBy === null
          ? "—"
          : s.respondBy.startsWith("set by")
            ? s.respondBy
            : `${short(s.respondBy as IsoDate)} ${a.closeOfBusiness}`,
        s.dayOfLimit === null ? "" : String(s.dayOfLimit),
        `${s.timescale} (${cite(a, s.source)})`,
      ]),
    ),
    "",
    !t.overallLimit
      ? "Overall limit: none named by the procedure."
      : t.overallDeadline
        ? `Overall limit: ${t.overallLimit.workingDays} working days, ending ${longDate(t.overallDeadline)} at ${a.closeOfBusiness} (${cite(a, t.overallLimit.source)}).`
        : `Overall limit: ${t.overallLimit.workingDays} working days from the first formal stage (not started).`,
    `"Day" counts working days since the formal process began. The QA inbox (${roleLabel(a, p.qaInbox)}) is copied on every formal step.`,
  ];
  if (t.stoppedBecause) lines.push(`The timeline stops early: ${t.stoppedBecause}.`);
  const requires = t.stages.filter((s) => s.requires.length);
  if (requires.length) {
    lines.push("", `Before entering a ${p.terms.stage} the ${instigatorsOf(p)} must:`);
    for (const s of requires) for (const r of s.requires) lines.push(`  ${p.terms.stage} ${s.stage}: ${r}`);
  }
  return lines.join("\n");
}

// A procedure as configured, in plain words, stage by stage: what a QA
// manager reads to check an authority file against their own document.
import { describeDays } from "./procedure/deadlines.ts";
import { type Authority, cite, type Procedure, roleLabel, type Stage } from "./procedure/model.ts";
import { INSTIGATOR_LABELS } from "./procedure/roles.ts";
import type { Recipient } from "./procedure/schema.ts";

export interface ExplainedRole {
  role: string;
  label: string;
  /** a different role for children in these services */
  byService?: Record<string, { role: string; label: string }>;
}

export interface ExplainedStage {
  stage: number;
  name: string;
  formal: boolean;
  recipient: ExplainedRole | null;
  copied: ExplainedRole[];
  escalatedBy: ExplainedRole | null;
  whoMayBeHere: string[];
  mayStartHere: boolean;
  timescale: string;
  extensions: string;
  meeting: { required: boolean; invitees: ExplainedRole[]; source: string } | null;
  referral: boolean;
  requires: { id: string; text: string; confirm: boolean; source: string }[];
  register: { to: ExplainedRole; copied: ExplainedRole[]; source: string } | null;
  forCopied: { role: ExplainedRole | null; text: string; source: string }[];
  /** where the stage's recipient responds otherwise than the procedure says */
  howToRespond: string | null;
  whenTimescaleEnds: string | null;
  whenResolved: string | null;
  source: string;
}

export interface ExplainedProcedure {
  id: string;
  name: string;
  raisedBy: string[];
  /** who a concern is about, where the procedure is about a named IRO or CP Chair (WF §1.6) */
  concerning: string | null;
  terms: Procedure["terms"];
  howToRespond: string;
  starting: string;
  skipping: string;
  overallLimit: string;
  reminders: string;
  cafcass: string;
  closing: string;
  /** the deadlines after a review, before any dispute, in words */
  reviews: string[];
  stages: ExplainedStage[];
}

const who2 = (a: Authority, p: Procedure) => p.raisedBy.map((r) => roleLabel(a, r)).join(" or ");

function role(a: Authority, r: Recipient): ExplainedRole {
  if (typeof r === "string") return { role: r, label: roleLabel(a, r) };
  const byService = Object.fromEntries(Object.entries(r.byService).map(([svc, x]) => [svc, { role: x, label: roleLabel(a, x) }]));
  return { role: r.role, label: roleLabel(a, r.role), byService };
}

function timescale(a: Authority, p: Procedure, s: Stage): string {
  const t = s.timescale;
  const who = roleLabel(a, p.raisedBy[0]!);
  if ("days" in t)
    return `${describeDays(t.days, t.unit ?? p.timescaleUnit)} from the day the ${p.terms.stage} begins${s.timescaleMayBeAgreed ? ", unless the recipient and the instigator agree another" : ""}`;
  if ("setBy" in t) return `set by the ${who} for each dispute${t.maxWorkingDays ? `, at most ${t.maxWorkingDays} working days` : ""}`;
  if ("until" in t) return `until the overall limit runs out`;
  return `none: ${t.none}`;
}

function extensions(a: Authority, s: Stage): string {
  const { max, totalWorkingDays, source } = s.extensions;
  const n = max === null ? "any number of extensions" : max === 0 ? "no extension" : max === 1 ? "one extension" : `${max} extensions`;
  const days = totalWorkingDays ? `, adding at most ${totalWorkingDays} working days in all` : "";
  return `${n}${days}${source ? ` (${cite(a, source)})` : ""}`;
}

export function explainProcedure(a: Authority, p: Procedure): ExplainedProcedure {
  const who = (roles: readonly string[]) => roles.map((r) => roleLabel(a, r));
  const officers = p.cafcass?.nominatedOfficers.map((r) => role(a, r).label) ?? [];
  const limit = p.overallLimit;
  const starts = p.stages.filter((s) => p.entry.startAt.includes(s.stage)).map((s) => s.stage);
  return {
    id: p.id,
    name: p.name,
    raisedBy: who(p.raisedBy),
    concerning: p.concerning
      ? `a named ${p.concerning.roles.map((r) => INSTIGATOR_LABELS[r]).join(" or ")}, who is never emailed about it (${cite(a, p.concerning.source)})`
      : null,
    terms: p.terms,
    howToRespond: p.howToRespond ?? "reply to the instigator by email",
    starting: `a ${p.terms.dispute} may start at ${p.terms.stage} ${starts.join(", ")}${p.entry.source ? ` (${cite(a, p.entry.source)})` : ""}`,
    skipping: p.entry.skipping
      ? `an escalation may skip ${p.terms.stage}s${p.entry.note ? `; the instigator is told: "${p.entry.note}"` : ""}`
      : `one ${p.terms.stage} at a time: no skipping`,
    overallLimit: limit
      ? `${limit.workingDays} working days from the first formal ${p.terms.stage}; warning ${limit.warnWorkingDaysBefore} working days before (${cite(a, limit.source)})`
      : "none: the procedure names no overall limit, so no warning or breach is sent",
    reminders: `${p.reminders.workingDaysBefore.map((n) => `${n} working day${n === 1 ? "" : "s"} before`).join(", ")}${p.reminders.dueToday ? ", and on the morning of the due day" : ""}`,
    cafcass: !p.cafcass
      ? "no Cafcass referral under this procedure"
      : [
          `referral by ${who(p.cafcass.referralBy).join(" or ")}`,
          {
            always: "a referral always closes the dispute",
            at_last_stage: "a referral closes the dispute only at the last stage",
            never: "a referral never closes the dispute",
          }[p.cafcass.referralCloses],
          officers.length
            ? `${p.cafcass.officersAre ? `${p.cafcass.officersAre.title} told (${cite(a, p.cafcass.officersAre.source)})` : "nominated officer told"}: ${officers.join(", ")}`
            : "no nominated officer named: the QA inbox is told",
          ...(p.cafcass.beforeReferral
            ? [`before referring: ${p.cafcass.beforeReferral.text} (${cite(a, p.cafcass.beforeReferral.source)})`]
            : []),
          `(${cite(a, p.cafcass.source)})`,
        ].join("; "),
    closing: `${
      p.closing
        ? `copied on closing: ${p.closing.copied.map((r) => role(a, r).label).join(", ")} (${cite(a, p.closing.source)})`
        : `copied on closing: the last stage's copies and the QA inbox (${roleLabel(a, p.qaInbox)})`
    }${p.whenClosed ? `; on closing, the instigator reads: ${p.whenClosed.replace(/\.$/, "")}` : ""}`,
    reviews: (p.reviews?.deadlines ?? []).map((d) => {
      const t = d.timescale;
      const when = "months" in t ? `${t.months} month${t.months === 1 ? "" : "s"}` : describeDays(t.days, t.unit);
      const who = d.who === "chair" ? `the ${who2(a, p)} who chaired the ${p.reviews!.noun}` : roleLabel(a, d.who);
      return `${d.name}: ${who}, within ${when} of ${d.from === "held" ? `the ${p.reviews!.noun}` : "the decisions being sent"}${d.onlyIfRated ? `, after a ${d.onlyIfRated.join(" or ")} rating` : ""}; met by ${d.metBy.replace("_", " ")}${d.whenMissed === "agreed" ? "; no answer means agreement" : ""}${d.copied.length ? `; copied: ${d.copied.map((r) => roleLabel(a, r)).join(", ")}` : ""} (${cite(a, d.source)})`;
    }),
    stages: p.stages.map((s) => ({
      stage: s.stage,
      name: s.name,
      formal: s.formal,
      recipient: s.recipient ? role(a, s.recipient) : null,
      copied: s.copied.map((r) => role(a, r)),
      escalatedBy: s.escalatedBy ? role(a, s.escalatedBy) : null,
      whoMayBeHere: who(s.entry.by),
      mayStartHere: p.entry.startAt.includes(s.stage),
      timescale: timescale(a, p, s),
      extensions: extensions(a, s),
      meeting: s.meeting
        ? { required: s.meeting.required, invitees: s.meeting.invitees.map((r) => role(a, r)), source: cite(a, s.meeting.source) }
        : null,
      referral: s.referral,
      requires: s.requires.map((r) => ({ id: r.id, text: r.text, confirm: r.confirm, source: cite(a, r.source) })),
      register: s.register
        ? { to: role(a, s.register.to), copied: s.register.copied.map((r) => role(a, r)), source: cite(a, s.register.source) }
        : null,
      forCopied: s.forCopied.map((f) => ({ role: f.role ? role(a, f.role) : null, text: f.text, source: cite(a, f.source) })),
      howToRespond: s.howToRespond ?? null,
      whenTimescaleEnds: s.whenTimescaleEnds ?? null,
      whenResolved: s.whenResolved ?? null,
      source: cite(a, s.source),
    })),
  };
}

const label = (r: ExplainedRole) =>
  r.byService
    ? `${r.label} (${Object.entries(r.byService)
        .map(([svc, x]) => `${x.label} for ${svc}`)
        .join("; ")})`
    : r.label;

/** The explanation as lines of text. */
export function explainText(a: Authority, procedures: ExplainedProcedure[]): string {
  const out = [
    `${a.name} (${a.id}) — ${a.source}`,
    `Cited as "${a.documentName}". Working days: Monday to Friday, not an England & Wales bank holiday${a.closureDays.length ? ` or one of ${a.closureDays.length} closure days` : ""}; responses due by ${a.closeOfBusiness} ${a.timeZone}.`,
  ];
  for (const p of procedures) {
    out.push(
      "",
      `${p.name} (${p.id}), raised by ${p.raisedBy.join(" or ")}`,
      `  Words: a "${p.terms.dispute}", by "${p.terms.stage}", about the ${p.terms.plan}.`,
      ...(p.concerning ? [`  About: ${p.concerning}.`] : []),
      `  Starting: ${p.starting}.`,
      `  Skipping: ${p.skipping}.`,
      `  Overall limit: ${p.overallLimit}.`,
      `  Reminders: ${p.reminders}.`,
      `  How the recipient responds: ${p.howToRespond}`,
      `  Cafcass: ${p.cafcass}.`,
      `  Closing: ${p.closing}.`,
      ...p.reviews.map((r) => `  After a review: ${r}.`),
    );
    for (const s of p.stages) {
      out.push("", `  ${p.terms.stage} ${s.stage}: ${s.name}${s.formal ? "" : " (informal)"} — ${s.source}`);
      if (s.referral) out.push("    Entering it is the referral to Cafcass: the nominated officer is told; nobody is asked to respond.");
      if (s.recipient) out.push(`    Receives: ${label(s.recipient)}`);
      if (s.formal)
        out.push(
          `    Copied: ${s.copied.map(label).join(", ") || "nobody"}${s.recipient ? " (and the QA inbox, and the instigator)" : ""}`,
        );
      else out.push("    Informal: nobody is emailed while it runs, but for the instigator's prompt when an agreed time ends");
      if (s.escalatedBy) out.push(`    Escalated into by: ${label(s.escalatedBy)} (the instigator is copied)`);
      out.push(`    Who may be here: ${s.whoMayBeHere.join(", ")}; may start here: ${s.mayStartHere ? "yes" : "no"}`);
      out.push(`    Timescale: ${s.timescale}`, `    Extensions: ${s.extensions}`);
      if (s.meeting)
        out.push(
          `    Meeting: ${s.meeting.required ? "the recipient convenes one by the deadline" : "one may be held"}; invited: ${s.meeting.invitees.map(label).join(", ") || "—"} (${s.meeting.source})`,
        );
      for (const r of s.requires) out.push(`    Before entering: ${r.text}${r.confirm ? "" : " (advice)"} (${r.source})`);
      if (s.register)
        out.push(
          `    Registered on opening and closing with: ${label(s.register.to)}, copying ${s.register.copied.map(label).join(", ") || "nobody"} (${s.register.source})`,
        );
      if (s.howToRespond) out.push(`    How the recipient responds here: ${s.howToRespond}`);
      for (const f of s.forCopied) out.push(`    To ${f.role ? label(f.role) : "those copied"}: ${f.text} (${f.source})`);
      if (s.whenTimescaleEnds) out.push(`    When the time runs out, the instigator reads: ${s.whenTimescaleEnds}`);
      if (s.whenResolved) out.push(`    When it is resolved here, the instigator reads: ${s.whenResolved}`);
    }
  }
  // the reports the authority's file asks for, in its own words
  if (a.reports.length) out.push("", "Reports");
  for (const r of a.reports) {
    const copied = r.copied.length ? `, copying ${r.copied.map((x) => roleLabel(a, x)).join(", ")}` : "";
    const holders = r.holders ? "; each manager holding an outstanding one is sent their own list" : "";
    // a report that leaves a procedure out says so (WF's alert reports do not count §1.6 concerns)
    const covers = r.procedures ? `; counts the ${r.procedures.join(" and ")} procedures only` : "";
    out.push(
      `  ${r.name}: ${r.every === "month" ? "monthly" : "quarterly"}, at opening time on the first working day after the ${r.every}, to ${r.to.map((x) => roleLabel(a, x)).join(", ")}${copied}${holders}${covers} (${cite(a, r.source)}).`,
    );
  }
  return out.join("\n");
}

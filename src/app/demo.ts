// drp demo: fictional people (demo/directories) and backdated disputes in
// every authority, dated from the clock so that each kind of email falls due
// now and goes out as soon as a worker sees them.
import { existsSync, readFileSync } from "node:fs";
import { count } from "drizzle-orm";
import { parseDocument } from "yaml";
import { disputes } from "../db/schema.ts";
import { type IsoDate, longDate, MONTHS } from "../domain/calendar/dates.ts";
import { instantAt, localDate } from "../domain/calendar/local-time.ts";
import type { DirectoryFile } from "../domain/directory.ts";
import { type Authority, firstFormalStage, nextStage, type Procedure, roleFor } from "../domain/procedure/model.ts";
import type { InstigatorRole } from "../domain/procedure/roles.ts";
import { inSendingHours, nextSendingTime } from "../domain/sending-hours.ts";
import type { DemoReplies } from "../mail/inbound/demo-replies.ts";
import { recordFinal } from "../mail/outbox.ts";
import { appPath } from "../paths.ts";
import type { Services } from "../service/context.ts";
import { importDirectory, parseDirectory } from "../service/directory.ts";
import { raiseDispute, takeStep } from "../service/disputes.ts";
import type { RaiseInput } from "../service/inputs.ts";
import { demoGoodPractice, demoReports, demoReviews } from "./demo-extras.ts";

export interface DemoDispute {
  authority: string;
  reference: string;
  id: string;
  shows: string;
}

const PEOPLE: Record<InstigatorRole, { name: string; email: string; role: InstigatorRole }> = {
  iro: { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" },
  cp_chair: { name: "Cora Chair", email: "cora.chair@example.org", role: "cp_chair" },
  team_manager: { name: "Toby Manager", email: "toby.manager@example.org", role: "team_manager" },
  social_worker: { name: "Sasha Worker", email: "sasha.worker@example.org", role: "social_worker" },
};

/** The team with no one holding any role of its own: its emails show the "no one holds" banner. */
const UNSTAFFED = "demo-unstaffed";
/** Teams whose first stage's recipient has left (the address bounces) or is on leave (an automatic reply): the first authority's only. */
const LEFT = "demo-left";
const AWAY = "demo-away";
const LEAVER = { id: "demo-leaver", name: "Lee Example", email: "lee.leaver@example.org" };
const ON_LEAVE = { id: "demo-on-leave", name: "Alex Example", email: "alex.away@example.org" };

/** The demo's people for an authority, or undefined where it has none (an authority added since: `authorities new`). */
function loadDemoDirectory(svc: Services, a: Authority, replies: boolean): DirectoryFile | undefined {
  const file = appPath("demo", "directories", `${a.id}.yaml`);
  if (!existsSync(file)) return undefined;
  const data = parseDocument(readFileSync(file, "utf8")).toJS() as DirectoryFile;
  const service = data.services[0]?.id;
  if (service) data.teams.push({ id: UNSTAFFED, name: "Demo team with no manager on record", service, roles: {} });
  const first = Object.values(a.procedures)[0];
  const recipient = first && firstFormalStage(first).recipient;
  if (replies && service && recipient) {
    const role = roleFor(recipient, service);
    data.people.push(LEAVER, ON_LEAVE);
    data.teams.push({ id: LEFT, name: "Demo team whose manager has left", service, roles: { [role]: [LEAVER.id] } });
    data.teams.push({ id: AWAY, name: "Demo team whose manager is on leave", service, roles: { [role]: [ON_LEAVE.id] } });
  }
  return parseDirectory(svc, data, a.id);
}

export class DemoNotEmpty extends Error {
  override name = "DemoNotEmpty";
}

export async function runDemo(svc: Services): Promise<{
  disputes: DemoDispute[];
  reviews: string[];
  reports: string[];
  goodPractice: string[];
  note?: string;
  leftOut: string[];
  /** what the demo's mail system sends back (mail/inbound/demo-replies.ts) */
  replies?: DemoReplies;
}> {
  // a second demo on the first would pile its disputes on the first's
  const [held] = await svc.db.select({ n: count() }).from(disputes);
  if (held && held.n > 0)
    throw new DemoNotEmpty(
      `this database holds ${held.n} disputes already: the demo raises its own only in an empty one. To start again: npm run demo -- --reset (the demo's own folder only)`,
    );
  const now = svc.clock.now();
  const made: DemoDispute[] = [];
  const reviews: string[] = [];
  const reports: string[] = [];
  const goodPractice: string[] = [];
  const leftOut: string[] = [];
  let note: string | undefined;
  let replies: DemoReplies | undefined;
  for (const a of svc.authorities.values()) {
    const dir = loadDemoDirectory(svc, a, !replies);
    if (!dir) {
      leftOut.push(`${a.id}: no demo directory (demo/directories/${a.id}.yaml), so no demo disputes`);
      continue;
    }
    await importDirectory(svc, dir);
    if (!inSendingHours(a, now)) {
      note = `It is outside sending hours (${a.openingTime}–${a.closeOfBusiness} on working days, ${a.timeZone}): the emails will go at ${nextSendingTime(a, now).toISOString()}. To see them at once, run both the demo and the worker with DRP_NOW set to a working-day morning, e.g. DRP_NOW=2026-11-24T10:00:00Z.`;
    }
    if (!replies && dir.teams.some((t) => t.id === LEFT)) {
      replies = await demoReplies(svc, a, now);
    }
    for (const p of Object.values(a.procedures)) {
      const staffed = dir.teams.filter((t) => t.id !== UNSTAFFED && t.id !== LEFT && t.id !== AWAY);
      const team = (p.id === "cp" ? staffed.find((t) => t.id.includes("cp")) : undefined) ?? staffed[0]!;
      made.push(...(await demoFor(svc, a, p, team.id, now)));
      reviews.push(...(await demoReviews(svc, a, p, team.id, now)));
    }
    const staffed = dir.teams.find((t) => t.id !== UNSTAFFED && t.id !== LEFT && t.id !== AWAY);
    if (staffed) goodPractice.push(...(await demoGoodPractice(svc, a, staffed.id, now)));
    reports.push(...(await demoReports(svc, a, now)));
  }
  return { disputes: made, reviews, reports, goodPractice, note, leftOut, ...(replies ? { replies } : {}) };
}

/** A demo dispute's fields: a fictional concern, what the stage asks confirmed. */
function demoInput(
  p: Procedure,
  stage: Procedure["stages"][number],
  by: (typeof PEOPLE)[InstigatorRole],
  team: string,
  childRef: string,
  at: Date,
  days: number,
): RaiseInput {
  return {
    procedure: p.id,
    childRef,
    raisedBy: by,
    team,
    stage: stage.stage,
    categories: ["other"],
    otherCategory: "Demonstration",
    summary: "A fictional concern for the demonstration.",
    timescaleWorkingDays: "setBy" in stage.timescale ? days : undefined,
    confirmed: stage.requires.map((x) => x.id),
    // a §1.6 concern names the IRO or CP Chair it is about (never emailed)
    concerning: p.concerning ? { name: PEOPLE.iro.name, role: p.concerning.roles[0]! } : undefined,
    at,
  } as RaiseInput;
}

/**
 * Two disputes raised now in the first authority's first procedure: one for a
 * team whose manager's address no longer exists, one for a team whose manager
 * is on leave. The demo's mail system answers their emails (a delivery report,
 * an automatic reply), and the IRO and the QA inbox are told.
 */
async function demoReplies(svc: Services, a: Authority, now: Date): Promise<DemoReplies> {
  const p = Object.values(a.procedures)[0]!;
  const stage = firstFormalStage(p);
  const by = PEOPLE[p.raisedBy[0]!];
  const at = new Date(now.getTime() - 60_000);
  const due =
    stage.timescale && "days" in stage.timescale
      ? a.calendar.addWorkingDays(localDate(now, a.timeZone), stage.timescale.days - 1)
      : undefined;
  const back = due ?? a.calendar.addWorkingDays(localDate(now, a.timeZone), 5);
  for (const [team, n] of [
    [LEFT, 1],
    [AWAY, 2],
  ] as const) {
    await raiseDispute(svc, a.id, demoInput(p, stage, by, team, `DEMO-${a.id.slice(0, 3).toUpperCase()}-MAIL-${n}`, at, 5));
  }
  const [d, m] = [Number(back.slice(8, 10)), MONTHS[Number(back.slice(5, 7)) - 1]];
  return {
    bounce: [LEAVER.email],
    away: {
      [ON_LEAVE.email]: {
        name: ON_LEAVE.name,
        text: `Thank you for your email. I am on annual leave until ${longDate(back).split(" ")[0]} ${d} ${m}, with limited access to email. For anything urgent please contact the team's duty manager.`,
      },
    },
  };
}

async function demoFor(svc: Services, a: Authority, p: Procedure, team: string, now: Date): Promise<DemoDispute[]> {
  const cal = a.calendar;
  const today = cal.onOrNextWorkingDay(localDate(now, a.timeZone));
  const stage = firstFormalStage(p);
  const days = "days" in stage.timescale ? stage.timescale.days : 5;
  const before = (n: number): IsoDate => cal.subtractWorkingDays(today, n);
  // a backdated step at mid-morning on that day, or a minute ago for today
  const on = (d: IsoDate) => {
    const t = instantAt(d, "10:00", a.timeZone);
    return t.getTime() < now.getTime() ? t : new Date(now.getTime() - 60_000);
  };
  const by = PEOPLE[p.raisedBy[0]!];
  const out: DemoDispute[] = [];
  let n = 0;
  // a backdated dispute's earlier emails went when they were due, before the demo: recorded as such, so that
  // what is due now goes on its own rather than folded into a late announcement (one email per person)
  const sentBefore = (id: string, ...whats: string[]) =>
    recordFinal(
      svc.db,
      whats.map((what) => ({
        key: `${id}:s${stage.stage}:e0:${what}/-`,
        disputeId: id,
        authorityId: a.id,
        plannerKey: `${id}:s${stage.stage}:e0:${what}`,
        kind: what.startsWith("reminder") ? "reminder" : what,
        stage: stage.stage,
        recipientRole: "-",
        status: "skipped" as const,
        reason: "before the demo: sent when it was due",
      })),
    );
  const raise = async (shows: string, at: Date, over: Partial<RaiseInput> = {}) => {
    n += 1;
    const childRef = `DEMO-${a.id.slice(0, 3).toUpperCase()}-${p.id.toUpperCase()}-${n}`;
    const r = await raiseDispute(svc, a.id, { ...demoInput(p, stage, by, team, childRef, at, days), ...over } as RaiseInput);
    out.push({ authority: a.id, reference: r.dispute.reference, id: r.dispute.id, shows });
    return r.dispute.id;
  };
  await raise("stage raised: the first email to the stage's recipient", on(localDate(now, a.timeZone)));
  const reminders = stage.reminders.workingDaysBefore;
  if (reminders.length && days > reminders[0]!) {
    const r = await raise(`reminder: due in ${reminders[0]} working days`, on(before(days - reminders[0]!)));
    await sentBefore(r, "stage_raised");
  }
  const dueToday = await raise(`due today: due ${longDate(today)}`, on(before(days)));
  await sentBefore(dueToday, "stage_raised", ...reminders.map((d) => `reminder_${d}wd`));
  const overdue = await raise("overdue notice and the IRO's escalation prompt", on(before(days + 1)));
  await sentBefore(overdue, "stage_raised", "due_today", ...reminders.map((d) => `reminder_${d}wd`));
  if (p.overallLimit) {
    await raise(
      "overall-limit warning: 4 working days left",
      on(before(p.overallLimit.workingDays - p.overallLimit.warnWorkingDaysBefore + 1)),
    );
    await raise("overall-limit breach", on(before(p.overallLimit.workingDays + 1)));
  }
  // a step taken half a minute ago: escalating into `target`, with what it asks confirmed
  const escalateTo = (id: string, target: Procedure["stages"][number]) =>
    takeStep(svc, a.id, id, {
      type: "escalated",
      toStage: target.stage,
      timescaleWorkingDays: "setBy" in target.timescale ? days : undefined,
      confirmed: target.requires.map((x) => x.id),
      at: new Date(now.getTime() - 30_000),
    });
  const answered = await raise("response recorded: the IRO is told at once", on(before(2)));
  await takeStep(svc, a.id, answered, { type: "response_recorded", at: new Date(now.getTime() - 30_000) });
  const next = nextStage(p, stage, p.raisedBy[0]!);
  if (next?.recipient && !next.referral) {
    const moved = await raise("escalated: the previous holder is told it has moved on, and their deadline withdrawn", on(before(2)));
    await escalateTo(moved, next);
  }
  const ext = await raise("extension agreed", on(before(2)));
  await takeStep(svc, a.id, ext, { type: "extension_agreed", workingDays: 3, at: new Date(now.getTime() - 30_000) });
  const closed = await raise("resolved: the closing notice to all parties", on(before(2)));
  await takeStep(svc, a.id, closed, { type: "resolved", at: new Date(now.getTime() - 30_000) });
  if (p.cafcass?.beforeReferral && p.cafcass.referralBy.includes(by.role)) {
    const considered = await raise("Cafcass referral considered: the nominated officer is told first", on(before(2)));
    await takeStep(svc, a.id, considered, { type: "cafcass_referral_considered", at: new Date(now.getTime() - 30_000) });
  }
  const informal = p.stages.find((s) => !s.formal && s.register && p.entry.startAt.includes(s.stage));
  if (informal) {
    const fields = { stage: informal.stage, timescaleWorkingDays: "setBy" in informal.timescale ? days : undefined, confirmed: [] };
    await raise("informal stage opened: registered with business support", on(localDate(now, a.timeZone)), fields);
    const formal = await raise("informal stage closed: the concern went formal", on(before(2)), fields);
    await escalateTo(formal, stage);
  }
  if (p.cafcass?.referralBy.includes(by.role)) {
    const ref = await raise("Cafcass referral: the nominated officer is told", on(before(2)));
    await takeStep(svc, a.id, ref, { type: "referred_to_cafcass", at: new Date(now.getTime() - 30_000) });
  }
  await raise("no one holds the recipient's role for the team: sent to the QA inbox with a banner", on(localDate(now, a.timeZone)), {
    team: UNSTAFFED,
  });
  if (p === Object.values(a.procedures)[0] && stage.recipient) {
    // the first email of a dispute raised two working days ago, refused by the mail server when it was sent:
    // on the QA inbox's list of failures, which goes this morning (the worker starts after opening time)
    const raisedAt = on(before(2));
    const refused = await raise("a failed email: the QA inbox's daily list of emails not sent", raisedAt);
    const plannerKey = `${refused}:s${stage.stage}:e0:stage_raised`;
    const role = typeof stage.recipient === "string" ? stage.recipient : stage.recipient.role;
    const reason = "the mail server refused it: 550 5.1.1 Recipient address rejected: User unknown";
    await recordFinal(svc.db, [
      {
        key: `${plannerKey}/-`,
        disputeId: refused,
        authorityId: a.id,
        plannerKey,
        kind: "stage_raised",
        stage: stage.stage,
        recipientRole: role,
        status: "failed",
        reason,
        createdAt: raisedAt,
        record: {
          disputeId: refused,
          type: "notification_failed",
          at: raisedAt,
          payload: { key: plannerKey, kind: "stage_raised", role, reason: "refused by the mail server" },
        },
      },
    ]);
  }
  return out;
}

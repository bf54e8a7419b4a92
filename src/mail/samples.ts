// Sample emails for review (drp preview): a fictional dispute taken through
// the real state machine, planner, addressing and wording to each stage of
// each procedure, so that what QA managers read is what people will receive,
// in every version: the recipient's, a copied person's, the instigator's.
import { existsSync, readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { addDays, parseIsoDate } from "../domain/calendar/dates.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import type { DeliveryFact } from "../domain/delivery.ts";
import { type Directory, directoryFileSchema, directoryFromFile, resolveRole } from "../domain/directory.ts";
import type { DisputeEvent } from "../domain/dispute/events.ts";
import { type DisputeState, replay } from "../domain/dispute/state.ts";
import { AUDIENCES, type Audience, type NotificationKind, type PlannedNotification, planNotifications } from "../domain/planner.ts";
import { openingTime } from "../domain/procedure/deadlines.ts";
import { type Authority, mayStartAt, nextStage, type Procedure, roleFor, type Stage } from "../domain/procedure/model.ts";
import type { InstigatorRole } from "../domain/procedure/roles.ts";
import { appPath } from "../paths.ts";
import { failureDigestView } from "../queue/digest.ts";
import { referenceFor } from "../service/disputes.ts";
import { SIGN_IN_MINUTES } from "../service/sessions.ts";
import { addressNotification } from "./addressing.ts";
import { composeEmail } from "./compose.ts";
import type { EmailKind, EmailView } from "./model.ts";
import { signInEmailView } from "./sign-in-email.ts";

const START = parseIsoDate("2026-11-02");
const SAMPLE_ID = "00000000-0000-4000-8000-000000000042";
const SAMPLE_TIMESCALE = 5;
/** Who raises the sample dispute, by role; and the IRO a sample §1.6 concern is about (named, never emailed). */
const SAMPLE_PEOPLE: Record<InstigatorRole, { name: string; email: string }> = {
  iro: { name: "Ivy Reviewer", email: "ivy.reviewer@example.org" },
  cp_chair: { name: "Cora Chair", email: "cora.chair@example.org" },
  team_manager: { name: "Toby Manager", email: "toby.manager@example.org" },
  social_worker: { name: "Sasha Worker", email: "sasha.worker@example.org" },
};

export function demoDirectory(a: Authority): Directory {
  const file = appPath("demo", "directories", `${a.id}.yaml`);
  if (existsSync(file)) return directoryFromFile(directoryFileSchema.parse(parseDocument(readFileSync(file, "utf8")).toJS()));
  return { authority: a.id, people: new Map(), services: new Map(), teams: new Map(), roles: {} };
}

export interface Sample {
  authority: string;
  procedure: string;
  stage: number;
  kind: EmailKind;
  audience: Audience;
  view: EmailView;
  /** files the email shows by Content-ID (a report's charts), written beside it */
  files?: { name: string; cid: string; content: Buffer }[];
}

/** The history that brings a sample dispute to `target`: raised where it may start, then escalated a stage at a time. */
function historyTo(a: Authority, p: Procedure, target: Stage): DisputeEvent[] | undefined {
  const by = p.raisedBy.find((r) => target.entry.by.includes(r));
  if (!by) return undefined;
  const starts = p.stages.filter((s) => mayStartAt(p, s) && s.entry.by.includes(by) && s.stage <= target.stage);
  let at = starts.at(-1);
  if (!at) return undefined;
  const timescale = (s: Stage) => ("setBy" in s.timescale ? SAMPLE_TIMESCALE : undefined);
  const confirmed = (s: Stage) => s.requires.map((r) => r.id);
  let day = START;
  const concerning = p.concerning ? { name: SAMPLE_PEOPLE.iro.name, role: p.concerning.roles[0]! } : undefined;
  const events: DisputeEvent[] = [
    {
      type: "raised",
      at: openingTime(a, day),
      stage: at.stage,
      by,
      timescaleWorkingDays: timescale(at),
      confirmed: confirmed(at),
      ...(concerning ? { concerning } : {}),
    },
  ];
  while (at.stage < target.stage) {
    const next: Stage | undefined = at.formal ? nextStage(p, at, by) : p.stages.find((s) => s.stage > at!.stage && s.entry.by.includes(by));
    if (!next) return undefined;
    day = a.calendar.addWorkingDays(day, 1);
    events.push({
      type: "escalated",
      at: openingTime(a, day),
      toStage: next.stage,
      timescaleWorkingDays: timescale(next),
      confirmed: confirmed(next),
    });
    at = next;
  }
  return events;
}

function stateOf(a: Authority, p: Procedure, events: DisputeEvent[]): DisputeState | undefined {
  const r = replay({ authority: a, procedure: p }, events);
  return r.ok ? r.state : undefined;
}

/**
 * A bounce and an automatic reply of the stage's first email to its
 * recipient, as the bounce mailbox would record them: the notices they
 * lead to are samples too.
 */
function deliverySamples(a: Authority, stage: Stage, state: DisputeState, dir: Directory, teamId?: string): DeliveryFact[] {
  if (!stage.formal || !stage.recipient || !teamId) return [];
  const role = roleFor(stage.recipient, dir.teams.get(teamId)?.service);
  const found = resolveRole(dir, role, teamId);
  const person = found.found ? found.people[0] : undefined;
  const at = new Date(state.stageEnteredAt.getTime() + 10 * 60_000);
  const base = { at, kind: "stage_raised", role, stage: stage.stage, address: person?.email ?? "someone@example.org", name: person?.name };
  const back = addDays(localDate(at, a.timeZone), 21);
  return [
    { ...base, type: "email_bounced", seq: 1000, status: "5.1.1" },
    {
      ...base,
      type: "recipient_away",
      seq: 1001,
      returnOn: back,
      returnKind: "until" as const,
      phrase: `until ${back.slice(8)}/${back.slice(5, 7)}/${back.slice(0, 4)}`,
    },
  ];
}

/** Each kind of email that arises at `stage`, with the state it arises from. */
function notificationsAt(
  a: Authority,
  p: Procedure,
  stage: Stage,
  service?: string,
  dir?: Directory,
  teamId?: string,
): { n: PlannedNotification; state: DisputeState }[] {
  const base = historyTo(a, p, stage);
  if (!base) return [];
  const last = base.at(-1)!.at;
  const later = (h: number) => new Date(last.getTime() + h * 3_600_000);
  const variants: DisputeEvent[][] = [base];
  const s0 = stateOf(a, p, base);
  if (s0?.deadline.kind === "due" && stage.formal) {
    variants.push([...base, { type: "extension_agreed", at: later(1), until: a.calendar.addWorkingDays(s0.deadline.date, 3) }]);
  }
  if (stage.formal && !stage.referral) variants.push([...base, { type: "response_recorded", at: later(1) }]);
  variants.push([...base, { type: "resolved", at: later(2) }]);
  if (p.cafcass?.beforeReferral) {
    variants.push([
      ...base,
      { type: "cafcass_referral_considered", at: later(1), confirmed: p.cafcass.beforeReferral.requires.map((r) => r.id) },
    ]);
  }
  if (p.cafcass && !stage.referral) variants.push([...base, { type: "referred_to_cafcass", at: later(3) }]);
  const found = new Map<NotificationKind, { n: PlannedNotification; state: DisputeState }>();
  for (const events of variants) {
    const state = stateOf(a, p, events);
    if (!state) continue;
    const delivery = events === base && dir ? deliverySamples(a, stage, state, dir, teamId) : [];
    const now = new Date(Math.max(events.at(-1)!.at.getTime(), ...delivery.map((f) => f.at.getTime())));
    const plan = planNotifications({ authority: a, procedure: p, state, disputeId: SAMPLE_ID, service, now, delivery });
    for (const n of plan.notifications) if (!found.has(n.kind)) found.set(n.kind, { n, state });
  }
  return [...found.values()];
}

/** Every email of a procedure at one stage, in every audience it has. */
export function samplesAt(a: Authority, p: Procedure, stageNumber: number, opts: { kind?: EmailKind; audience?: Audience } = {}): Sample[] {
  const stage = p.stages.find((s) => s.stage === stageNumber);
  if (!stage) return [];
  const dir = demoDirectory(a);
  const team = [...dir.teams.values()][0];
  const by = p.raisedBy[0]!;
  const dispute = {
    id: SAMPLE_ID,
    reference: referenceFor(a, 2026, 42),
    childRef: "ECL-123456",
    teamId: team?.id ?? "sample-team",
    teamName: team?.name,
    serviceId: team?.service,
    raisedByName: SAMPLE_PEOPLE[by].name,
    raisedByEmail: SAMPLE_PEOPLE[by].email,
    raisedByRole: by,
  };
  const out: Sample[] = [];
  for (const { n, state } of notificationsAt(a, p, stage, team?.service, dir, team?.id)) {
    if (opts.kind && n.kind !== opts.kind) continue;
    const invitees = n.kind === "stage_raised" ? (state.stage.meeting?.invitees ?? []).map((r) => roleFor(r, team?.service)) : [];
    const addressing = addressNotification(a, dir, dispute, n.addressees, p.qaInbox, invitees);
    for (const audience of AUDIENCES) {
      if (opts.audience && audience !== opts.audience) continue;
      const email = addressing.emails.find((e) => e.audience === audience && e.to.length);
      if (!email) continue;
      const view = composeEmail({
        authority: a,
        procedure: p,
        state,
        dispute,
        notification: n,
        addressing,
        role: email.key,
        now: n.at,
        mailDomain: "example.org",
      });
      out.push({ authority: a.id, procedure: p.id, stage: stage.stage, kind: n.kind, audience, view });
    }
  }
  return out;
}

/** A sign-in link as its reader gets it (the link itself is a sample, not a working one). */
export function signInSample(a: Authority): EmailView {
  return signInEmailView(
    a,
    { name: "Quinn Example", email: "qa-inbox@example.org" },
    "http://localhost:3000/sign-in/email/sample-link-not-a-working-one",
    { at: new Date("2026-11-24T10:00:00Z"), minutes: SIGN_IN_MINUTES },
    "drp-monitor@example.org",
  );
}

export function failureDigestSample(a: Authority): EmailView {
  const failures = [
    {
      kind: "overdue",
      recipientRole: "team_manager",
      key: `${a.id}-sample:s1:e0:overdue/team_manager`,
      reason: "gave up after 10 attempts: 550 mailbox unavailable",
      lastError: null,
      reference: referenceFor(a, 2026, 41),
    },
  ];
  return failureDigestView(a, failures, ["QA inbox"], parseIsoDate("2026-11-24"), "drp-monitor@example.org");
}

/** Every sample email of an authority: each procedure, stage, kind and audience, and the failure list. */
export function allSamples(a: Authority): Sample[] {
  const out: Sample[] = [];
  for (const p of Object.values(a.procedures)) for (const s of p.stages) out.push(...samplesAt(a, p, s.stage));
  return out;
}

/** One email for review: the kind at the procedure's first formal stage (or `stage`), for the first audience that has it. */
export function sampleEmail(
  a: Authority,
  kind: EmailKind,
  opts: { procedure?: Procedure; stage?: number; audience?: Audience } = {},
): EmailView {
  if (kind === "failure_digest") return failureDigestSample(a);
  if (kind === "sign_in_link") return signInSample(a);
  const p = opts.procedure ?? a.procedures.iro ?? a.procedures.cp!;
  const stages = opts.stage !== undefined ? [opts.stage] : p.stages.filter((s) => s.formal).map((s) => s.stage);
  for (const s of stages) {
    const found = samplesAt(a, p, s, { kind, audience: opts.audience });
    if (found.length) return found[0]!.view;
  }
  throw new Error(
    `no ${kind} email arises in ${a.name}'s ${p.name}${opts.stage !== undefined ? ` at stage ${opts.stage}` : ""}${opts.audience ? ` for the ${opts.audience}` : ""}`,
  );
}

// Acting from an email: what a signed link's page shows, and the step its form
// takes, through the same service layer as the API, in the name of the person
// the email was sent to. A link works once, for the dispute as it was when the
// email went; every other case is a plain page saying what to do instead.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { loadDirectory } from "../db/queries/directory.ts";
import { eventsOf, findDispute } from "../db/queries/disputes.ts";
import { linkUses } from "../db/schema.ts";
import { longDate } from "../domain/calendar/dates.ts";
import { localDate, localTime } from "../domain/calendar/local-time.ts";
import { type Authority, nextStage, recipientLabel, referralOfficers, roleLabel } from "../domain/procedure/model.ts";
import { nextSendingTime } from "../domain/sending-hours.ts";
import type { Services } from "../service/context.ts";
import { procedureOf, replayRows, takeStep } from "../service/disputes.ts";
import { ConflictError, InputError, NotFoundError } from "../service/errors.ts";
import { escalateInput, extendInput, isoDate, plainStepInput, resolveInput, respondInput, type StepInput } from "../service/inputs.ts";
import { actionsFor, stepOwner } from "./actions.ts";
import { type LinkClaims, type LinkKeys, linkId, openToken } from "./token.ts";

/** What the link pages need: the keys links are sealed with, and how many days a link works. */
export interface ActConfig {
  keys: LinkKeys;
  days: number;
}

export class LinkProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly paragraphs: string[],
  ) {
    super(title);
  }
}

// said before the dispute is known: whoever raised it (an IRO, a CP Chair, or for a WF §1.6 concern a team manager)
const INSTEAD = "If something still needs doing, reply to the email you were sent, or contact the person who raised the dispute.";

/** The link, checked: well formed, signed by us, in date, not used, and for the dispute as it still is. */
export async function openLink(svc: Services, cfg: ActConfig, token: string) {
  const v = await openToken(cfg.keys, token, svc.clock.now(), cfg.days);
  if (!v.ok) {
    if (v.reason === "expired")
      throw new LinkProblem(410, "This link has expired", ["Links in dispute emails work for a limited time.", INSTEAD]);
    throw new LinkProblem(400, "This link is not valid", [
      "The link may have been copied incompletely or changed. Check that you used the whole link from the email.",
      INSTEAD,
    ]);
  }
  const c = v.claims;
  const a = svc.authorities.get(c.a);
  const row = a ? await findDispute(svc.db, a.id, c.d) : undefined;
  if (!a || !row)
    throw new LinkProblem(404, "This dispute cannot be found", ["The link does not lead to a dispute this service holds.", INSTEAD]);
  const [used] = await svc.db
    .select()
    .from(linkUses)
    .where(eq(linkUses.tokenHash, linkId(c)));
  if (used)
    throw new LinkProblem(410, "This link has already been used", [
      `It was used on ${longDate(used.usedAt.toISOString().slice(0, 10) as Parameters<typeof longDate>[0])}. Each link works once.`,
      INSTEAD,
    ]);
  const state = replayRows(a, row, await eventsOf(svc.db, row.id));
  if (row.version !== c.ver || state.closed)
    throw new LinkProblem(410, "This dispute has moved on since the email was sent", [
      `It is now at ${procedureOf(a, row.procedure).terms.stage} ${state.stage.stage}${state.closed ? `, and closed (${state.status.replaceAll("_", " ")})` : ""}. The link was for the dispute as it was then, so it no longer works. A newer email may ask you for something else.`,
      INSTEAD,
    ]);
  const p = procedureOf(a, row.procedure);
  // the step must still be one the email would offer now, and offer to this addressee: each step is its owner's
  const recipientStep = c.act === "respond" || c.act === "meeting";
  const offeredTo = (role: string) =>
    actionsFor(
      p,
      state,
      recipientStep ? "stage_raised" : "escalation_prompt",
      recipientStep ? "recipient" : "instigator",
      role,
      row.serviceId,
    ).map((x) => x.action);
  if (!offeredTo(c.r).includes(c.act)) {
    const owner = stepOwner(p, state, c.act, row.serviceId);
    if (owner && offeredTo(owner).includes(c.act))
      throw new LinkProblem(403, "This step is not yours to take", [
        `The procedure gives it to the ${owner === "instigator" ? roleLabel(a, state.raisedBy) : recipientLabel(a, owner, row.serviceId)}. Nothing has been recorded.`,
        INSTEAD,
      ]);
    throw new LinkProblem(410, "This step is not open now", ["The dispute's procedure does not allow it at this point.", INSTEAD]);
  }
  return { claims: c, a, p, row, state };
}

export type Opened = Awaited<ReturnType<typeof openLink>>;

function holder(o: Opened): string {
  const s = o.state.stage;
  return s.recipient ? recipientLabel(o.a, s.recipient, o.row.serviceId) : "Cafcass (a referral)";
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The panel on the page after the step. */
export const DONE: Record<LinkClaims["act"], string> = {
  respond: "Response recorded",
  meeting: "Meeting recorded",
  escalate: "Escalated",
  extend: "Extension agreed",
  resolve: "Marked resolved",
  refer: "Referral recorded",
};

const TITLES: Record<LinkClaims["act"], string> = {
  respond: "Record your response",
  meeting: "Record that the meeting is arranged",
  escalate: "Escalate the dispute",
  extend: "Agree an extension",
  resolve: "Mark the dispute resolved",
  refer: "Refer the dispute to Cafcass",
};

/** The step's title in the procedure's own noun: "Mark the concern resolved". */
const titleOf = (p: Opened["p"], act: LinkClaims["act"]) => TITLES[act].replace("the dispute", `the ${p.terms.dispute}`);

/** What the page shows: the dispute's facts, what the procedure asks first, and the form. */
export function pageModel(o: Opened) {
  const { a, p, row, state, claims } = o;
  const due = state.deadline.kind === "due" ? `5pm on ${longDate(state.deadline.date)}` : state.deadline.rule;
  const facts = [
    { key: { text: "Case reference" }, value: { text: row.childRef } },
    {
      key: { text: capital(p.terms.stage) },
      value: {
        text: /\b(stage|level)\b/i.test(state.stage.name)
          ? state.stage.name
          : `${capital(p.terms.stage)} ${state.stage.stage}: ${state.stage.name}`,
      },
    },
    { key: { text: "Held by" }, value: { text: holder(o) } },
    {
      key: { text: state.awaiting === "response" ? "Respond by" : "Waiting for" },
      value: { text: state.awaiting === "response" ? due : `the ${roleLabel(a, state.raisedBy)}'s decision` },
    },
  ];
  const target = claims.act === "escalate" ? nextStage(p, state.stage, state.raisedBy) : undefined;
  const requires = target?.requires ?? (claims.act === "refer" ? (p.cafcass?.beforeReferral?.requires ?? []) : []);
  return {
    title: target ? `Escalate to ${p.terms.stage} ${target.stage}` : titleOf(p, claims.act),
    reference: row.reference,
    authorityName: a.name,
    facts,
    warnings: target?.meeting?.required
      ? [
          `${p.terms.stage.charAt(0).toUpperCase()}${p.terms.stage.slice(1)} ${target.stage} is a meeting the ${recipientLabel(a, target.recipient, row.serviceId)} convenes.`,
        ]
      : [],
    intro: target
      ? `The ${recipientLabel(a, target.recipient, row.serviceId)} will be sent ${p.terms.stage} ${target.stage} (${target.name}).`
      : undefined,
    requires: requires.filter((r) => r.confirm).map((r) => ({ value: r.id, text: r.text })),
    askTimescale: target !== undefined && "setBy" in target.timescale,
    askDate: claims.act === "extend" ? "New date to respond by" : claims.act === "meeting" ? "Date of the meeting" : undefined,
    askNote: claims.act !== "extend",
    noteLabel: claims.act === "respond" ? "Your response (a summary)" : "Note",
    button: claims.act === "escalate" && target ? `Escalate to ${p.terms.stage} ${target.stage}` : titleOf(p, claims.act),
  };
}

type StepInputDate = Extract<StepInput, { type: "extension_agreed" }>["until"] & string;

const field = z.string().max(20_000, "is too long");
/** The form as posted: each field once, as text (a field sent twice, or as anything but text, is refused). */
const formSchema = z.object({
  csrf: z.string().max(500).optional(),
  confirmed: z.union([z.string().max(64), z.array(z.string().max(64)).max(20)]).optional(),
  note: field.optional(),
  timescale: z.string().max(10).optional(),
  "date-day": z.string().max(10).optional(),
  "date-month": z.string().max(10).optional(),
  "date-year": z.string().max(10).optional(),
});
export type FormInput = z.infer<typeof formSchema>;

const FORM_FIELDS: Record<string, string> = { "date-day": "date", "date-month": "date", "date-year": "date" };

/** The posted form, checked: each field once and as text, or an InputError naming the field. */
export function parseForm(body: unknown): FormInput {
  const r = formSchema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => {
    const name = String(i.path[0] ?? "");
    return { field: FORM_FIELDS[name] ?? name, message: i.code === "invalid_type" ? "Enter this once, as text" : `This ${i.message}` };
  });
  throw new InputError(issues[0]!.field, issues[0]!.message, issues.slice(1));
}

function dateOf(f: FormInput): string | undefined {
  const [d, m, y] = [f["date-day"], f["date-month"], f["date-year"]].map((x) => (x ?? "").trim());
  if (!/^\d{1,2}$/.test(d ?? "") || !/^\d{1,2}$/.test(m ?? "") || !/^\d{4}$/.test(y ?? "")) return undefined;
  const iso = `${y}-${m!.padStart(2, "0")}-${d!.padStart(2, "0")}`;
  return Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso ? undefined : iso;
}

/** The step the form asks for, checked by the API's own schema for that step (the same rules as POST /disputes/:id/…). */
function stepOf(act: LinkClaims["act"], base: { by: { name: string; email: string }; version: number }, form: FormInput): StepInput {
  const confirmed = [form.confirmed ?? []].flat().filter((x) => /^[a-z][a-z0-9_]*$/.test(x));
  const note = form.note?.trim() ? form.note.trim() : undefined;
  const checked = <T>(schema: z.ZodType<T>, value: unknown, fieldOf: (path: string) => string = (p) => p): T => {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const issues = r.error.issues.map((i) => ({ field: fieldOf(String(i.path[0] ?? "")), message: i.message }));
    throw new InputError(issues[0]!.field, issues[0]!.message, issues.slice(1));
  };
  switch (act) {
    case "respond":
      return { type: "response_recorded", ...checked(respondInput, { ...base, note }) };
    case "meeting": {
      const on = dateOf(form);
      if (!on) throw new InputError("date", "Enter the date of the meeting, for example 27 3 2027");
      checked(isoDate, on, () => "date");
      return {
        type: "response_recorded",
        ...checked(respondInput, { ...base, note: `Meeting arranged for ${on}.${note ? ` ${note}` : ""}` }),
      };
    }
    case "extend": {
      const until = dateOf(form);
      if (!until) throw new InputError("date", "Enter the new date, for example 27 3 2027");
      return { type: "extension_agreed", ...checked(extendInput, { ...base, until: until as StepInputDate }, () => "date") };
    }
    case "escalate": {
      const t = form.timescale?.trim();
      if (t !== undefined && t !== "" && !/^\d{1,3}$/.test(t))
        throw new InputError("timescale", "Enter the number of working days, for example 5");
      return {
        type: "escalated",
        ...checked(escalateInput, { ...base, confirmed, timescaleWorkingDays: t ? Number(t) : undefined }, (p) =>
          p === "timescaleWorkingDays" ? "timescale" : p,
        ),
      };
    }
    case "resolve":
      return { type: "resolved", ...checked(resolveInput, { ...base, outcome: note }, () => "note") };
    case "refer":
      return { type: "referred_to_cafcass", ...checked(plainStepInput, base) };
  }
}

/**
 * Takes the step a form asks for, in the name of `claims.e`, bound to the
 * dispute's version `claims.ver`; returns the sentences saying what happens
 * next. The link pages and the signed-in pages both take steps this way.
 */
export async function takeFormStep(svc: Services, o: Opened, form: FormInput): Promise<string[]> {
  const { a, p, row, claims } = o;
  const dir = await loadDirectory(svc.db, a.id);
  // whoever raised it (IRO, CP Chair, or a §1.6 concern's worker) is on the dispute; anyone else is in the directory
  const same = (x: string) => x.toLowerCase() === claims.e.toLowerCase();
  const name = same(row.raisedByEmail) ? row.raisedByName : [...dir.people.values()].find((x) => same(x.email))?.name;
  const input = stepOf(claims.act, { by: { name: name ?? claims.e, email: claims.e }, version: claims.ver }, form);
  const after = await takeStep(svc, a.id, row.id, input);
  return nextSteps(a, p, after.state, row.serviceId, claims.act, svc.clock.now());
}

/** Takes the step a link's form asks for, once; returns the sentences saying what happens next. */
export async function act(svc: Services, o: Opened, form: FormInput): Promise<string[]> {
  const { a, row, claims } = o;
  let next: string[];
  try {
    next = await takeFormStep(svc, o, form);
  } catch (e) {
    if (e instanceof ConflictError && (e.code === "version_mismatch" || e.code === "concurrent_step"))
      throw new LinkProblem(410, "This dispute has moved on since the email was sent", ["Someone recorded a step on it first.", INSTEAD]);
    if (e instanceof NotFoundError) throw new LinkProblem(404, "This dispute cannot be found", [INSTEAD]);
    throw e;
  }
  await svc.db
    .insert(linkUses)
    .values({ tokenHash: linkId(claims), authorityId: a.id, disputeId: row.id, action: claims.act, usedAt: svc.clock.now() })
    .onConflictDoNothing();
  return next;
}

/** What the service does not do: it records the referral and tells the officer; the referral itself goes to Cafcass as it always has. */
const REFERRAL_ITSELF = "This service does not contact Cafcass: make the referral itself in the usual way.";

/** "now", or when the email will go: emails wait for the authority's opening hours. */
function whenSent(a: Authority, now: Date): string {
  const at = nextSendingTime(a, now);
  if (at.getTime() <= now.getTime()) return "now";
  const day = localDate(at, a.timeZone);
  return `at ${localTime(at, a.timeZone)} on ${longDate(day)}, when the office opens`;
}

function nextSteps(
  a: Authority,
  p: ReturnType<typeof procedureOf>,
  s: Awaited<ReturnType<typeof takeStep>>["state"],
  service: string,
  action: LinkClaims["act"],
  now: Date,
): string[] {
  const instigator = roleLabel(a, s.raisedBy);
  const due = s.deadline.kind === "due" ? ` by 5pm on ${longDate(s.deadline.date)}` : "";
  const holder = s.stage.recipient ? recipientLabel(a, s.stage.recipient, service) : undefined;
  const { title: told, verb: isAre } = referralOfficers(p);
  switch (action) {
    case "respond":
    case "meeting":
      return [`Your response is recorded. The ${instigator} is emailed ${whenSent(a, now)}, and decides what happens next.`];
    case "escalate":
      return holder
        ? [
            `The ${holder} has been sent ${p.terms.stage} ${s.stage.stage} and must respond${due}.`,
            "Everyone the procedure copies has been told.",
          ]
        : [
            `The ${p.terms.dispute} is at ${p.terms.stage} ${s.stage.stage}: ${told} ${isAre} emailed ${whenSent(a, now)}.`,
            REFERRAL_ITSELF,
          ];
    case "extend":
      return [`The new date is recorded: the ${holder ?? "recipient"} must respond${due}. They have been told.`];
    case "resolve":
      return [`The ${p.terms.dispute} is recorded as resolved. Everyone involved has been told.`];
    case "refer":
      return s.closed
        ? [
            `The referral to Cafcass is recorded and the ${p.terms.dispute} is closed. ${capital(told)} ${isAre} emailed ${whenSent(a, now)}.`,
            REFERRAL_ITSELF,
          ]
        : [`The referral to Cafcass is recorded. ${capital(told)} ${isAre} emailed ${whenSent(a, now)}.`, REFERRAL_ITSELF];
  }
}

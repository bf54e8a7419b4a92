// What `drp demo` adds beside its disputes, so that every kind of email a
// person receives goes out: the review deadlines (WF §3.3's decisions, agreed
// by silence; Gloucestershire's post-review audit and a Red rating's response)
// a reminder two working days before a team manager's response to them, WF's
// good-practice register's copy to the QA DHoS (§11.1), and the reports for the
// period just ended, as if the system had run through it.
import { reportWatermarks } from "../db/schema.ts";
import { type IsoDate, parseIsoDate } from "../domain/calendar/dates.ts";
import { instantAt, localDate } from "../domain/calendar/local-time.ts";
import type { Authority, Procedure } from "../domain/procedure/model.ts";
import { registerOf } from "../domain/register/config.ts";
import { GOOD_PRACTICE_PROCEDURES } from "../domain/register/good-practice.ts";
import { periodContaining, previousPeriod } from "../domain/report/period.ts";
import { recordFinal } from "../mail/outbox.ts";
import type { Services } from "../service/context.ts";
import { recordGoodPractice } from "../service/good-practice.ts";
import { createReview, stepReview } from "../service/reviews.ts";

const CHAIRS = {
  iro: { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" as const },
  cp_chair: { name: "Cora Chair", email: "cora.chair@example.org", role: "cp_chair" as const },
};

/** Reviews whose deadlines fall due now: one long past its first date, one just rated Red where a rating starts one. */
export async function demoReviews(svc: Services, a: Authority, p: Procedure, team: string, now: Date): Promise<string[]> {
  const cfg = p.reviews;
  const chairRole = p.raisedBy.find((r): r is keyof typeof CHAIRS => r in CHAIRS);
  if (!cfg || !chairRole || p.id === "performance") return [];
  const procedure = p.id;
  const cal = a.calendar;
  const today = cal.onOrNextWorkingDay(localDate(now, a.timeZone));
  const before = (n: number): IsoDate => cal.subtractWorkingDays(today, n);
  const at = (d: IsoDate) => {
    const t = instantAt(d, "15:00", a.timeZone);
    return t.getTime() < now.getTime() ? t : new Date(now.getTime() - 60_000);
  };
  const made: string[] = [];
  const held = async (n: number, ago: number) => {
    const heldOn = before(ago);
    const r = await createReview(svc, a.id, {
      procedure,
      childRef: `DEMO-${a.id.slice(0, 3).toUpperCase()}-REV-${n}`,
      team,
      heldOn: parseIsoDate(heldOn),
      chairedBy: CHAIRS[chairRole],
      at: at(heldOn),
    });
    made.push(r.review.reference);
    return { id: r.review.id, heldOn };
  };
  // long past: its first deadline has passed (WF: decisions sent and unanswered, so agreed; Gloucestershire: the audit overdue)
  const old = await held(1, 12);
  if (cfg.deadlines.some((d) => d.metBy === "decisions_sent"))
    await stepReview(svc, a.id, old.id, { type: "decisions_sent", at: at(before(10)) });
  // decisions sent three working days ago and not answered: the team manager's reminder goes this morning, two
  // working days before the response is due (the email telling them of the date went when the decisions did)
  const answer = cfg.deadlines.find((d) => d.from === "decisions_sent");
  if (answer && answer.who !== "chair") {
    const reminded = await held(3, 4);
    const sentOn = at(before(3));
    await stepReview(svc, a.id, reminded.id, { type: "decisions_sent", at: sentOn });
    const plannerKey = `review:${reminded.id}:${answer.id}:review_due`;
    await recordFinal(svc.db, [
      {
        key: `${plannerKey}/${answer.who}`,
        disputeId: null,
        authorityId: a.id,
        plannerKey,
        kind: "review_due",
        stage: null,
        recipientRole: answer.who,
        status: "skipped",
        reason: "before the demo: sent when it was due",
        createdAt: sentOn,
      },
    ]);
  }
  // held yesterday and rated Red today, where a rating starts a response (Gloucestershire ¶4)
  if (cfg.deadlines.some((d) => d.onlyIfRated?.includes("red"))) {
    const red = await held(2, 1);
    await stepReview(svc, a.id, red.id, { type: "rated", rating: "red", at: new Date(now.getTime() - 30_000) });
  }
  return made;
}

/** Good practice noticed this morning, where the authority keeps a register of it: its copy goes to the roles the register names. */
export async function demoGoodPractice(svc: Services, a: Authority, team: string, now: Date): Promise<string[]> {
  if (!registerOf(a, "good_practice")) return [];
  const procedure = GOOD_PRACTICE_PROCEDURES.find((id) => a.procedures[id]);
  if (!procedure) return [];
  const v = await recordGoodPractice(svc, a.id, {
    noticedOn: parseIsoDate(localDate(now, a.timeZone)),
    procedure,
    team,
    about: "team",
    description: "A fictional example for the demonstration: the team's plan for the child was clear and on time.",
    noticedBy: procedure === "cp" ? CHAIRS.cp_chair : CHAIRS.iro,
  });
  return [v.reference];
}

/**
 * Each report as if the system had run through the period just ended, so that
 * the worker sends that period's report now (on the first working day after
 * the period, from opening time: a fixed demo morning after a month's end).
 */
export async function demoReports(svc: Services, a: Authority, now: Date): Promise<string[]> {
  const today = localDate(now, a.timeZone);
  const out: string[] = [];
  for (const r of a.reports) {
    const last = previousPeriod(periodContaining(today, r.every));
    await svc.db
      .insert(reportWatermarks)
      .values({ authorityId: a.id, reportId: r.id, firstPeriod: last.id })
      .onConflictDoUpdate({ target: [reportWatermarks.authorityId, reportWatermarks.reportId], set: { firstPeriod: last.id } });
    out.push(`${r.name}: ${last.id}`);
  }
  return out;
}

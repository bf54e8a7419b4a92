// Sample register entries for `drp preview`: a quarter's SLT actions (one done,
// one dropped, two carried forward, one of them overdue) and a month's good
// practice, for the authorities that keep those registers, so that the
// preview shows each register section as its readers would see it.
import { addDays, type IsoDate } from "../domain/calendar/dates.ts";
import type { Authority, ProcedureId } from "../domain/procedure/model.ts";
import { registerOf } from "../domain/register/config.ts";
import type { GoodPracticeEntry } from "../domain/register/good-practice.ts";
import type { SltAction } from "../domain/register/slt-actions.ts";
import type { Period } from "../domain/report/period.ts";

const d = (s: string) => s as IsoDate;

export function sampleSltActions(a: Authority, period: Period): SltAction[] {
  if (!registerOf(a, "slt_actions")) return [];
  const prefix = `${a.referencePrefix ?? a.id.slice(0, 3).toUpperCase()}-ACT`;
  const [m1, m2, m3] = [period.months[0]!, period.months[1] ?? period.months[0]!, period.months.at(-1)!];
  const before = d(`${Number(period.from.slice(0, 4)) - 1}-11-16`);
  return [
    {
      reference: `${prefix}-${before.slice(0, 4)}-0007`,
      action: "Practice Leads to record their response on the Dispute Resolution form within five days",
      owner: "Operations Director",
      agreedOn: before,
      dueOn: d(`${m2}-28`),
      status: "done",
      closedOn: d(`${m3}-15`),
      progress: [
        { on: d(`${m1}-18`), note: "Reminder sent to every Practice Lead" },
        { on: d(`${m2}-15`), note: "Audit of 20 forms: 16 answered within five days" },
        { on: d(`${m3}-15`), note: "Audit repeated: 19 of 20 within five days. Closed." },
      ],
    },
    {
      reference: `${prefix}-${before.slice(0, 4)}-0005`,
      action: "Raise the health issues category with the health partnership board",
      owner: "Assistant Director, Quality Assurance",
      agreedOn: d(`${before.slice(0, 4)}-10-19`),
      dueOn: null,
      status: "dropped",
      closedOn: d(`${m1}-18`),
      progress: [{ on: d(`${m1}-18`), note: "Superseded by the partnership's own review of health assessments" }],
    },
    {
      reference: `${prefix}-${m1.slice(0, 4)}-0001`,
      action: "Review placement sufficiency for children over 12 with the commissioning team",
      owner: "Head of Service, Children Looked After",
      agreedOn: d(`${m1}-18`),
      dueOn: addDays(period.to, 30),
      status: "open",
      closedOn: null,
      progress: [{ on: d(`${m2}-15`), note: "Commissioning data requested for the last two years" }],
    },
    {
      reference: `${prefix}-${m2.slice(0, 4)}-0002`,
      action: "Add the quarter's themes to the CP Chairs' practice meeting",
      owner: "CP Chair Service Manager",
      agreedOn: d(`${m2}-15`),
      dueOn: d(`${m3}-10`),
      status: "open",
      closedOn: null,
      progress: [],
    },
  ];
}

export function sampleGoodPractice(a: Authority, period: Period, teams: string[]): GoodPracticeEntry[] {
  if (!registerOf(a, "good_practice")) return [];
  const month = period.months.at(-1)!;
  const has = (p: ProcedureId) => !!a.procedures[p];
  const prefix = `${a.referencePrefix ?? a.id.slice(0, 3).toUpperCase()}-GP-${month.slice(0, 4)}`;
  const team = (i: number) => teams[i % teams.length]!;
  const out: GoodPracticeEntry[] = [
    {
      reference: `${prefix}-0011`,
      noticedOn: d(`${month}-04`),
      procedure: "iro",
      team: team(0),
      about: "individual",
      disputeReference: `${a.referencePrefix ?? a.id.slice(0, 3).toUpperCase()}-2027-0100`,
      childRef: "ECL-200000",
      description: "The social worker visited within the week and updated the care plan before the review, with the child's views in it",
      noticedBy: "Ivy Reviewer",
    },
    {
      reference: `${prefix}-0013`,
      noticedOn: d(`${month}-24`),
      procedure: "iro",
      team: team(0),
      about: "team",
      disputeReference: null,
      childRef: null,
      description: "Pathway plans written with each young person, in their own words",
      noticedBy: "Ivy Reviewer",
    },
  ];
  if (has("cp"))
    out.push({
      reference: `${prefix}-0012`,
      noticedOn: d(`${month}-11`),
      procedure: "cp",
      team: team(1),
      about: "team",
      disputeReference: null,
      childRef: "ECL-300014",
      description: "Core group met every four weeks without fail, and shared its notes the same day",
      noticedBy: "Casey Chair",
    });
  return out;
}

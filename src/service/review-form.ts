// Recording a statutory review (or conference) from the pages: what the form
// offers the signed-in chair, and the record itself, through the API's own
// input schema and service. The chair records in their own name and role; the
// deadlines the procedure runs from a review start on the day it was held.

import type { Db } from "../db/client.ts";
import { loadDirectory } from "../db/queries/directory.ts";
import type { Viewer } from "../domain/access.ts";
import { HOLIDAY_DATA_YEARS } from "../domain/calendar/bank-holidays.ts";
import { type IsoDate, isIsoDate, longDate } from "../domain/calendar/dates.ts";
import { localDate } from "../domain/calendar/local-time.ts";
import type { Authority, Procedure } from "../domain/procedure/model.ts";
import { CHAIR_ROLES, type ChairRole } from "../domain/procedure/roles.ts";
import type { ReviewState } from "../domain/review/state.ts";
import { deadlineStatus } from "../domain/review/status.ts";
import { twelveHour } from "../mail/wording/words.ts";
import { authorityOf, type Services } from "./context.ts";
import { InputError, type Issue } from "./errors.ts";
import { isoDate, reviewInput } from "./inputs.ts";
import { createReview, type ReviewRow } from "./reviews.ts";

export interface ReviewChoice {
  procedure: Procedure;
  role: ChairRole;
  /** "statutory review" */
  noun: string;
  /** each deadline that starts from the review, in the procedure's words, for the page to say beforehand */
  deadlines: { name: string; text: string; when: string }[];
}

/** The procedures whose reviews this person chairs, where the procedure runs deadlines after a review. */
export function reviewChoices(a: Authority, v: Viewer): ReviewChoice[] {
  const out: ReviewChoice[] = [];
  for (const p of Object.values(a.procedures)) {
    if (!p.reviews) continue;
    const role = CHAIR_ROLES.find((r) => p.raisedBy.includes(r) && v.roles.has(r));
    if (!role) continue;
    const deadlines = p.reviews.deadlines.map((d) => ({
      name: d.name,
      text: d.text,
      // when its clock starts: the review itself, or a later step
      when: [
        d.onlyIfRated ? `only after a rating of ${d.onlyIfRated.map((r) => r.charAt(0).toUpperCase() + r.slice(1)).join(" or ")}` : "",
        d.from === "decisions_sent" ? "from when the decisions are sent" : "from the review",
      ]
        .filter(Boolean)
        .join(", "),
    }));
    out.push({ procedure: p, role, noun: p.reviews.noun, deadlines });
  }
  return out;
}

export interface ReviewForm {
  procedure?: string;
  childRef?: string;
  familyRef?: string;
  team?: string;
  day?: string;
  month?: string;
  year?: string;
}

/** What the confirmation says: the reference, and each deadline now running with its date. */
export interface Recorded {
  reference: string;
  running: { name: string; dueBy: string }[];
  /** a review recorded late: deadlines already past when it was recorded */
  overdue: { name: string; dueBy: string }[];
}

export function recordedOf(a: Authority, review: ReviewRow, state: ReviewState, now: Date): Recorded {
  const of = (status: "running" | "overdue") =>
    state.deadlines
      .filter((d) => d.due && deadlineStatus(d, state, now) === status)
      .map((d) => ({ name: d.config.name, dueBy: `${twelveHour(a.closeOfBusiness)} on ${longDate(d.due!.date)}` }));
  return { reference: review.reference, running: of("running"), overdue: of("overdue") };
}

const { first: FIRST, last: LAST } = HOLIDAY_DATA_YEARS;

/** The date the form gives, or the GOV.UK message for what is wrong with it. */
function heldOnOf(f: ReviewForm, today: IsoDate): IsoDate | Issue {
  const parts = [f.day, f.month, f.year].map((x) => x?.trim() ?? "");
  if (parts.every((x) => x === "")) return { field: "heldOn", message: "Enter the date the review was held" };
  if (parts.some((x) => !/^\d+$/.test(x)) || parts[2]!.length !== 4)
    return { field: "heldOn", message: "The date the review was held must be a real date, for example 27 11 2026" };
  const date = `${parts[2]}-${parts[1]!.padStart(2, "0")}-${parts[0]!.padStart(2, "0")}`;
  if (!isIsoDate(date)) return { field: "heldOn", message: "The date the review was held must be a real date, for example 27 11 2026" };
  if (!isoDate.safeParse(date).success)
    return {
      field: "heldOn",
      message: `The date the review was held must be in the years ${FIRST}–${LAST}, the years the working-day calendar covers`,
    };
  if (date > today) return { field: "heldOn", message: "The date the review was held must be today or in the past" };
  return date as IsoDate;
}

/** Records the review the form describes, in the chair's own name; an InputError names each field at fault, in the form's order. */
export async function recordFromForm(
  svc: Services,
  v: Viewer,
  f: ReviewForm,
  along?: (tx: Db, r: { review: ReviewRow; state: ReviewState }) => Promise<void>,
) {
  const a = authorityOf(svc, v.authorityId);
  const choice = reviewChoices(a, v).find((c) => c.procedure.id === f.procedure);
  if (!choice) throw new InputError("procedure", "Choose the procedure");
  const dir = await loadDirectory(svc.db, a.id);
  const text = (x: string | undefined) => (x?.trim() ? x.trim() : undefined);
  const heldOn = heldOnOf(f, localDate(svc.clock.now(), a.timeZone));
  const mine: Issue[] = [];
  if (!dir.teams.has(f.team ?? "")) mine.push({ field: "team", message: "Choose the child's team" });
  if (typeof heldOn !== "string") mine.push(heldOn);
  const body = {
    procedure: choice.procedure.id,
    childRef: text(f.childRef),
    familyRef: text(f.familyRef),
    team: f.team,
    heldOn: typeof heldOn === "string" ? heldOn : "2000-01-01",
    chairedBy: { name: dir.people.get([...v.personIds][0]!)?.name ?? v.name, email: v.email, role: choice.role },
  };
  const r = reviewInput.safeParse(body);
  const issues = [
    ...(r.success
      ? []
      : r.error.issues
          // the team and the date are said above, in the page's own words
          .filter((i) => !mine.some((m) => m.field === String(i.path[0])))
          .map((i) => ({
            field: String(i.path[0]),
            message:
              i.path[0] === "childRef"
                ? "Enter the child's case reference from the case-management system (never a name)"
                : i.path[0] === "familyRef"
                  ? "The family's case reference must be a case-management id: letters, digits and / _ . : -"
                  : i.message,
          }))),
    ...mine,
  ].sort((x, y) => ORDER.indexOf(x.field) - ORDER.indexOf(y.field));
  if (issues.length || !r.success) throw InputError.all(issues);
  return createReview(svc, a.id, r.data, along);
}

/** The form's fields in the order they appear, for the error summary. */
const ORDER = ["procedure", "childRef", "familyRef", "team", "heldOn", "chairedBy"];

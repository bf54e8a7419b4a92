// One email per person per dispute per batch. After an outage, an import or a
// late start, several deadline emails about one dispute can fall due for one
// person at once: the stage's announcement, its reminder, "due today" and the
// overdue notice (all about the one response); or the IRO's prompt beside a
// limit warning or breach (the same decision, the same buttons). The person is
// sent the one that states the latest position — its text already says the
// response was due and is overdue — and the others are recorded as folded
// into it. Emails about different things are not folded: notices of events (a
// response, an escalation, a close, a referral) each say something else.
import type { NotificationKind } from "./notification.ts";

/** The kinds that say one thing between them, each family the one kept first. */
export const FOLD_FAMILIES: readonly (readonly NotificationKind[])[] = [
  ["stage_raised", "overdue", "due_today", "reminder"],
  ["escalation_prompt", "overall_breach", "overall_warning"],
];
export const FOLD_ORDER: readonly NotificationKind[] = FOLD_FAMILIES.flat();

const family = (k: NotificationKind) => FOLD_FAMILIES.findIndex((f) => f.includes(k));
const rank = (k: NotificationKind) => FOLD_ORDER.indexOf(k);

export interface Foldable {
  kind: NotificationKind;
  /** the dispute and the person (their address) the email is for */
  dispute: string;
  person: string;
}

/** Which of `items` go, and which are folded into which. */
export function foldDue<T extends Foldable>(items: T[]): { send: T[]; folded: { item: T; into: T }[] } {
  const best = new Map<string, T>();
  const group = (x: T) => `${x.dispute}|${x.person.toLowerCase()}|${family(x.kind)}`;
  for (const x of items) {
    if (rank(x.kind) < 0) continue;
    const b = best.get(group(x));
    if (!b || rank(x.kind) < rank(b.kind)) best.set(group(x), x);
  }
  const send: T[] = [];
  const folded: { item: T; into: T }[] = [];
  for (const x of items) {
    const b = rank(x.kind) < 0 ? undefined : best.get(group(x));
    if (!b || b === x) send.push(x);
    else folded.push({ item: x, into: b });
  }
  return { send, folded };
}

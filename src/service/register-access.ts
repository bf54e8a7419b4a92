// What every register route and command asks first: does the key's authority
// keep this register (404 if not: another authority's register does not exist
// for it), which period is asked for, and which entry is meant.
import type { Authority } from "../domain/procedure/model.ts";
import { type RegisterConfig, type RegisterKind, registerOf } from "../domain/register/config.ts";
import { type Period, PeriodError, parsePeriod } from "../domain/report/period.ts";
import { UUID } from "./disputes.ts";
import { InputError, NotFoundError } from "./errors.ts";

const WHAT: Record<RegisterKind, string> = { slt_actions: "SLT action log", good_practice: "good-practice register" };

export function keptRegister<K extends RegisterKind>(a: Authority, kind: K): Extract<RegisterConfig, { kind: K }> {
  const r = registerOf(a, kind);
  if (!r) throw new NotFoundError(`${a.name} keeps no ${WHAT[kind]}: its authority file declares no ${kind} register`);
  return r;
}

export function periodOf(text: string | undefined): Period | undefined {
  if (text === undefined) return undefined;
  try {
    return parsePeriod(text);
  } catch (e) {
    if (e instanceof PeriodError) throw new InputError("period", e.message);
    throw e;
  }
}

/** An entry is named by its id or its reference (NEW-ACT-2027-0003); which column to look in. */
export function idOrReference(text: string): { id: string } | { reference: string } | undefined {
  if (UUID.test(text)) return { id: text };
  const ref = text.trim().toUpperCase();
  return /^[A-Z0-9]{2,6}-[A-Z]{2,3}-\d{4}-\d{4,}$/.test(ref) ? { reference: ref } : undefined;
}

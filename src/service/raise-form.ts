// Raising a dispute from the pages: what the form offers the signed-in person,
// and the raise itself, through the API's own input schema and service. The
// person raises in their own name and role (the directory's iro or cp_chair,
// or for a WF §1.6 concern a team manager or social worker); the stages are
// those the procedure lets them start at, each refused one shown with the
// state machine's own reason before anything is sent.
import { loadDirectory } from "../db/queries/directory.ts";
import type { Viewer } from "../domain/access.ts";
import { applyEvent } from "../domain/dispute/state.ts";
import { type Authority, cite, type Procedure } from "../domain/procedure/model.ts";
import { INSTIGATOR_LABELS, type InstigatorRole } from "../domain/procedure/roles.ts";
import { authorityOf, type Services } from "./context.ts";
import { type AlongWith, raiseDispute } from "./disputes.ts";
import { InputError } from "./errors.ts";
import { raiseInput } from "./inputs.ts";

export interface RaiseChoice {
  procedure: Procedure;
  role: InstigatorRole;
  stages: {
    stage: number;
    name: string;
    allowed: boolean;
    reason?: string;
    setsTimescale: boolean;
    requires: { id: string; text: string }[];
  }[];
  categories: { id: string; label: string }[];
}

/** The procedures this person raises disputes under, with the stages they may start at. */
export function raiseChoices(a: Authority, v: Viewer, now: Date): RaiseChoice[] {
  const out: RaiseChoice[] = [];
  for (const p of Object.values(a.procedures)) {
    const role = p.raisedBy.find((r) => v.roles.has(r));
    if (!role) continue;
    const ctx = { authority: a, procedure: p };
    const stages = p.stages.map((s) => {
      const tried = applyEvent(
        ctx,
        undefined,
        {
          type: "raised",
          at: now,
          stage: s.stage,
          by: role,
          confirmed: s.requires.map((r) => r.id),
          timescaleWorkingDays: "setBy" in s.timescale ? 5 : undefined,
          concerning: p.concerning ? { name: "—", role: p.concerning.roles[0]! } : undefined,
        },
        0,
      );
      return {
        stage: s.stage,
        name: s.name,
        allowed: tried.ok,
        reason: tried.ok ? undefined : tried.error.message,
        setsTimescale: "setBy" in s.timescale,
        requires: s.requires.filter((r) => r.confirm).map((r) => ({ id: r.id, text: `${r.text} (${cite(a, r.source)})` })),
      };
    });
    const categories = a.categories.filter((c) => !c.procedures || c.procedures.includes(p.id)).map((c) => ({ id: c.id, label: c.label }));
    out.push({ procedure: p, role, stages, categories });
  }
  return out;
}

export interface RaiseForm {
  procedure?: string;
  childRef?: string;
  familyRef?: string;
  team?: string;
  stage?: string;
  categories?: string | string[];
  otherCategory?: string;
  summary?: string;
  timescale?: string;
  confirmed?: string | string[];
  concerningName?: string;
  concerningRole?: string;
  actions?: { action?: string; days?: string }[];
}

/** Raises the dispute the form describes, in the person's own name; an InputError names each field at fault. */
export async function raiseFromForm(svc: Services, v: Viewer, f: RaiseForm, along?: AlongWith) {
  const a = authorityOf(svc, v.authorityId);
  const choice = raiseChoices(a, v, svc.clock.now()).find((c) => c.procedure.id === f.procedure);
  if (!choice) throw new InputError("procedure", "Choose the procedure");
  const dir = await loadDirectory(svc.db, a.id);
  const list = (x: string | string[] | undefined) => [x ?? []].flat().filter((s) => s.trim() !== "");
  const text = (x: string | undefined) => (x?.trim() ? x.trim() : undefined);
  const whole = (x: string | undefined, field: string) => {
    if (!text(x)) return undefined;
    if (!/^\d{1,3}$/.test(x!.trim())) throw new InputError(field, "Enter a number of working days, for example 5");
    return Number(x);
  };
  // every field at fault at once, in the form's order
  const mine: { field: string; message: string }[] = [];
  const stage = text(f.stage);
  if (!dir.teams.has(f.team ?? "")) mine.push({ field: "team", message: "Choose the child's team" });
  if (stage === undefined) mine.push({ field: "stage", message: `Choose the ${choice.procedure.terms.stage} it starts at` });
  const body = {
    procedure: choice.procedure.id,
    childRef: text(f.childRef),
    familyRef: text(f.familyRef),
    raisedBy: { name: dir.people.get([...v.personIds][0]!)?.name ?? v.name, email: v.email, role: choice.role },
    concerning: choice.procedure.concerning
      ? { name: text(f.concerningName), role: text(f.concerningRole) ?? choice.procedure.concerning.roles[0] }
      : undefined,
    team: f.team,
    stage: stage === undefined ? 0 : Number(stage),
    categories: list(f.categories),
    otherCategory: text(f.otherCategory),
    summary: text(f.summary),
    timescaleWorkingDays: whole(f.timescale, "timescale"),
    confirmed: list(f.confirmed),
    requestedActions: (f.actions ?? [])
      .map((x, i) => ({ action: text(x.action), days: whole(x.days, `actions[${i}].days`) }))
      .filter((x) => x.action || x.days !== undefined)
      .map((x) => ({ action: x.action, timescaleWorkingDays: x.days })),
  };
  const r = raiseInput.safeParse(body);
  const issues = [
    ...(r.success
      ? []
      : r.error.issues.map((i) => ({ field: FIELD[String(i.path[0])] ?? String(i.path[0]), message: MESSAGE(i.path, i.message) }))),
    ...mine,
  ].sort((x, y) => ORDER.indexOf(x.field) - ORDER.indexOf(y.field));
  if (issues.length || !r.success) throw new InputError(issues[0]!.field, issues[0]!.message, issues.slice(1));
  return raiseDispute(svc, a.id, r.data, along);
}

/** The form's fields in the order they appear, for the error summary. */
const ORDER = [
  "procedure",
  "childRef",
  "familyRef",
  "team",
  "concerningName",
  "stage",
  "timescale",
  "confirmed",
  "categories",
  "otherCategory",
  "summary",
  "actions",
];

const FIELD: Record<string, string> = {
  childRef: "childRef",
  summary: "summary",
  categories: "categories",
  raisedBy: "procedure",
  concerning: "concerningName",
  requestedActions: "actions",
  timescaleWorkingDays: "timescale",
};

function MESSAGE(path: PropertyKey[], message: string): string {
  const top = String(path[0]);
  if (top === "childRef") return "Enter the child's case reference from the case-management system (never a name)";
  if (top === "summary") return "Enter the concern";
  if (top === "categories") return "Choose at least one category";
  if (top === "concerning") return "Enter the name of the person the concern is about";
  return message;
}

export const instigatorLabel = (r: InstigatorRole) => INSTIGATOR_LABELS[r];

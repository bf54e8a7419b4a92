// GET|POST /raise: raising a dispute, for an IRO or CP Chair (or, for a WF
// §1.6 concern, a team manager or social worker), with the procedure's own
// categories and the stages its start rule allows, each refused one with its
// reason shown beforehand. Errors in an error summary; the dispute's
// reference on a confirmation panel.
import type { FastifyInstance } from "fastify";
import { longDate } from "../domain/calendar/dates.ts";
import { twelveHour } from "../mail/wording/words.ts";
import { ConflictError, InputError } from "../service/errors.ts";
import { type RaiseForm, raiseChoices, raiseFromForm } from "../service/raise-form.ts";
import { newSecret } from "../service/sessions.ts";
import { formIdFor, submitOnce } from "./form-once.ts";
import type { Pages } from "./pages.ts";

const ROWS = [1, 2, 3];
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function raiseRoutes(app: FastifyInstance, pages: Pages): void {
  const model = (req: { viewer?: Parameters<typeof raiseChoices>[1] }, procedure: string | undefined, values: Record<string, unknown>) => {
    const v = req.viewer!;
    const a = pages.svc.authorities.get(v.authorityId)!;
    const choices = raiseChoices(a, v, pages.svc.clock.now());
    const chosen = choices.find((c) => c.procedure.id === procedure) ?? (choices.length === 1 ? choices[0] : undefined);
    const checked = (name: string, id: string) => [values[name] ?? []].flat().includes(id);
    const stageText = (s: { stage: number; name: string }) =>
      chosen && s.name.toLowerCase().startsWith(chosen.procedure.terms.stage)
        ? s.name
        : `${capital(chosen?.procedure.terms.stage ?? "stage")} ${s.stage}: ${s.name}`;
    return {
      title: chosen
        ? `Raise ${chosen.procedure.terms.dispute === "alert" ? "an alert" : `a ${chosen.procedure.terms.dispute}`}`
        : "Raise a dispute",
      choices: choices.map((c) => ({ value: c.procedure.id, text: c.procedure.name })),
      chosen: chosen && {
        procedure: chosen.procedure.id,
        name: chosen.procedure.name,
        stageWord: chosen.procedure.terms.stage,
        concerning: chosen.procedure.concerning ? chosen.procedure.concerning.roles : undefined,
        stages: chosen.stages
          .filter((s) => s.allowed)
          .map((s) => ({
            value: String(s.stage),
            text: stageText(s),
            checked: values.stage === String(s.stage),
            hint: s.setsTimescale ? { text: "You set its timescale, in working days (below)." } : undefined,
          })),
        // shown before anything is sent: where it cannot start, and the procedure's reason
        refused: chosen.stages.filter((s) => !s.allowed).map((s) => ({ text: stageText(s), reason: s.reason })),
        requires: chosen.stages
          .filter((s) => s.allowed)
          .flatMap((s) =>
            s.requires.map((r) => ({
              value: r.id,
              text: `${capital(chosen.procedure.terms.stage)} ${s.stage}: ${r.text}`,
              checked: checked("confirmed", r.id),
            })),
          ),
        categories: chosen.categories.map((c) => ({ value: c.id, text: c.label, checked: checked("categories", c.id) })),
      },
      rows: ROWS,
      values,
    };
  };
  const teamsOf = async (authorityId: string, selected: unknown) => {
    const { loadDirectory } = await import("../db/queries/directory.ts");
    const dir = await loadDirectory(pages.svc.db, authorityId);
    return [
      { value: "", text: "Choose the team" },
      ...[...dir.teams.values()]
        .sort((x, y) => x.name.localeCompare(y.name))
        .map((t) => ({ value: t.id, text: t.name, selected: t.id === selected })),
    ];
  };

  app.get<{ Querystring: { procedure?: string } }>("/raise", { schema: { hide: true } }, async (req, reply) => {
    const viewer = pages.signedIn(req, reply);
    if (!viewer) return reply;
    const m = model(req, typeof req.query.procedure === "string" ? req.query.procedure : undefined, {});
    return pages.show(req, reply, 200, "raise.njk", {
      ...m,
      formId: newSecret(),
      teams: await teamsOf(viewer.authorityId, undefined),
      errors: [],
      fieldErrors: {},
    });
  });

  app.post<{ Body: Record<string, unknown> }>("/raise", { schema: { hide: true }, preHandler: app.csrfProtection }, async (req, reply) => {
    const viewer = pages.signedIn(req, reply);
    if (!viewer) return reply;
    const b = req.body ?? {};
    const s = (k: string) => (typeof b[k] === "string" ? (b[k] as string) : undefined);
    const many = (k: string) => (Array.isArray(b[k]) ? (b[k] as unknown[]).filter((x): x is string => typeof x === "string") : s(k));
    const form: RaiseForm = {
      procedure: s("procedure"),
      childRef: s("childRef"),
      familyRef: s("familyRef"),
      team: s("team"),
      stage: s("stage"),
      categories: many("categories"),
      otherCategory: s("otherCategory"),
      summary: s("summary"),
      timescale: s("timescale"),
      confirmed: many("confirmed"),
      concerningName: s("concerningName"),
      concerningRole: s("concerningRole"),
      actions: ROWS.map((n) => ({ action: s(`action${n}`), days: s(`days${n}`) })),
    };
    // a form raises once: sent twice (a double click, a refresh), it answers with the dispute it raised
    const formId = s("formId") ?? "";
    try {
      const raised = await submitOnce<object>(pages, viewer, "raise", formId, "procedure", (keep) =>
        raiseFromForm(pages.svc, viewer, form, (tx, r) =>
          keep(tx, {
            reference: r.dispute.reference,
            warnings: r.warnings,
            respondBy:
              r.state.deadline.kind === "due"
                ? `${twelveHour(pages.svc.authorities.get(viewer.authorityId)!.closeOfBusiness)} on ${longDate(r.state.deadline.date)}`
                : undefined,
          }),
        ).then(() => undefined),
      );
      return pages.show(req, reply, 201, "raised.njk", { title: "Raised", ...raised });
    } catch (e) {
      if (!(e instanceof InputError) && !(e instanceof ConflictError)) throw e;
      // the state machine's refusal is about the stage; the form sent twice at once, about the form
      const issues = e instanceof InputError ? e.issues : [{ field: e.code === "concurrent_step" ? "" : "stage", message: e.message }];
      const fieldErrors = Object.fromEntries(issues.filter((i) => i.field).map((i) => [i.field.replace(/\[.*$/, ""), { text: i.message }]));
      const m = model(req, form.procedure, { ...b });
      return pages.show(req, reply, e instanceof InputError ? 400 : 409, "raise.njk", {
        ...m,
        formId: formIdFor(formId),
        teams: await teamsOf(viewer.authorityId, form.team),
        errors: issues.map((i) => ({ text: i.message, href: i.field ? `#${i.field.replace(/\[.*$/, "")}` : undefined })),
        fieldErrors,
      });
    }
  });
}

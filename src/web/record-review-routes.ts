// GET|POST /record-review: recording a statutory review or conference, for the
// IRO or CP Chair who chaired it, under a procedure that runs deadlines after
// a review. The page says beforehand which deadlines the record starts;
// errors in an error summary; the review's reference, and each deadline now
// running with its date, on a confirmation panel.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Viewer } from "../domain/access.ts";
import { ConflictError, InputError, type Issue } from "../service/errors.ts";
import { type Recorded, type ReviewForm, recordedOf, recordFromForm, reviewChoices } from "../service/review-form.ts";
import { formIdFor, submitOnce } from "./form-once.ts";
import type { Pages } from "./pages.ts";

/** The form's fields an error can be shown at. */
const FIELDS = new Set(["childRef", "familyRef", "team", "heldOn"]);

export function recordReviewRoutes(app: FastifyInstance, pages: Pages): void {
  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    v: Viewer,
    status: number,
    procedure: string | undefined,
    values: Record<string, unknown>,
    issues: Issue[],
    formId?: string,
  ) => {
    const a = pages.svc.authorities.get(v.authorityId)!;
    const choices = reviewChoices(a, v);
    const chosen = choices.find((c) => c.procedure.id === procedure) ?? (choices.length === 1 ? choices[0] : undefined);
    const { loadDirectory } = await import("../db/queries/directory.ts");
    const dir = await loadDirectory(pages.svc.db, a.id);
    const fieldErrors = Object.fromEntries(issues.filter((i) => i.field).map((i) => [i.field, { text: i.message }]));
    return pages.show(req, reply, status, "record-review.njk", {
      title: chosen ? `Record a ${chosen.noun}` : "Record a review",
      choices: choices.map((c) => ({ value: c.procedure.id, text: c.procedure.name })),
      chosen: chosen && { procedure: chosen.procedure.id, name: chosen.procedure.name, noun: chosen.noun, deadlines: chosen.deadlines },
      teams: [
        { value: "", text: "Choose the team" },
        ...[...dir.teams.values()]
          .sort((x, y) => x.name.localeCompare(y.name))
          .map((t) => ({ value: t.id, text: t.name, selected: t.id === values.team })),
      ],
      formId: formIdFor(typeof values.formId === "string" ? values.formId : formId),
      values,
      // a link to each field on the page; an error about the form itself links nowhere
      errors: issues.map((i) => ({
        text: i.message,
        href: FIELDS.has(i.field) ? `#${i.field === "heldOn" ? "heldOn-day" : i.field}` : undefined,
      })),
      fieldErrors,
      dateItems: ["day", "month", "year"].map((part) => ({
        name: part,
        classes: `govuk-input--width-${part === "year" ? 4 : 2}${fieldErrors.heldOn ? " govuk-input--error" : ""}`,
        value: values[`heldOn-${part}`],
      })),
    });
  };

  app.get<{ Querystring: { procedure?: string } }>("/record-review", { schema: { hide: true } }, async (req, reply) => {
    const viewer = pages.signedIn(req, reply);
    if (!viewer) return reply;
    return show(req, reply, viewer, 200, typeof req.query.procedure === "string" ? req.query.procedure : undefined, {}, []);
  });

  app.post<{ Body: Record<string, unknown> }>(
    "/record-review",
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (req, reply) => {
      const viewer = pages.signedIn(req, reply);
      if (!viewer) return reply;
      const b = req.body ?? {};
      const s = (k: string) => (typeof b[k] === "string" ? (b[k] as string) : undefined);
      const form: ReviewForm = {
        procedure: s("procedure"),
        childRef: s("childRef"),
        familyRef: s("familyRef"),
        team: s("team"),
        day: s("heldOn-day"),
        month: s("heldOn-month"),
        year: s("heldOn-year"),
      };
      try {
        // a form records once: sent twice, it answers with the review it recorded
        const recorded = await submitOnce<Recorded>(pages, viewer, "record-review", s("formId") ?? "", "procedure", (keep) =>
          recordFromForm(pages.svc, viewer, form, (tx, r) =>
            keep(tx, recordedOf(pages.svc.authorities.get(viewer.authorityId)!, r.review, r.state, pages.svc.clock.now())),
          ).then(() => undefined),
        );
        return pages.show(req, reply, 201, "review-recorded.njk", { title: "Review recorded", ...recorded });
      } catch (e) {
        if (!(e instanceof InputError) && !(e instanceof ConflictError)) throw e;
        const issues = e instanceof InputError ? e.issues : [{ field: "", message: e.message }];
        return show(req, reply, viewer, e instanceof InputError ? 400 : 409, form.procedure, { ...b }, issues);
      }
    },
  );
}

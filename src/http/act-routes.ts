// /act/<token>: the page a button in an email opens, in the GOV.UK Design
// System's style (govuk-frontend's own Nunjucks components and CSS, served
// here), working without JavaScript. GET only shows; the step is taken by the
// form's POST, which must carry the CSRF token of the page it came from (bound
// to a cookie that page set). Every problem is a plain page, never a 500.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import nunjucks from "nunjucks";
import { act, DONE, type FormInput, LinkProblem, openLink, pageModel } from "../links/act.ts";
import { csrfFor, csrfMatches, newNonce } from "../links/token.ts";
import { safeError } from "../safe-error.ts";
import type { Services } from "../service/context.ts";
import { ConflictError, InputError } from "../service/errors.ts";

const require = createRequire(import.meta.url);
const GOVUK = dirname(require.resolve("govuk-frontend/package.json"));
const PAGES = fileURLToPath(new URL("../../templates/pages", import.meta.url));
const COOKIE = "drp_act";

const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  // the pages need no script; the template's one-line class switch may be refused
  "content-security-policy":
    "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
};

export async function actRoutes(app: FastifyInstance, svc: Services, secretOf: () => Buffer): Promise<void> {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([PAGES, join(GOVUK, "dist")]), { autoescape: true });
  const secure = (process.env.PUBLIC_URL ?? "").startsWith("https:");
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 65_536 });
  // govuk-frontend's CSS, fonts and icons (its CSS asks for /assets/fonts/…)
  await app.register(fastifyStatic, {
    root: [join(GOVUK, "dist/govuk/assets"), join(GOVUK, "dist/govuk")],
    prefix: "/assets/",
    allowedPath: (path) => /^\/(govuk-frontend\.min\.css|fonts\/[\w.-]+\.woff2?|images\/[\w.-]+\.(svg|png|ico)|manifest\.json)$/.test(path),
    maxAge: 86_400_000,
    index: false,
    list: false,
  });

  const page = (reply: FastifyReply, status: number, name: string, model: object) =>
    reply.code(status).headers(HEADERS).send(env.render(name, model));
  const problem = (reply: FastifyReply, e: unknown) => {
    if (e instanceof LinkProblem) return page(reply, e.status, "problem.njk", { title: e.title, paragraphs: e.paragraphs });
    reply.log.error({ err: safeError(e) }, "a link's page failed");
    return page(reply, 500, "problem.njk", {
      title: "Sorry, there is a problem with this service",
      paragraphs: ["Nothing has been recorded. Try again later, or reply to the email you were sent."],
    });
  };

  app.get<{ Params: { token: string } }>("/act/:token", { schema: { hide: true } }, async (req, reply) => {
    try {
      const opened = await openLink(svc, secretOf(), req.params.token);
      const nonce = newNonce();
      reply.setCookie(COOKIE, nonce, { path: "/act/", httpOnly: true, sameSite: "strict", secure, maxAge: 3600 });
      return page(reply, 200, "action.njk", {
        ...pageModel(opened),
        formAction: `/act/${req.params.token}`,
        csrf: csrfFor(secretOf(), req.params.token, nonce),
        errors: [],
        fieldErrors: {},
        values: {},
      });
    } catch (e) {
      return problem(reply, e);
    }
  });

  app.post<{ Params: { token: string }; Body: FormInput & { csrf?: string } }>(
    "/act/:token",
    { schema: { hide: true } },
    async (req, reply) => {
      try {
        const opened = await openLink(svc, secretOf(), req.params.token);
        const body = (req.body ?? {}) as FormInput & { csrf?: string };
        if (!csrfMatches(secretOf(), req.params.token, req.cookies[COOKIE], body.csrf))
          throw new LinkProblem(403, "Open the link from your email again", [
            "This form was not sent from the page the link opened, or that page was open too long. Nothing has been recorded.",
          ]);
        try {
          const next = await act(svc, opened, req.params.token, body);
          reply.clearCookie(COOKIE, { path: "/act/" });
          return page(reply, 200, "done.njk", {
            title: DONE[opened.claims.act],
            reference: opened.row.reference,
            authorityName: opened.a.name,
            next,
          });
        } catch (e) {
          if (!(e instanceof InputError) && !(e instanceof ConflictError)) throw e;
          // the form again, saying what to correct (or what the procedure refuses)
          const issues = e instanceof InputError ? e.issues : [{ field: "", message: e.message }];
          const fieldErrors = Object.fromEntries(issues.filter((i) => i.field).map((i) => [i.field, { text: i.message }]));
          return page(reply, e instanceof InputError ? 400 : 409, "action.njk", {
            ...pageModel(opened),
            formAction: `/act/${req.params.token}`,
            csrf: body.csrf,
            errors: issues.map((i) => ({ text: i.message, href: i.field ? `#${i.field === "date" ? "date-day" : i.field}` : undefined })),
            fieldErrors,
            values: {
              note: body.note,
              timescale: body.timescale,
              day: body["date-day"],
              month: body["date-month"],
              year: body["date-year"],
            },
          });
        }
      } catch (e) {
        return problem(reply, e);
      }
    },
  );
}

// /act/<token>: the page a button in an email opens, in the GOV.UK Design
// System's style (govuk-frontend's own Nunjucks components and CSS, served
// here), working without JavaScript. GET only shows; the step is taken by the
// form's POST, which must carry the CSRF token of the page it came from
// (@fastify/csrf-protection: a secret in a cookie the page set, the token
// bound to the link). The form is checked as the API checks the same step.
// Every problem is a plain page, never a 500.
import fastifyCookie from "@fastify/cookie";
import fastifyCsrf from "@fastify/csrf-protection";
import fastifyFormbody from "@fastify/formbody";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { type ActConfig, act, DONE, LinkProblem, type Opened, openLink, pageModel, parseForm } from "../links/act.ts";
import { tokenHash } from "../links/token.ts";
import { safeError } from "../safe-error.ts";
import type { Services } from "../service/context.ts";
import { ConflictError, InputError } from "../service/errors.ts";
import { formAgain } from "./step-form.ts";
import { pageEnvironment, renderer } from "./views.ts";

const COOKIE = "drp_act";

declare module "fastify" {
  interface FastifyRequest {
    opened?: Opened;
  }
}

type ActRequest = FastifyRequest<{ Params: { token: string }; Body: unknown }>;

export async function actRoutes(app: FastifyInstance, svc: Services, cfg: ActConfig): Promise<void> {
  const render = renderer(pageEnvironment());
  // each page says, at its foot, that it came from a link in an email
  const page: typeof render = (reply, status, name, model) => render(reply, status, name, { fromEmail: true, ...model });
  const secure = (process.env.PUBLIC_URL ?? "").startsWith("https:");
  // the form is the only body these pages take: no JSON, no other types (415)
  app.removeAllContentTypeParsers();
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 65_536 });
  await app.register(fastifyCsrf, {
    cookieKey: COOKIE,
    // one secret per browser for an hour, whichever links it opens: a second link's page does not spoil the first's form
    cookieOpts: { path: "/act/", httpOnly: true, sameSite: "strict", secure, maxAge: 3600 },
    getToken: (req) => {
      const csrf = (req.body as { csrf?: unknown } | undefined)?.csrf;
      return typeof csrf === "string" ? csrf : undefined;
    },
    // a page's token works for its own link only
    getUserInfo: (req) => tokenHash((req.params as { token: string }).token),
    csrfOpts: { hmacKey: cfg.keys.csrf },
  });
  app.setErrorHandler((e: FastifyError, req, reply) => {
    if (e instanceof LinkProblem) return page(reply, e.status, "problem.njk", { title: e.title, paragraphs: e.paragraphs });
    if (e.code === "FST_CSRF_INVALID_TOKEN" || e.code === "FST_CSRF_MISSING_SECRET")
      return page(reply, 403, "problem.njk", {
        title: "Open the link from your email again",
        paragraphs: ["This form was not sent from the page the link opened, or that page was open too long. Nothing has been recorded."],
      });
    if (e.statusCode === 415 || e.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
      return page(reply, 415, "problem.njk", { title: "Send the form from the page", paragraphs: ["Nothing has been recorded."] });
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
      return page(reply, e.statusCode, "problem.njk", { title: "This request cannot be read", paragraphs: ["Nothing has been recorded."] });
    req.log.error({ err: safeError(e) }, "a link's page failed");
    return page(reply, 500, "problem.njk", {
      title: "Sorry, there is a problem with this service",
      paragraphs: ["Nothing has been recorded. Try again later, or reply to the email you were sent."],
    });
  });
  // the link first (a used or stale one says so, whatever the form carries), then the form's CSRF token
  const opened = async (req: ActRequest) => {
    req.opened = await openLink(svc, cfg, req.params.token);
  };

  app.get<{ Params: { token: string } }>("/act/:token", { schema: { hide: true }, preHandler: opened }, async (req, reply) => {
    return page(reply, 200, "action.njk", {
      ...pageModel(req.opened!),
      formAction: `/act/${req.params.token}`,
      csrf: reply.generateCsrf({ userInfo: tokenHash(req.params.token) }),
      errors: [],
      fieldErrors: {},
      values: {},
    });
  });

  app.post<{ Params: { token: string }; Body: unknown }>(
    "/act/:token",
    { schema: { hide: true }, preHandler: [opened, app.csrfProtection] },
    async (req, reply) => {
      const o = req.opened!;
      const raw = (req.body ?? {}) as Record<string, unknown>;
      try {
        const next = await act(svc, o, parseForm(raw));
        reply.clearCookie(COOKIE, { path: "/act/" });
        return page(reply, 200, "done.njk", { title: DONE[o.claims.act], reference: o.row.reference, authorityName: o.a.name, next });
      } catch (e) {
        if (!(e instanceof InputError) && !(e instanceof ConflictError)) throw e;
        // the form again, saying what to correct (or what the procedure refuses)
        const issues = e instanceof InputError ? e.issues : [{ field: "", message: e.message }];
        return page(reply, e instanceof InputError ? 400 : 409, "action.njk", {
          ...pageModel(o),
          formAction: `/act/${req.params.token}`,
          csrf: typeof raw.csrf === "string" ? raw.csrf : undefined,
          ...formAgain(issues, raw),
        });
      }
    },
  );
}

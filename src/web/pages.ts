// The signed-in pages: the tracker QA, IROs and managers use instead of the
// spreadsheet. Server-rendered on the GOV.UK Design System, working without
// JavaScript. Nobody sees anything before signing in; a session is a cookie
// (HttpOnly, SameSite=Lax, Secure off loopback) naming a row in PostgreSQL;
// every form carries a CSRF token bound to the session; the sign-in form is
// rate-limited per client, and per address in the service. The pages read and
// write only through the service layer.
import fastifyCookie from "@fastify/cookie";
import fastifyCsrf from "@fastify/csrf-protection";
import fastifyFormbody from "@fastify/formbody";
import fastifyRateLimit from "@fastify/rate-limit";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Configuration } from "openid-client";
import type { Viewer } from "../domain/access.ts";
import { pagesBaseUrl } from "../links/email-links.ts";
import type { LinkKeys } from "../links/token.ts";
import { safeError } from "../safe-error.ts";
import type { Services } from "../service/context.ts";
import { NotFoundError } from "../service/errors.ts";
import { hashOf, sessionViewer } from "../service/sessions.ts";
import { casePageRoutes } from "./case-routes.ts";
import { gapsRoutes } from "./gaps-routes.ts";
import { oidcClient, oidcSettings } from "./oidc.ts";
import { outstandingRoutes } from "./outstanding-routes.ts";
import { raiseRoutes } from "./raise-routes.ts";
import { recordReviewRoutes } from "./record-review-routes.ts";
import { reportingRoutes } from "./reporting-routes.ts";
import { signInRoutes } from "./sign-in-routes.ts";
import { stepRoutes } from "./step-routes.ts";
import { pageEnvironment, type Render, renderer } from "./views.ts";

export const SESSION_COOKIE = "drp_session";
const CSRF_COOKIE = "drp_csrf";

/** The pages' addresses (the API's stay as they are, behind an API key). */
export function isPagePath(path: string): boolean {
  return (
    path === "/" ||
    path === "/outstanding.csv" ||
    path === "/accessibility" ||
    path === "/sign-out" ||
    path === "/gaps" ||
    path === "/raise" ||
    path === "/record-review" ||
    path === "/reporting" ||
    path === "/reporting.csv" ||
    path === "/sign-in" ||
    path.startsWith("/sign-in/") ||
    path.startsWith("/cases/")
  );
}

declare module "fastify" {
  interface FastifyRequest {
    viewer?: Viewer;
  }
}

export interface Pages {
  svc: Services;
  keys: LinkKeys;
  /** renders a page with what every page shows: the authority, the person, the navigation and the form token */
  show(req: FastifyRequest, reply: FastifyReply, status: number, name: string, model: object): FastifyReply;
  /** for a page that needs someone signed in: the viewer, or a redirect to the sign-in page already sent */
  signedIn(req: FastifyRequest, reply: FastifyReply): Viewer | undefined;
  /** the cookies' Secure flag: on, unless the pages are reached on this machine over http */
  secure: boolean;
  /** the authority's identity provider, where OIDC_ISSUER names one */
  oidc?: () => Promise<Configuration>;
  /** OIDC_AUTHORITY: the authority the provider signs people in to */
  oidcAuthority?: string;
}

const NAV = [
  { href: "/", text: "Outstanding" },
  { href: "/raise", text: "Raise a dispute" },
  { href: "/record-review", text: "Record a review" },
  { href: "/gaps", text: "Directory gaps" },
  { href: "/reporting", text: "Reports" },
];

export async function pageRoutes(app: FastifyInstance, svc: Services, keys: LinkKeys): Promise<void> {
  const render: Render = renderer(pageEnvironment());
  const secure = (pagesBaseUrl() ?? "https:").startsWith("https:");
  app.removeAllContentTypeParsers();
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 65_536 });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyCsrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: "/", httpOnly: true, sameSite: "lax", secure },
    getToken: (req) => {
      const csrf = (req.body as { csrf?: unknown } | undefined)?.csrf;
      return typeof csrf === "string" ? csrf : undefined;
    },
    // a form's token is good for the session that showed it (or for the signed-out sign-in form)
    getUserInfo: (req) => sessionKey(req),
    csrfOpts: { hmacKey: keys.csrf },
  });
  const sessionKey = (req: FastifyRequest) => {
    const s = req.cookies[SESSION_COOKIE];
    return s ? hashOf(s) : "signed-out";
  };
  app.addHook("preHandler", async (req) => {
    req.viewer = await sessionViewer(svc, req.cookies[SESSION_COOKIE]);
  });

  const settings = oidcSettings();
  const pages: Pages = {
    svc,
    keys,
    secure,
    oidc: settings ? oidcClient(settings) : undefined,
    oidcAuthority: settings?.authority,
    show: (req, reply, status, name, model) =>
      render(reply, status, name, {
        viewer: req.viewer,
        authorityName: req.viewer ? svc.authorities.get(req.viewer.authorityId)?.name : undefined,
        // the reports are QA's
        nav: NAV.filter((n) => n.href !== "/reporting" || req.viewer?.qa).map((n) => ({ ...n, active: req.url.split("?")[0] === n.href })),
        csrf: reply.generateCsrf({ userInfo: sessionKey(req) }),
        ...model,
      }),
    signedIn: (req, reply) => {
      if (req.viewer) return req.viewer;
      void reply.redirect("/sign-in", 303);
      return undefined;
    },
  };

  app.setErrorHandler((e: FastifyError, req, reply) => {
    if (e instanceof NotFoundError) return pages.show(req, reply, 404, "problem.njk", { title: "Page not found", paragraphs: [e.message] });
    if (e.code === "FST_CSRF_INVALID_TOKEN" || e.code === "FST_CSRF_MISSING_SECRET")
      return pages.show(req, reply, 403, "problem.njk", {
        title: "Send the form again from its page",
        paragraphs: ["The form was not sent from this service's own page, or the page was open too long. Nothing has been recorded."],
      });
    if (e.statusCode === 429)
      return pages.show(req, reply, 429, "problem.njk", {
        title: "Too many requests",
        paragraphs: ["Wait a few minutes before asking again."],
      });
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
      return pages.show(req, reply, e.statusCode, "problem.njk", {
        title: "This request cannot be read",
        paragraphs: ["Nothing has been recorded."],
      });
    req.log.error({ err: safeError(e) }, "a page failed");
    return pages.show(req, reply, 500, "problem.njk", {
      title: "Sorry, there is a problem with the service",
      paragraphs: ["Nothing has been recorded. Try again later."],
    });
  });

  signInRoutes(app, pages);
  outstandingRoutes(app, pages);
  casePageRoutes(app, pages);
  gapsRoutes(app, pages);
  stepRoutes(app, pages);
  raiseRoutes(app, pages);
  recordReviewRoutes(app, pages);
  reportingRoutes(app, pages);
  app.get("/accessibility", { schema: { hide: true } }, async (req, reply) =>
    pages.show(req, reply, 200, "accessibility.njk", { title: "Accessibility statement" }),
  );
}

// GET|POST /sign-in, GET /sign-in/email/<token>, POST /sign-out. The form
// takes one email address and answers the same page whether or not the
// address is known: a link goes only to an address in an authority's
// directory, and works once, for 15 minutes, in the browser that asked (a
// cookie of its own, whose hash the link's row keeps).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { pagesBaseUrl } from "../links/email-links.ts";
import { safeMessage } from "../safe-error.ts";
import {
  authoritiesHolding,
  endSession,
  hashOf,
  newSecret,
  requestSignInLink,
  SIGN_IN_MINUTES,
  type SignInRefusal,
  signInWithLink,
  startSession,
} from "../service/sessions.ts";
import { finishOidc, seal, startOidc, unseal } from "./oidc.ts";
import { type Pages, SESSION_COOKIE } from "./pages.ts";

const BROWSER_COOKIE = "drp_sign_in";
const OIDC_COOKIE = "drp_oidc";
/** after the identity provider, for someone in several authorities' directories: the address and their authorities, sealed */
const CHOICE_COOKIE = "drp_oidc_choice";
const chosen = z.strictObject({ p: z.literal("choose 1"), e: z.string(), a: z.array(z.string()).min(2), exp: z.number() });
/** per client address, on the form's POST: enough for a mistyped address or two, not for flooding anyone */
const PER_CLIENT = { max: 10, timeWindow: "15 minutes" };

const address = z.email().max(320);

const REFUSED: Record<SignInRefusal, { title: string; paragraphs: string[] }> = {
  not_valid: { title: "This sign-in link is not valid", paragraphs: ["Ask for a new link on the sign-in page."] },
  expired: {
    title: "This sign-in link has expired",
    paragraphs: [`A link works for ${SIGN_IN_MINUTES} minutes. Ask for a new one on the sign-in page.`],
  },
  used: { title: "This sign-in link has already been used", paragraphs: ["A link works once. Ask for a new one on the sign-in page."] },
  other_browser: {
    title: "Open the link in the browser where you asked for it",
    paragraphs: [
      "A sign-in link works only in the browser that asked for it, so that nobody else can use it. Open it there, or ask for a new link in this browser.",
    ],
  },
  not_in_directory: {
    title: "You are not in the directory",
    paragraphs: ["Your address is not in the authority's directory, so there is nothing for you to see here. Ask your QA team."],
  },
};

export function signInRoutes(app: FastifyInstance, pages: Pages): void {
  /** The new session's cookie, in place of any this browser had: signing in again ends the old session. */
  const begin = async (req: FastifyRequest, reply: FastifyReply, session: string) => {
    await endSession(pages.svc, req.cookies[SESSION_COOKIE]);
    // a browser-session cookie: the server ends the session after SESSION_IDLE_MINUTES without a request
    void reply.setCookie(SESSION_COOKIE, session, { path: "/", httpOnly: true, sameSite: "lax", secure: pages.secure });
    return reply.redirect("/", 303);
  };
  const showChoice = (req: FastifyRequest, reply: FastifyReply, authorities: string[], errors: { text: string; href: string }[]) =>
    pages.show(req, reply, errors.length ? 400 : 200, "sign-in-choose.njk", {
      title: "Which authority?",
      errors,
      fieldError: errors[0] && { text: errors[0].text },
      items: authorities.map((id) => ({ value: id, text: pages.svc.authorities.get(id)?.name ?? id })),
    });
  const form = { title: "Sign in", minutes: SIGN_IN_MINUTES, errors: [], values: {}, oidc: Boolean(pages.oidc) };
  const callback = () => `${pagesBaseUrl() ?? ""}/sign-in/callback`;

  app.get("/sign-in", { schema: { hide: true } }, async (req, reply) => {
    if (req.viewer) return reply.redirect("/", 303);
    return pages.show(req, reply, 200, "sign-in.njk", form);
  });

  app.post<{ Body: { email?: unknown } }>(
    "/sign-in",
    { schema: { hide: true }, preHandler: app.csrfProtection, config: { rateLimit: PER_CLIENT } },
    async (req, reply) => {
      const email = typeof req.body?.email === "string" ? req.body.email.trim() : "";
      if (!address.safeParse(email).success) {
        const text = email ? "Enter an email address in the correct format, like name@example.org" : "Enter your work email address";
        return pages.show(req, reply, 400, "sign-in.njk", {
          ...form,
          errors: [{ text, href: "#email" }],
          fieldError: { text },
          values: { email },
        });
      }
      // this browser's own secret: the link works here only (kept if it has one: an earlier link still works)
      const had = req.cookies[BROWSER_COOKIE];
      const browser = had && /^[A-Za-z0-9_-]{40,64}$/.test(had) ? had : newSecret();
      void reply.setCookie(BROWSER_COOKIE, browser, {
        path: "/sign-in/",
        httpOnly: true,
        sameSite: "lax",
        secure: pages.secure,
        maxAge: SIGN_IN_MINUTES * 60,
      });
      await requestSignInLink(pages.svc, email, hashOf(browser));
      return pages.show(req, reply, 200, "sign-in-sent.njk", { title: "Check your email", email, minutes: SIGN_IN_MINUTES });
    },
  );

  app.get<{ Params: { token: string } }>("/sign-in/email/:token", { schema: { hide: true } }, async (req, reply) => {
    const browser = req.cookies[BROWSER_COOKIE];
    const r = await signInWithLink(pages.svc, pages.keys, req.params.token, browser ? hashOf(browser) : undefined);
    if (!r.ok)
      return pages.show(req, reply, r.reason === "not_in_directory" ? 403 : 400, "problem.njk", {
        ...REFUSED[r.reason],
        signInAgain: true,
      });
    void reply.clearCookie(BROWSER_COOKIE, { path: "/sign-in/" });
    return begin(req, reply, r.session);
  });

  // the authority's identity provider: there and back, then a session for the address it vouches for
  app.get("/sign-in/oidc", { schema: { hide: true } }, async (req, reply) => {
    if (!pages.oidc) return pages.show(req, reply, 404, "problem.njk", { title: "Page not found", paragraphs: [], signInAgain: true });
    const { url, cookie } = await startOidc(await pages.oidc(), pages.keys, callback(), pages.svc.clock.now());
    void reply.setCookie(OIDC_COOKIE, cookie, { path: "/sign-in/", httpOnly: true, sameSite: "lax", secure: pages.secure, maxAge: 600 });
    return reply.redirect(url, 303);
  });

  app.get("/sign-in/callback", { schema: { hide: true } }, async (req, reply) => {
    if (!pages.oidc) return pages.show(req, reply, 404, "problem.njk", { title: "Page not found", paragraphs: [], signInAgain: true });
    const cookie = req.cookies[OIDC_COOKIE];
    void reply.clearCookie(OIDC_COOKIE, { path: "/sign-in/" });
    let email: string | undefined;
    try {
      email = await finishOidc(await pages.oidc(), pages.keys, cookie, new URL(req.url, pagesBaseUrl()), pages.svc.clock.now());
    } catch (e) {
      req.log.warn({ err: safeMessage(e) }, "sign-in with the identity provider refused");
    }
    if (!email)
      return pages.show(req, reply, 400, "problem.njk", {
        title: "Sign-in did not finish",
        paragraphs: ["The identity provider's answer could not be checked, or the sign-in was started in another browser. Start again."],
        signInAgain: true,
      });
    // the provider's own authority where OIDC_AUTHORITY names it; else those whose directory holds the address
    const holding = await authoritiesHolding(pages.svc, email);
    const authorities = pages.oidcAuthority ? holding.filter((id) => id === pages.oidcAuthority) : holding;
    if (authorities.length > 1) {
      // in several directories: they choose, with the address the provider vouched for sealed in a cookie meanwhile
      const exp = Math.floor(pages.svc.clock.now().getTime() / 1000) + 600;
      void reply.setCookie(CHOICE_COOKIE, await seal(pages.keys, { p: "choose 1", e: email, a: authorities, exp }), {
        path: "/sign-in/",
        httpOnly: true,
        sameSite: "lax",
        secure: pages.secure,
        maxAge: 600,
      });
      return showChoice(req, reply, authorities, []);
    }
    const r = authorities.length ? await startSession(pages.svc, authorities[0]!, email, "oidc") : undefined;
    if (!r?.ok) return pages.show(req, reply, 403, "problem.njk", { ...REFUSED.not_in_directory, signInAgain: false });
    return begin(req, reply, r.session);
  });

  app.post<{ Body: { authority?: unknown } }>(
    "/sign-in/choose",
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (req, reply) => {
      const choice = await unseal(pages.keys, req.cookies[CHOICE_COOKIE], chosen, pages.svc.clock.now());
      if (!choice)
        return pages.show(req, reply, 400, "problem.njk", {
          title: "Sign-in did not finish",
          paragraphs: ["The choice was not made within 10 minutes, or in the browser that signed in. Start again."],
          signInAgain: true,
        });
      const authority = typeof req.body?.authority === "string" ? req.body.authority : "";
      if (!choice.a.includes(authority))
        return showChoice(req, reply, choice.a, [{ text: "Choose the authority to sign in to", href: "#authority" }]);
      void reply.clearCookie(CHOICE_COOKIE, { path: "/sign-in/" });
      const r = await startSession(pages.svc, authority, choice.e, "oidc");
      if (!r.ok) return pages.show(req, reply, 403, "problem.njk", { ...REFUSED.not_in_directory, signInAgain: false });
      return begin(req, reply, r.session);
    },
  );

  app.post("/sign-out", { schema: { hide: true }, preHandler: app.csrfProtection }, async (req, reply) => {
    await endSession(pages.svc, req.cookies[SESSION_COOKIE]);
    void reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return reply.redirect("/sign-in", 303);
  });
}

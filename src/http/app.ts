// The HTTP API: a thin adapter over the service layer. Requests are validated
// by zod schemas (which also make the OpenAPI document); errors map to 400
// (bad input, naming the field), 401, 404 (missing or another authority's),
// 409 (the state machine's reason) and never to 500 for bad input.

import fastifyHelmet from "@fastify/helmet";
import fastifySwagger from "@fastify/swagger";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { ActConfig } from "../links/act.ts";
import { linkDays } from "../links/email-links.ts";
import { linkKeys, linkSecret } from "../links/token.ts";
import { safeError } from "../safe-error.ts";
import type { Services } from "../service/context.ts";
import { arrivalMark } from "../service/disputes.ts";
import { AuthError } from "../service/errors.ts";
import { authenticate } from "../service/keys.ts";
import { actRoutes } from "../web/act-routes.ts";
import { isPagePath, pageRoutes } from "../web/pages.ts";
import { serveAssets } from "../web/views.ts";
import { directoryRoutes } from "./directory-routes.ts";
import { disputeRoutes } from "./dispute-routes.ts";
import { errorAnswer } from "./errors.ts";
import { goodPracticeRoutes } from "./good-practice-routes.ts";
import { reportRoutes } from "./report-routes.ts";
import { reviewRoutes } from "./review-routes.ts";
import { sltActionRoutes } from "./slt-action-routes.ts";

/** A browser's GET with no API key: it is shown pages, not JSON. */
const wantsPage = (req: FastifyRequest) =>
  req.method === "GET" && !req.headers.authorization && /\btext\/html\b/.test(req.headers.accept ?? "");

declare module "fastify" {
  interface FastifyRequest {
    authorityId: string;
    /** what this process had recorded when the request arrived (service/disputes.ts arrivalMark) */
    arrived: number;
  }
}

// Metrics are not here: they have a port of their own, on loopback (metrics-server.ts).
const PUBLIC = new Set(["/healthz", "/readyz", "/openapi.json"]);

export interface AppOptions {
  /** checked by /readyz */
  ping?: () => Promise<void>;
  bodyLimit?: number;
  /** a request (headers and body) must arrive within this long: a slow body is cut off (408) */
  requestTimeoutMs?: number;
  /** a client behind a proxy is seen as the proxy says (X-Forwarded-For): only when a proxy is there */
  trustProxy?: boolean;
  /** the secret links in emails are sealed with (default: DRP_LINK_SECRET, or kept under ./data); read at start-up */
  linkSecret?: Buffer;
}

/** TRUST_PROXY: "true" behind one proxy you control; off by default, so X-Forwarded-For is not believed. */
export function trustProxyFromEnv(): boolean {
  return process.env.TRUST_PROXY === "true";
}

export async function buildApp(svc: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  // a secret too short, or settings out of range, stop the app here, not at the first click
  const act: ActConfig = { keys: linkKeys(opts.linkSecret ?? linkSecret()), days: linkDays() };
  // pino's Logger and fastify's base logger type differ only in optional members
  const requestTimeout = opts.requestTimeoutMs ?? Number(process.env.HTTP_REQUEST_TIMEOUT_MS ?? 30_000);
  const app = Fastify({
    loggerInstance: svc.log as FastifyBaseLogger,
    // we log method, route and status ourselves: no query strings, no bodies
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit ?? 1_048_576,
    // a signed link's token is a path parameter of some 300 characters
    routerOptions: { maxParamLength: 1_000 },
    trustProxy: opts.trustProxy ?? trustProxyFromEnv(),
    // a body sent slowly (or never) holds a connection: the whole request has this long (408).
    // Node enforces it only when the server is created with it, checking every second here.
    requestTimeout,
    connectionTimeout: 120_000,
    http: { requestTimeout, connectionsCheckingInterval: 1_000 },
  });
  // the security headers on every answer (nosniff on the API, the pages and their static files alike);
  // the pages need no script, no frames and no third party
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    // HSTS belongs to the TLS proxy in front
    strictTransportSecurity: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest("authorityId", "");
  app.decorateRequest("arrived", 0);

  // An empty JSON body is an empty object: POST /disputes/:id/resolve needs nothing more.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = String(body).trim();
    if (!text) return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error("the request body is not valid JSON"), { statusCode: 400 }), undefined);
    }
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: "drp-monitor",
        version: "1",
        description:
          "Disputes under the IRO / CP Chair Dispute Resolution Process. With PUBLIC_URL set, emails carry signed links (GET /act/<token>, no API key: the link is the credential) to a page where the person the email was sent to takes the step it asks for (record a response or a meeting; escalate, extend, resolve or refer). A link is bound to its authority, dispute, addressee, step and the dispute's version; it expires after DRP_LINK_DAYS (14) days or as soon as the dispute moves on, and works once. GET only shows the page; the step needs the page's form POSTed with its CSRF token and cookie.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "a per-authority API key" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.addHook("onRequest", async (req) => {
    // first, before anything waits: a step is refused if its dispute moved on after this instant
    req.arrived = arrivalMark();
    const path = req.url.split("?")[0]!;
    // a signed link's page, and its styles, need no key: the link is the credential
    // the pages sign people in themselves (web/pages.ts)
    if (PUBLIC.has(path) || path.startsWith("/act/") || path.startsWith("/assets/") || isPagePath(path)) return;
    // an address no route answers, asked for by a browser: the not-found page, which shows nothing of anyone's
    if (!req.routeOptions.url && wantsPage(req)) return;
    const header = req.headers.authorization ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const authority = m ? await authenticate(svc, m[1]!) : undefined;
    if (!authority) throw new AuthError(m ? "unknown or revoked API key" : "send an API key as Authorization: Bearer <key>");
    req.authorityId = authority;
  });

  app.addHook("onResponse", async (req, reply) => {
    req.log.info(
      {
        method: req.method,
        route: req.routeOptions.url ?? "(no route)",
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        authority: req.authorityId || undefined,
      },
      "request",
    );
  });

  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const known = errorAnswer(err);
    if (known)
      return reply
        .code(known.status)
        .headers(known.headers ?? {})
        .send(known.body);
    // never the query's parameters, nor a message that may quote them: ids, codes and a redacted stack
    req.log.error({ err: safeError(err) }, "unhandled error");
    return reply.code(500).send({ error: "internal", message: "something went wrong; it has been logged" });
  });

  // a browser that asks for an address nothing answers gets a page; a client of the API, JSON
  let notFoundPage: Promise<(reply: FastifyReply) => FastifyReply> | undefined;
  app.setNotFoundHandler(async (req, reply) => {
    if (!wantsPage(req)) return reply.code(404).send({ error: "not_found", message: "no such endpoint" });
    notFoundPage ??= import("../web/views.ts").then(({ pageEnvironment, renderer }) => {
      const render = renderer(pageEnvironment());
      return (r: FastifyReply) =>
        render(r, 404, "problem.njk", {
          title: "Page not found",
          paragraphs: ["If you typed the address, check it is correct. If you pasted it, check you copied all of it."],
          nav: [],
        });
    });
    return (await notFoundPage)(reply);
  });

  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (_req, reply) => {
    try {
      // a database that is away may not even refuse quickly: not ready is said within two seconds
      await Promise.race([
        opts.ping?.(),
        new Promise((_, fail) => setTimeout(() => fail(new Error("the database did not answer in time")), 2_000).unref()),
      ]);
      return { status: "ready" };
    } catch {
      return reply.code(503).header("retry-after", "5").send({ status: "unavailable", message: "the database is not answering" });
    }
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  await serveAssets(app);
  await app.register(async (scope) => actRoutes(scope, svc, act));
  await app.register(async (scope) => pageRoutes(scope, svc, act.keys));
  await app.register(async (scope) => {
    disputeRoutes(scope, svc);
    directoryRoutes(scope, svc);
    reportRoutes(scope, svc);
    reviewRoutes(scope, svc);
    sltActionRoutes(scope, svc);
    goodPracticeRoutes(scope, svc);
  });
  return app;
}

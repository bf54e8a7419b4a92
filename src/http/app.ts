// The HTTP API: a thin adapter over the service layer. Requests are validated
// by zod schemas (which also make the OpenAPI document); errors map to 400
// (bad input, naming the field), 401, 404 (missing or another authority's),
// 409 (the state machine's reason) and never to 500 for bad input.
import fastifySwagger from "@fastify/swagger";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { Metrics } from "../metrics.ts";
import type { Services } from "../service/context.ts";
import { DirectoryError } from "../service/directory.ts";
import { AuthError, ConflictError, InputError, NotFoundError } from "../service/errors.ts";
import { authenticate } from "../service/keys.ts";
import { directoryRoutes } from "./directory-routes.ts";
import { disputeRoutes } from "./dispute-routes.ts";

declare module "fastify" {
  interface FastifyRequest {
    authorityId: string;
  }
}

// Metrics carry counts only (no ids, no names), for a scraper on the internal network.
const PUBLIC = new Set(["/healthz", "/readyz", "/openapi.json", "/metrics"]);

export interface AppOptions {
  /** checked by /readyz */
  ping?: () => Promise<void>;
  metrics?: Metrics;
  bodyLimit?: number;
}

export async function buildApp(svc: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  // pino's Logger and fastify's base logger type differ only in optional members
  const app = Fastify({
    loggerInstance: svc.log as FastifyBaseLogger,
    // we log method, route and status ourselves: no query strings, no bodies
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit ?? 1_048_576,
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest("authorityId", "");

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
      info: { title: "drp-monitor", version: "1", description: "Disputes under the IRO / CP Chair Dispute Resolution Process" },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "a per-authority API key" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.addHook("onRequest", async (req) => {
    if (PUBLIC.has(req.url.split("?")[0]!)) return;
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
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? "body";
      const issues = err.validation.map((v) => ({ field: fieldOf(where, v.instancePath), message: v.message ?? "invalid" }));
      return reply.code(400).send({ error: "bad_request", message: issues.map((i) => `${i.field}: ${i.message}`).join("; "), issues });
    }
    if (err instanceof DirectoryError) return reply.code(400).send({ error: "bad_request", message: err.message, issues: err.issues });
    if (err instanceof InputError) {
      return reply.code(400).send({ error: "bad_request", message: err.message, issues: [{ field: err.field, message: err.message }] });
    }
    if (err instanceof AuthError) return reply.code(401).send({ error: "unauthorized", message: err.message });
    if (err instanceof NotFoundError) return reply.code(404).send({ error: "not_found", message: err.message });
    if (err instanceof ConflictError) return reply.code(409).send({ error: err.code, message: err.message });
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ error: err.code ?? "bad_request", message: err.message });
    req.log.error({ err: { type: err.name, code: err.code, stack: err.stack } }, "unhandled error");
    return reply.code(500).send({ error: "internal", message: "something went wrong; it has been logged" });
  });

  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: "not_found", message: "no such endpoint" }));

  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (_req, reply) => {
    try {
      await opts.ping?.();
      return { status: "ready" };
    } catch {
      return reply.code(503).send({ status: "unavailable", message: "the database is not answering" });
    }
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  const metrics = opts.metrics;
  if (metrics) {
    metrics.watch(svc.db, svc.clock);
    app.get("/metrics", { schema: { hide: true } }, async (_req, reply) =>
      reply.header("content-type", metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  }

  await app.register(async (scope) => {
    disputeRoutes(scope, svc);
    directoryRoutes(scope, svc);
  });
  return app;
}

function fieldOf(where: string, instancePath: string): string {
  const path = instancePath.replace(/^\//, "").split("/").filter(Boolean);
  const field = path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
  if (where === "body") return field || "(body)";
  return field ? `${where}.${field}` : where;
}

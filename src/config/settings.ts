// The settings, checked once at start-up: a setting that is set but cannot be
// what it says (a port that is not a port, "two weeks" for DRP_LINK_DAYS, a
// URL that is not one) stops the app with one line naming it, rather than
// letting it start and fail later (every link "not valid", every email held).
// Unset settings take the defaults documented in the README.
import { z } from "zod";

const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .refine((v) => Number(v) >= min && Number(v) <= max, `must be from ${min} to ${max}`);
const url = (...protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL (${protocols.join(" or ")})`,
  );
const bool = z.enum(["true", "false"], "must be true or false");
const ms = whole(1, 7 * 86_400_000);

const SETTINGS = {
  PORT: whole(0, 65_535),
  METRICS_PORT: z.union([z.literal("off"), whole(0, 65_535)], "must be a port number or off"),
  DATABASE_URL: url("postgres:", "postgresql:"),
  REDIS_URL: url("redis:", "rediss:", "redis+sentinel:", "redis+cluster:"),
  SMTP_URL: url("smtp:", "smtps:"),
  PUBLIC_URL: url("http:", "https:"),
  DRP_NOW: z.iso.datetime({ offset: true, message: "must be an ISO 8601 instant, e.g. 2026-11-24T10:00:00Z" }),
  DRP_NOW_FROM: whole(0, 8_640_000_000_000_000),
  DRP_LINK_DAYS: whole(1, 90),
  DRP_SEND_LEASE_MS: ms,
  DRP_SEND_ATTEMPTS: whole(1, 100),
  DRP_RETRY_BASE_MS: ms,
  DRP_BATCH: whole(1, 10_000),
  DRP_WORKER_CONCURRENCY: whole(1, 10_000),
  DRP_WORKER_PROCESSES: whole(1, 64),
  DRP_RECONCILE_PAGE: whole(1, 100_000),
  DRP_STALLED_MS: ms,
  DRP_LOCK_MS: ms,
  DRP_RECONCILE_MS: ms,
  DRP_REVIEWS_MS: ms,
  DRP_REPORTS_MS: ms,
  DRP_SIGN_IN_MS: ms,
  DRP_METRICS_REFRESH_MS: ms,
  DRP_DIRECTORY_TTL_MS: whole(0, 86_400_000),
  SMTP_CONNECTIONS: whole(1, 100),
  HTTP_REQUEST_TIMEOUT_MS: whole(1_000, 600_000),
  DATABASE_CONNECT_TIMEOUT_S: whole(1, 600),
  LOG_LEVEL: z.enum(
    ["fatal", "error", "warn", "info", "debug", "trace", "silent"],
    "must be fatal, error, warn, info, debug, trace or silent",
  ),
  TRUST_PROXY: bool,
  DRP_MIGRATE: bool,
  DRP_WORKER: bool,
  SESSION_IDLE_MINUTES: whole(1, 24 * 60),
  OIDC_ISSUER: url("https:", "http:"),
} as const;

/** Settings that may carry a password: never repeated back. */
const SECRET = new Set(["DATABASE_URL", "REDIS_URL", "SMTP_URL"]);

/** Every setting that is set and wrong, in one line; nothing if all are fine. */
export function settingsProblems(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const bad: string[] = [];
  for (const [name, schema] of Object.entries(SETTINGS)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    const r = (schema as z.ZodType).safeParse(value);
    if (r.success) continue;
    const shown = SECRET.has(name) ? "" : ` (it is "${value.length > 60 ? `${value.slice(0, 60)}…` : value}")`;
    bad.push(`${name} ${r.error.issues[0]?.message ?? "is not valid"}${shown}`);
  }
  // only DRP_NOW's companion: alone it would be ignored, silently
  if (env.DRP_NOW_FROM && !env.DRP_NOW) bad.push("DRP_NOW_FROM means nothing without DRP_NOW");
  return bad.length ? `settings: ${bad.join("; ")}` : undefined;
}

/** Throws the one line if any setting is wrong. */
export function checkSettings(env: NodeJS.ProcessEnv = process.env): void {
  const problems = settingsProblems(env);
  if (problems) throw new Error(problems);
}

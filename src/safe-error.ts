// What may be said of an error in a log line, on stderr or in the outbox. A
// failed query carries its parameters (a case reference, a name, an email,
// a summary) in its properties and in its message ("Failed query: …
// params: …"); PostgreSQL's own detail can quote a value too ("Key (x)=(…)").
// So a database error is reported by its SQLSTATE code and constraint only.

interface DbErrorLike {
  name?: string;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  query?: unknown;
  params?: unknown;
  parameters?: unknown;
  constraint_name?: unknown;
  constraint?: unknown;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

function isDatabaseError(e: DbErrorLike): boolean {
  if (e.name === "DrizzleQueryError" || e.name === "PostgresError") return true;
  if ("query" in e || "params" in e || "parameters" in e) return true;
  return typeof e.code === "string" && SQLSTATE.test(e.code) && "severity" in e;
}

/** The database's own error behind a wrapper, if any. */
function rootOf(e: DbErrorLike): DbErrorLike {
  const cause = e.cause as DbErrorLike | undefined;
  return cause && typeof cause === "object" ? cause : e;
}

export interface SafeError {
  type: string;
  code?: string;
  constraint?: string;
  message: string;
  stack?: string;
}

export function safeError(e: unknown): SafeError {
  if (!e || typeof e !== "object") return { type: typeof e, message: "an error that is not an Error" };
  const err = e as DbErrorLike & { stack?: string };
  if (isDatabaseError(err) || isDatabaseError(rootOf(err))) {
    const root = rootOf(err);
    const code = typeof root.code === "string" ? root.code : undefined;
    const constraint =
      typeof root.constraint_name === "string" ? root.constraint_name : typeof root.constraint === "string" ? root.constraint : undefined;
    return {
      type: "DatabaseError",
      code,
      constraint,
      message: `a database query failed${code ? ` (SQLSTATE ${code}${constraint ? `, ${constraint}` : ""})` : ""}`,
    };
  }
  return {
    type: err.name ?? "Error",
    code: typeof err.code === "string" ? err.code : undefined,
    message: String(err.message ?? ""),
    stack: err.stack,
  };
}

/** One line for a log, stderr, or an outbox row's reason. */
export function safeMessage(e: unknown): string {
  return safeError(e).message.slice(0, 500);
}

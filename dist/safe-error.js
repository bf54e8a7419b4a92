// What may be said of an error in a log line, on stderr or in the outbox. A
// failed query carries its parameters (a case reference, a name, an email,
// a summary) in its properties and in its message ("Failed query: …
// params: …"); PostgreSQL's own detail can quote a value too ("Key (x)=(…)").
// So a database error is reported by its SQLSTATE code and constraint only.
const SQLSTATE = /^[0-9A-Z]{5}$/;
function isDatabaseError(e) {
    if (e.name === "DrizzleQueryError" || e.name === "PostgresError")
        return true;
    if ("query" in e || "params" in e || "parameters" in e)
        return true;
    return typeof e.code === "string" && SQLSTATE.test(e.code) && "severity" in e;
}
/** The database's own error behind a wrapper, if any. */
function rootOf(e) {
    const cause = e.cause;
    return cause && typeof cause === "object" ? cause : e;
}
export function safeError(e) {
    if (!e || typeof e !== "object")
        return { type: typeof e, message: "an error that is not an Error" };
    const err = e;
    if (isDatabaseError(err) || isDatabaseError(rootOf(err))) {
        const root = rootOf(err);
        const code = typeof root.code === "string" ? root.code : undefined;
        const constraint = typeof root.constraint_name === "string" ? root.constraint_name : typeof root.constraint === "string" ? root.constraint : undefined;
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
export function safeMessage(e) {
    return safeError(e).message.slice(0, 500);
}
//# sourceMappingURL=safe-error.js.map
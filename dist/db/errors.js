// Telling "the database is away" (stopped, restarting, failing over, out of
// connections) from "this statement is wrong": the first is waited out, the
// second is a bug or bad input and is not.
/** postgres.js's own codes for a connection it lost or could not make, and the socket errors beneath them. */
const CONNECTION_CODES = new Set([
    "CONNECTION_CLOSED",
    "CONNECTION_ENDED",
    "CONNECTION_DESTROYED",
    "CONNECT_TIMEOUT",
    "ECONNREFUSED",
    "ECONNRESET",
    "EPIPE",
    "ETIMEDOUT",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EHOSTUNREACH",
    "ENETUNREACH",
]);
/**
 * SQLSTATE classes and codes that mean the server cannot serve now: 08 (connection
 * exception), 57P01–57P03 (shutting down, crash recovery, cannot connect now),
 * 53300 (too many connections).
 */
const AWAY_STATES = /^(08...|57P0[123]|53300)$/;
export function isDatabaseAway(e) {
    for (let cur = e, depth = 0; cur && depth < 5; depth++) {
        if (typeof cur !== "object")
            return false;
        const code = typeof cur.code === "string" ? cur.code : undefined;
        if (code && (CONNECTION_CODES.has(code) || AWAY_STATES.test(code)))
            return true;
        cur = cur.cause;
    }
    return false;
}
//# sourceMappingURL=errors.js.map
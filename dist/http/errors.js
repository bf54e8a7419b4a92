import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { isDatabaseAway } from "../db/errors.js";
import { CalendarRangeError } from "../domain/calendar/bank-holidays.js";
import { InvalidDateError } from "../domain/calendar/dates.js";
import { AuthError, ConflictError, InputError, NotFoundError } from "../service/errors.js";
/** The answer to a known error; undefined for one that is a 500. */
export function errorAnswer(err) {
    const e = err;
    if (hasZodFastifySchemaValidationErrors(e)) {
        const where = e.validationContext ?? "body";
        const issues = e.validation.map((v) => ({ field: fieldOf(where, v.instancePath), message: v.message ?? "invalid" }));
        return { status: 400, body: { error: "bad_request", message: issues.map((i) => `${i.field}: ${i.message}`).join("; "), issues } };
    }
    if (err instanceof InputError)
        return { status: 400, body: { error: "bad_request", message: err.message, issues: err.issues } };
    // a date the working-day calendar cannot answer for (before 2000, after 2050)
    if (err instanceof CalendarRangeError || err instanceof InvalidDateError) {
        return { status: 400, body: { error: "bad_request", message: err.message, issues: [{ field: "date", message: err.message }] } };
    }
    if (err instanceof AuthError)
        return { status: 401, body: { error: "unauthorized", message: err.message } };
    if (err instanceof NotFoundError)
        return { status: 404, body: { error: "not_found", message: err.message } };
    if (err instanceof ConflictError)
        return {
            status: 409,
            body: { error: err.code, message: err.message, ...("losses" in err ? { losses: err.losses } : {}) },
        };
    // the database stopped, restarting or failing over: nothing was recorded; try again shortly
    if (isDatabaseAway(err))
        return {
            status: 503,
            body: { error: "unavailable", message: "the database is not answering; nothing was recorded. Try again shortly." },
            headers: { "retry-after": "5" },
        };
    const status = e?.statusCode ?? 500;
    if (status >= 400 && status < 500)
        return { status, body: { error: e.code ?? "bad_request", message: e.message } };
    return undefined;
}
function fieldOf(where, instancePath) {
    const path = instancePath.replace(/^\//, "").split("/").filter(Boolean);
    const field = path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
    if (where === "body")
        return field || "(body)";
    return field ? `${where}.${field}` : where;
}
//# sourceMappingURL=errors.js.map
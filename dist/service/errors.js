/** Bad input, naming each field at fault: 400. */
export class InputError extends Error {
    field;
    name = "InputError";
    issues;
    constructor(field, message, more = []) {
        super([{ field, message }, ...more].map((i) => `${i.field}: ${i.message}`).join("; "));
        this.field = field;
        this.issues = [{ field, message }, ...more];
    }
    /** Every problem at once, rather than the first. */
    static all(issues) {
        return new InputError(issues[0].field, issues[0].message, issues.slice(1));
    }
}
/** Not there, or not this authority's: 404 either way, so ids leak nothing. */
export class NotFoundError extends Error {
    name = "NotFoundError";
}
/** The step cannot be taken now: 409 with the reason. */
export class ConflictError extends Error {
    code;
    name = "ConflictError";
    constructor(code, message) {
        super(message);
        this.code = code;
    }
    static from(e) {
        return new ConflictError(e.code, e.message);
    }
}
export class AuthError extends Error {
    name = "AuthError";
}
//# sourceMappingURL=errors.js.map
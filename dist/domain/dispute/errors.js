// Why a step on a dispute is refused. The API answers these with 409 and the
// message, so the message must say what the procedure allows instead.
export class TransitionError extends Error {
    code;
    name = "TransitionError";
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}
//# sourceMappingURL=errors.js.map
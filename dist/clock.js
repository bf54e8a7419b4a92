export function systemClock(start = process.env.DRP_NOW) {
    if (!start)
        return { now: () => new Date() };
    const at = Date.parse(start);
    if (Number.isNaN(at))
        throw new Error(`DRP_NOW "${start}" is not an ISO 8601 instant`);
    const offset = at - Date.now();
    return { now: () => new Date(Date.now() + offset) };
}
/** A clock that stands still until moved: for tests. */
export function fixedClock(start) {
    let t = new Date(start).getTime();
    return {
        now: () => new Date(t),
        set: (to) => void (t = new Date(to).getTime()),
        advance: (ms) => void (t += ms),
    };
}
//# sourceMappingURL=clock.js.map
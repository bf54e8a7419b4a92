/** The kinds that say one thing between them, each family the one kept first. */
export const FOLD_FAMILIES = [
    ["stage_raised", "overdue", "due_today", "reminder"],
    ["escalation_prompt", "overall_breach", "overall_warning"],
];
export const FOLD_ORDER = FOLD_FAMILIES.flat();
const family = (k) => FOLD_FAMILIES.findIndex((f) => f.includes(k));
const rank = (k) => FOLD_ORDER.indexOf(k);
/** Which of `items` go, and which are folded into which. */
export function foldDue(items) {
    const best = new Map();
    const group = (x) => `${x.dispute}|${x.person.toLowerCase()}|${family(x.kind)}`;
    for (const x of items) {
        if (rank(x.kind) < 0)
            continue;
        const b = best.get(group(x));
        if (!b || rank(x.kind) < rank(b.kind))
            best.set(group(x), x);
    }
    const send = [];
    const folded = [];
    for (const x of items) {
        const b = rank(x.kind) < 0 ? undefined : best.get(group(x));
        if (!b || b === x)
            send.push(x);
        else
            folded.push({ item: x, into: b });
    }
    return { send, folded };
}
//# sourceMappingURL=fold.js.map
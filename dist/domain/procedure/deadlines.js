// When things are due. Every date the system works to is computed here, from
// a stage's timescale in the authority file and the counting rules of the
// working-day calendar; each answer carries the rule in words and the source
// paragraph it comes from.
import { longDate } from "../calendar/dates.js";
import { instantAt } from "../calendar/local-time.js";
import { INSTIGATOR_LABELS } from "./roles.js";
export function closeOfBusiness(a, date) {
    return instantAt(date, a.closeOfBusiness, a.timeZone);
}
export function openingTime(a, date) {
    return instantAt(date, a.openingTime, a.timeZone);
}
function due(a, date, rule, source) {
    return { kind: "due", date, at: closeOfBusiness(a, date), rule, source };
}
/** N days of `unit` after `from`, by the two counting rules. */
export function addDaysOf(a, from, n, unit) {
    return unit === "working_days" ? a.calendar.addWorkingDays(from, n) : a.calendar.addCalendarDays(from, n);
}
export function describeDays(n, unit) {
    const word = unit === "working_days" ? "working day" : "calendar day";
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}
/** The last day of the overall limit: N working days after the first formal stage began. */
export function overallDeadline(a, limit, formalStart) {
    const { workingDays, source } = limit;
    return due(a, a.calendar.addWorkingDays(formalStart, workingDays), `${workingDays} working days after the formal process began on ${longDate(formalStart)}`, source);
}
/**
 * When the response to a stage is due, the stage having been entered on
 * `enteredOn`. This is the rule for "when is stage N due".
 */
export function stageDeadline(a, p, stage, enteredOn, timing = {}) {
    const t = stage.timescale;
    const since = `after ${p.terms.stage} ${stage.stage} began on ${longDate(enteredOn)}`;
    const agreed = timing.timescaleWorkingDays;
    if ("days" in t) {
        if (agreed !== undefined && stage.timescaleMayBeAgreed) {
            return due(a, a.calendar.addWorkingDays(enteredOn, agreed), `${describeDays(agreed, "working_days")} ${since}, as agreed with the recipient`, stage.source);
        }
        const unit = t.unit ?? p.timescaleUnit;
        const rule = unit === "calendar_days"
            ? `${describeDays(t.days, unit)} ${since}, moved to the next working day if it is not one`
            : `${describeDays(t.days, unit)} ${since}`;
        return due(a, addDaysOf(a, enteredOn, t.days, unit), rule, stage.source);
    }
    if ("setBy" in t) {
        const who = INSTIGATOR_LABELS[p.raisedBy[0]];
        if (agreed === undefined)
            return { kind: "set_by_instigator", rule: `timescale set by the ${who}`, source: stage.source };
        return due(a, a.calendar.addWorkingDays(enteredOn, agreed), `${describeDays(agreed, "working_days")} ${since}, as set by the ${who}`, stage.source);
    }
    if ("until" in t) {
        const o = timing.overallDeadline;
        if (!o)
            return { kind: "none", rule: "until the overall limit, which has not started", source: stage.source };
        return { ...o, rule: `when the overall limit runs out (${o.rule})`, source: stage.source };
    }
    return { kind: "none", rule: t.none, source: stage.source };
}
/** Newham's form: the instigator records the outcome within 2 days of a response. */
export function decisionDeadline(a, p, respondedOn) {
    const d = p.decisionAfterResponse;
    if (!d)
        return undefined;
    const unit = d.unit ?? p.timescaleUnit;
    return due(a, addDaysOf(a, respondedOn, d.days, unit), `${describeDays(d.days, unit)} after the response on ${longDate(respondedOn)}`, d.source);
}
/** An agreed extension: the new date, moved to the next working day if it is not one. */
export function extendedDeadline(a, until, stage) {
    const date = a.calendar.onOrNextWorkingDay(until);
    const moved = date === until ? "" : ` (moved from ${longDate(until)}, not a working day)`;
    return due(a, date, `extended to ${longDate(date)} by agreement${moved}`, stage.source);
}
/** The date of "N working days before" a due date, for reminders and warnings. */
export function workingDaysBefore(a, date, n) {
    return a.calendar.subtractWorkingDays(date, n);
}
//# sourceMappingURL=deadlines.js.map
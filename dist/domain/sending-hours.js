// Emails go out in working hours on working days: a notification that falls
// due at 03:00, or on a Sunday or a bank holiday, waits for the next opening.
import { localDate, localTime } from "./calendar/local-time.js";
import { openingTime } from "./procedure/deadlines.js";
export function inSendingHours(a, at) {
    const date = localDate(at, a.timeZone);
    if (!a.calendar.isWorkingDay(date))
        return false;
    const t = localTime(at, a.timeZone);
    return t >= a.openingTime && t <= a.closeOfBusiness;
}
/** `at` itself if it is within sending hours, otherwise the next opening time. */
export function nextSendingTime(a, at) {
    if (inSendingHours(a, at))
        return at;
    const date = localDate(at, a.timeZone);
    if (a.calendar.isWorkingDay(date) && localTime(at, a.timeZone) < a.openingTime)
        return openingTime(a, date);
    return openingTime(a, a.calendar.addWorkingDays(date, 1));
}
/**
 * A notice due at close of business (an overdue notice, a prompt) that a busy
 * or restarted worker reaches a little after it may still go that evening,
 * rather than wait for the next working morning: for this long after it fell
 * due, if it fell due within sending hours.
 */
export const LATE_GRACE_MS = 60 * 60_000;
export function maySendNow(a, dueAt, now) {
    if (inSendingHours(a, now))
        return true;
    const late = now.getTime() - dueAt.getTime();
    return late >= 0 && late <= LATE_GRACE_MS && inSendingHours(a, dueAt);
}
//# sourceMappingURL=sending-hours.js.map
// Emails go out in working hours on working days: a notification that falls
// due at 03:00, or on a Sunday or a bank holiday, waits for the next opening.
import { localDate, localTime } from "./calendar/local-time.ts";
import { openingTime } from "./procedure/deadlines.ts";
import type { Authority } from "./procedure/model.ts";

export function inSendingHours(a: Authority, at: Date): boolean {
  const date = localDate(at, a.timeZone);
  if (!a.calendar.isWorkingDay(date)) return false;
  const t = localTime(at, a.timeZone);
  return t >= a.openingTime && t <= a.closeOfBusiness;
}

/** `at` itself if it is within sending hours, otherwise the next opening time. */
export function nextSendingTime(a: Authority, at: Date): Date {
  if (inSendingHours(a, at)) return at;
  const date = localDate(at, a.timeZone);
  if (a.calendar.isWorkingDay(date) && localTime(at, a.timeZone) < a.openingTime) return openingTime(a, date);
  return openingTime(a, a.calendar.addWorkingDays(date, 1));
}

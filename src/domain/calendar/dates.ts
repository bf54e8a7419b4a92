// Plain calendar dates ("2026-12-24") and their day numbers (days since
// 1970-01-01). Day numbers make working-day arithmetic integer arithmetic;
// time zones only matter when an instant becomes a date, which is time.ts's job.

export type IsoDate = string & { readonly __isoDate: unique symbol };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export class InvalidDateError extends Error {
  override name = "InvalidDateError";
}

/** A date outside the years whose bank holidays are known (bank-holidays.ts). */
export class CalendarRangeError extends Error {
  override name = "CalendarRangeError";
}

/** Parses "YYYY-MM-DD", rejecting impossible dates such as 2026-02-30. */
export function parseIsoDate(text: string, what = "date"): IsoDate {
  const m = ISO_DATE.exec(text);
  if (!m) throw new InvalidDateError(`${what} "${text}" is not a date in the form YYYY-MM-DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const back = new Date(utc(y, mo - 1, d));
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new InvalidDateError(`${what} "${text}" is not a real calendar date`);
  }
  return text as IsoDate;
}

export function isIsoDate(text: string): text is IsoDate {
  try {
    parseIsoDate(text);
    return true;
  } catch {
    return false;
  }
}

/** Date.UTC, without its reading of years 0–99 as 1900–1999. */
function utc(y: number, month: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, month, d);
  return t.getTime();
}

export function dayNumber(date: IsoDate): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Math.floor(utc(y, m - 1, d) / MS_PER_DAY);
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10) as IsoDate;
}

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

export function firstDayOfYear(year: number): number {
  return Math.floor(utc(year, 0, 1) / MS_PER_DAY);
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday (4). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const w = weekday(day);
  return w === 0 || w === 6;
}

export function addDays(date: IsoDate, n: number): IsoDate {
  return fromDayNumber(dayNumber(date) + n);
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
export const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const longDates = new Map<string, string>();

/** "Thursday 24 December 2026", the GOV.UK date style (kept: the planner words many rules a second). */
export function longDate(date: IsoDate): string {
  let words = longDates.get(date);
  if (words === undefined) {
    const month = MONTHS[Number(date.slice(5, 7)) - 1];
    words = `${WEEKDAYS[weekday(dayNumber(date))]} ${Number(date.slice(8, 10))} ${month} ${date.slice(0, 4)}`;
    if (longDates.size > 20_000) longDates.clear();
    longDates.set(date, words);
  }
  return words;
}

/** "4 Jan 2027": for tables, where a weekday and a full month do not fit. */
export function shortDate(date: IsoDate): string {
  return `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]!.slice(0, 3)} ${date.slice(0, 4)}`;
}

/** The last day of the working week a date falls in: the Friday on or after it (a Saturday's or Sunday's is the next Friday). */
export function endOfWeek(date: IsoDate): IsoDate {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  return addDays(date, (5 - weekday + 7) % 7);
}

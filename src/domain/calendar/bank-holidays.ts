// England & Wales bank holidays, from date-holidays (GB / ENG). Only the
// "public" and "bank" types count: date-holidays also lists observances such
// as Mother's Day, which are not days off. Substitute days are included.
// date-holidays (every country's rules and calendars) is loaded the first time
// a year is asked for; the app is handed the build's table of the same years
// instead (knownBankHolidays), and never loads it.
import { createRequire } from "node:module";
import type Holidays from "date-holidays";
import { CalendarRangeError, dayNumber, firstDayOfYear, type IsoDate, isWeekend, parseIsoDate } from "./dates.ts";

/**
 * Years whose bank holidays we are prepared to answer for. Outside them a
 * calendar question is refused, not guessed. Past the years gov.uk has
 * announced (about two ahead) the dates are date-holidays' projection of the
 * standing rules; one-off days (a jubilee, a state funeral) arrive with a
 * date-holidays release, so keep the package current.
 */
export const HOLIDAY_DATA_YEARS = { first: 2000, last: 2050 } as const;

// kept beside InvalidDateError, so that a caller can catch it without loading date-holidays
export { CalendarRangeError } from "./dates.ts";

export interface BankHoliday {
  date: IsoDate;
  name: string;
}

const DAYS_OFF = new Set(["public", "bank"]);
let engWales: Holidays | undefined;
const byYear = new Map<number, readonly BankHoliday[]>();

export function assertYearCovered(year: number, what = "date"): void {
  if (year < HOLIDAY_DATA_YEARS.first || year > HOLIDAY_DATA_YEARS.last) {
    throw new CalendarRangeError(
      `${what} falls in ${year}, outside the years the bank-holiday data covers ` +
        `(${HOLIDAY_DATA_YEARS.first}–${HOLIDAY_DATA_YEARS.last})`,
    );
  }
}

/**
 * England & Wales bank holidays of one year that fall on a weekday (a holiday
 * on a Saturday or Sunday gives its substitute day, which is listed instead),
 * sorted by date. Computed once per year per process.
 */
export function bankHolidays(year: number): readonly BankHoliday[] {
  assertYearCovered(year);
  const cached = byYear.get(year);
  if (cached) return cached;
  engWales ??= new (createRequire(import.meta.url)("date-holidays") as typeof Holidays)("GB", "ENG");
  const list = engWales
    .getHolidays(year)
    .filter((h) => DAYS_OFF.has(h.type))
    .map((h) => ({ date: parseIsoDate(h.date.slice(0, 10)), name: h.name }))
    .filter((h) => !isWeekend(dayNumber(h.date)))
    .sort((a, b) => a.date.localeCompare(b.date));
  byYear.set(year, list);
  return list;
}

/** Every covered year's bank holidays, as date-holidays gives them: the build keeps this table. */
export function bankHolidayTable(): Record<number, readonly BankHoliday[]> {
  const table: Record<number, readonly BankHoliday[]> = {};
  for (let y = HOLIDAY_DATA_YEARS.first; y <= HOLIDAY_DATA_YEARS.last; y++) table[y] = bankHolidays(y);
  return table;
}

/** Takes a table bankHolidayTable made (from the same date-holidays), so that those years need no date-holidays. */
export function knownBankHolidays(table: Record<number, readonly BankHoliday[]>): void {
  for (const [y, list] of Object.entries(table)) {
    const year = Number(y);
    assertYearCovered(year);
    byYear.set(
      year,
      list.map((h) => ({ date: parseIsoDate(h.date), name: h.name })),
    );
  }
}

export function daysInYear(year: number): number {
  return firstDayOfYear(year + 1) - firstDayOfYear(year);
}

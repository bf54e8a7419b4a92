// England & Wales bank holidays for every covered year, as the build computed
// them with date-holidays (dist/bank-holidays.json): the app reads this table
// at start rather than loading date-holidays' rules for every country. Used
// only if it came from the date-holidays installed now.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type BankHoliday, bankHolidayTable, knownBankHolidays } from "../domain/calendar/bank-holidays.ts";
import { appPath } from "../paths.ts";

export const BUILT_BANK_HOLIDAYS = appPath("dist", "bank-holidays.json");

interface Built {
  dateHolidays: string;
  table: Record<number, readonly BankHoliday[]>;
}

function dateHolidaysVersion(): string {
  return (createRequire(import.meta.url)("date-holidays/package.json") as { version: string }).version;
}

export function writeBuiltBankHolidays(): void {
  writeFileSync(BUILT_BANK_HOLIDAYS, JSON.stringify({ dateHolidays: dateHolidaysVersion(), table: bankHolidayTable() } satisfies Built));
  chmodSync(BUILT_BANK_HOLIDAYS, 0o644);
}

/** Hands the build's table to the calendar; false (and nothing changed) if there is none, or it is stale. */
export function useBuiltBankHolidays(): boolean {
  if (!existsSync(BUILT_BANK_HOLIDAYS)) return false;
  try {
    const built = JSON.parse(readFileSync(BUILT_BANK_HOLIDAYS, "utf8")) as Built;
    if (built.dateHolidays !== dateHolidaysVersion()) return false;
    knownBankHolidays(built.table);
    return true;
  } catch {
    return false;
  }
}

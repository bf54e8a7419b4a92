// The naive way to add working days: step a day at a time with luxon and ask
// date-holidays about each day. Slow but plainly right: the tests' oracle and
// the benchmark's baseline.
import Holidays from "date-holidays";
import { DateTime } from "luxon";
import type { IsoDate } from "../../src/domain/calendar/dates.ts";

const hd = new Holidays("GB", "ENG");

export function naiveAddWorkingDays(from: IsoDate, n: number, closures: ReadonlySet<string> = new Set()): IsoDate {
  let t = DateTime.fromISO(from, { zone: "Europe/London" });
  let left = n;
  while (left > 0) {
    t = t.plus({ days: 1 });
    const off =
      t.weekday > 5 ||
      closures.has(t.toISODate()!) ||
      (hd.isHoliday(t.toJSDate()) || []).some((h) => h.type === "public" || h.type === "bank");
    if (!off) left--;
  }
  return t.toISODate() as IsoDate;
}

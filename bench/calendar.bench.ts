// Working-day additions per second: our per-year precomputed calendar versus
// stepping a day at a time with luxon and asking date-holidays about each day.
import Holidays from "date-holidays";
import { DateTime } from "luxon";
import { dayNumber, fromDayNumber, type IsoDate, parseIsoDate } from "../src/domain/calendar/dates.ts";
import { WorkingDayCalendar } from "../src/domain/calendar/working-days.ts";
import { type Benchmark, opsPerSecond, result } from "./harness.ts";

const hd = new Holidays("GB", "ENG");

function naiveAddWorkingDays(from: IsoDate, n: number): string {
  let t = DateTime.fromISO(from, { zone: "Europe/London" });
  let left = n;
  while (left > 0) {
    t = t.plus({ days: 1 });
    const holiday = (hd.isHoliday(t.toJSDate()) || []).some((h) => h.type === "public" || h.type === "bank");
    if (t.weekday <= 5 && !holiday) left--;
  }
  return t.toISODate()!;
}

// 1,024 start dates spread over 2026–2028, the same for both ways.
const start = dayNumber(parseIsoDate("2026-01-01"));
const dates = Array.from({ length: 1024 }, (_, i) => fromDayNumber(start + ((i * 7919) % 1096)));

export const calendarBenchmark: Benchmark = {
  name: "calendar",
  run() {
    const cal = new WorkingDayCalendar();
    const out = [];
    for (const n of [10, 250]) {
      let sink = "";
      const ours = opsPerSecond((i) => (sink = cal.addWorkingDays(dates[i & 1023]!, n)), 500);
      const naive = opsPerSecond((i) => (sink = naiveAddWorkingDays(dates[i & 1023]!, n)), 500, 3);
      if (!sink) throw new Error("unreachable");
      out.push(result(`calendar.add_working_days.+${n}`, "ops/s", ours, naive));
    }
    return out;
  },
};

// Working-day additions per second: our per-year precomputed calendar versus
// stepping a day at a time with luxon and asking date-holidays about each day.
import { dayNumber, fromDayNumber, parseIsoDate } from "../src/domain/calendar/dates.ts";
import { WorkingDayCalendar } from "../src/domain/calendar/working-days.ts";
import { naiveAddWorkingDays } from "../test/support/naive-calendar.ts";
import { type Benchmark, opsPerSecond, result } from "./harness.ts";

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

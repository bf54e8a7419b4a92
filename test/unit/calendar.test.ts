import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bankHolidays,
  bankHolidayTable,
  CalendarRangeError,
  HOLIDAY_DATA_YEARS,
  knownBankHolidays,
} from "../../src/domain/calendar/bank-holidays.ts";
import { addDays, parseIsoDate as d, dayNumber, endOfWeek, fromDayNumber, type IsoDate } from "../../src/domain/calendar/dates.ts";
import { instantAt, localDate } from "../../src/domain/calendar/local-time.ts";
import { WorkingDayCalendar } from "../../src/domain/calendar/working-days.ts";
import { naiveAddWorkingDays } from "../support/naive-calendar.ts";

const cal = new WorkingDayCalendar();

describe("England & Wales bank holidays", () => {
  it("are the eight published days of 2026, with Boxing Day's substitute on Monday 28 December", () => {
    expect(cal.nonWorkingDays(2026).map((h) => h.date)).toEqual([
      "2026-01-01",
      "2026-04-03",
      "2026-04-06",
      "2026-05-04",
      "2026-05-25",
      "2026-08-31",
      "2026-12-25",
      "2026-12-28",
    ]);
  });

  it("give 2027 two substitute days, 27 and 28 December, for a weekend Christmas", () => {
    const days = cal.nonWorkingDays(2027);
    expect(days.map((h) => h.date)).toEqual([
      "2027-01-01",
      "2027-03-26",
      "2027-03-29",
      "2027-05-03",
      "2027-05-31",
      "2027-08-30",
      "2027-12-27",
      "2027-12-28",
    ]);
    expect(days.filter((h) => h.name.includes("substitute"))).toHaveLength(2);
  });

  it("leave out observances such as Mother's Day and holidays that fall on a weekend", () => {
    const names = cal.nonWorkingDays(2023).map((h) => h.name);
    expect(names.some((n) => /mother|father/i.test(n))).toBe(false);
    // 1 January 2023 was a Sunday; the substitute Monday is listed instead.
    expect(cal.nonWorkingDays(2023).map((h) => h.date)).toContain("2023-01-02");
    expect(cal.nonWorkingDays(2023).map((h) => h.date)).not.toContain("2023-01-01");
  });

  it("include one-off days such as the 2023 coronation", () => {
    expect(cal.isWorkingDay(d("2023-05-08"))).toBe(false);
  });

  it("are the same read from the build's table as from date-holidays, for every covered year", () => {
    const live = bankHolidayTable();
    expect(Object.keys(live)).toHaveLength(HOLIDAY_DATA_YEARS.last - HOLIDAY_DATA_YEARS.first + 1);
    // what the build writes (dist/bank-holidays.json) and the app reads back
    const kept = JSON.parse(JSON.stringify(live)) as typeof live;
    knownBankHolidays(kept);
    for (let y = HOLIDAY_DATA_YEARS.first; y <= HOLIDAY_DATA_YEARS.last; y++) expect(bankHolidays(y), String(y)).toEqual(live[y]);
    expect(bankHolidays(2026).map((h) => h.date)).toContain("2026-12-28");
    // a table may not widen the years the calendar answers for
    expect(() => knownBankHolidays({ 2051: [] })).toThrow(CalendarRangeError);
  });
});

describe("N working days after D", () => {
  it("is the N-th working day strictly after D, D being day 0", () => {
    expect(cal.addWorkingDays(d("2026-11-02"), 1)).toBe("2026-11-03");
    expect(cal.addWorkingDays(d("2026-11-06"), 1)).toBe("2026-11-09"); // Friday → Monday
    expect(cal.addWorkingDays(d("2026-11-02"), 0)).toBe("2026-11-02");
  });

  it("counts from a weekend day as day 0", () => {
    expect(cal.addWorkingDays(d("2026-11-07"), 1)).toBe("2026-11-09"); // Saturday → Monday
    expect(cal.addWorkingDays(d("2026-11-08"), 5)).toBe("2026-11-13"); // Sunday + 5 → Friday
  });

  it("steps over Christmas and New Year 2026–27", () => {
    expect(cal.addWorkingDays(d("2026-12-23"), 1)).toBe("2026-12-24");
    expect(cal.addWorkingDays(d("2026-12-23"), 2)).toBe("2026-12-29"); // 25th Friday, 28th substitute
    expect(cal.addWorkingDays(d("2026-12-24"), 4)).toBe("2027-01-04"); // 29, 30, 31, (1 Jan) 4
  });

  it("steps over both 2027 substitute days", () => {
    expect(cal.addWorkingDays(d("2027-12-24"), 1)).toBe("2027-12-29");
  });

  it("steps over Easter 2026 and 2027", () => {
    expect(cal.addWorkingDays(d("2026-04-02"), 1)).toBe("2026-04-07");
    expect(cal.addWorkingDays(d("2027-03-25"), 1)).toBe("2027-03-30");
  });

  it("skips an authority's closure days as well", () => {
    const closed = new WorkingDayCalendar([{ date: d("2026-12-24"), name: "Christmas Eve closure" }]);
    expect(closed.addWorkingDays(d("2026-12-23"), 1)).toBe("2026-12-29");
    expect(closed.nonWorkingDays(2026).find((x) => x.date === "2026-12-24")).toMatchObject({ kind: "closure" });
  });

  it("refuses dates outside the years the holiday data covers rather than guessing", () => {
    const after = `${HOLIDAY_DATA_YEARS.last + 1}-01-05` as IsoDate;
    expect(() => cal.addWorkingDays(after, 1)).toThrow(CalendarRangeError);
    expect(() => cal.addWorkingDays(d(`${HOLIDAY_DATA_YEARS.last}-12-20`), 30)).toThrow(/outside the years/);
    expect(() => cal.nonWorkingDays(HOLIDAY_DATA_YEARS.first - 1)).toThrow(CalendarRangeError);
    // years 0–99 are years 0–99, not 1900–1999 (Date.UTC's reading)
    expect(() => cal.addWorkingDays(d("0001-01-01"), 1)).toThrow(/falls in 1,/);
    expect(() => cal.addWorkingDays(d("0099-06-01"), 1)).toThrow(/falls in 99,/);
  });
});

describe("N calendar days after D", () => {
  it("is D + N, moved forward to the next working day", () => {
    expect(cal.addCalendarDays(d("2026-11-02"), 5)).toBe("2026-11-09"); // Saturday 7th → Monday 9th
    expect(cal.addCalendarDays(d("2026-11-03"), 2)).toBe("2026-11-05");
    expect(cal.addCalendarDays(d("2026-12-22"), 5)).toBe("2026-12-29"); // Sunday 27th; 28th is a substitute day
  });
});

describe("working days between and before", () => {
  it("counts the working days in (from, to]", () => {
    expect(cal.workingDaysBetween(d("2026-12-14"), d("2027-01-14"))).toBe(20);
    expect(cal.workingDaysBetween(d("2026-11-02"), d("2026-11-02"))).toBe(0);
    expect(cal.workingDaysBetween(d("2026-11-09"), d("2026-11-02"))).toBe(-5);
  });
  it("finds the N-th working day before a date", () => {
    expect(cal.subtractWorkingDays(d("2027-01-04"), 2)).toBe("2026-12-30");
    expect(cal.subtractWorkingDays(d("2026-11-16"), 2)).toBe("2026-11-12");
  });
});

describe("local time across the clock changes (Europe/London)", () => {
  const zone = "Europe/London";
  it("puts close of business at 17:00 GMT in winter and 16:00 UTC in summer", () => {
    expect(instantAt(d("2026-03-27"), "17:00", zone).toISOString()).toBe("2026-03-27T17:00:00.000Z"); // before 29 March
    expect(instantAt(d("2026-03-30"), "17:00", zone).toISOString()).toBe("2026-03-30T16:00:00.000Z"); // after
    expect(instantAt(d("2026-10-23"), "17:00", zone).toISOString()).toBe("2026-10-23T16:00:00.000Z"); // before 25 October
    expect(instantAt(d("2026-10-26"), "17:00", zone).toISOString()).toBe("2026-10-26T17:00:00.000Z"); // after
  });
  it("places a late-evening UTC instant on the next local date in summer only", () => {
    expect(localDate(new Date("2026-06-01T23:30:00Z"), zone)).toBe("2026-06-02");
    expect(localDate(new Date("2026-12-01T23:30:00Z"), zone)).toBe("2026-12-01");
    expect(localDate(new Date("2026-03-28T23:30:00Z"), zone)).toBe("2026-03-28"); // still GMT
    expect(localDate(new Date("2026-10-24T23:30:00Z"), zone)).toBe("2026-10-25"); // still BST
  });
});

// The naive approach the calendar replaces is the oracle (test/support/naive-calendar.ts).
const anyDate = fc.integer({ min: dayNumber(d("2001-01-01")), max: dayNumber(d("2046-12-31")) }).map((n) => fromDayNumber(n));

describe("calendar properties", () => {
  it("adding N then M working days equals adding N + M", () => {
    fc.assert(
      fc.property(anyDate, fc.nat(300), fc.nat(300), (from, n, m) => {
        const step = cal.addWorkingDays(from, n);
        // D itself counts as day 0 even if it is not a working day, so the
        // identity holds from a working day, and from any day once n ≥ 1.
        fc.pre(n > 0 || cal.isWorkingDay(from) || m === 0);
        expect(cal.addWorkingDays(step, m)).toBe(cal.addWorkingDays(from, n + m));
      }),
    );
  });

  it("always lands on a working day after D, exactly N working days away", () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 400 }), (from, n) => {
        const to = cal.addWorkingDays(from, n);
        expect(cal.isWorkingDay(to)).toBe(true);
        expect(to > from).toBe(true);
        expect(cal.workingDaysBetween(from, to)).toBe(n);
      }),
    );
  });

  it("subtracting undoes adding from a working day", () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 400 }), (from, n) => {
        const start = cal.onOrNextWorkingDay(from);
        expect(cal.subtractWorkingDays(cal.addWorkingDays(start, n), n)).toBe(start);
      }),
    );
  });

  it("calendar days land on the first working day on or after D + N", () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 60 }), (from, n) => {
        const to = cal.addCalendarDays(from, n);
        expect(cal.isWorkingDay(to)).toBe(true);
        expect(dayNumber(to)).toBeGreaterThanOrEqual(dayNumber(from) + n);
        expect(cal.workingDaysBetween(fromDayNumber(dayNumber(from) + n - 1), to)).toBe(1);
      }),
    );
  });

  it("counts New Year's Day 2027 as no working day", () => {
    expect(cal.isWorkingDay(d("2027-01-01"))).toBe(false);
    expect(cal.isWorkingDay(d("2026-12-31"))).toBe(true);
    expect(cal.addWorkingDays(d("2026-12-31"), 1)).toBe("2027-01-04");
  });

  it("agrees with the naive approach when an authority declares closure days", () => {
    // closure days among the days the count passes over, where they matter
    const offsets = fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 6 });
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 0, max: 25 }), offsets, (from, n, days) => {
        const closed = days.map((k) => addDays(from, k));
        const withClosures = new WorkingDayCalendar(closed.map((date) => ({ date })));
        expect(withClosures.addWorkingDays(from, n)).toBe(naiveAddWorkingDays(from, n, new Set(closed)));
        for (const c of closed) expect(withClosures.isWorkingDay(c)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it("agrees with the naive day-by-day approach", () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 0, max: 30 }), (from, n) => {
        expect(cal.addWorkingDays(from, n)).toBe(naiveAddWorkingDays(from, n));
      }),
      { numRuns: 80 }, // the oracle asks date-holidays about every day, which is slow
    );
  });
});

describe("the end of a working week", () => {
  it("is the Friday on or after any date, within the next seven days", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), (n) => {
        const date = addDays("2000-01-01" as IsoDate, n);
        const friday = endOfWeek(date);
        const gap = dayNumber(friday) - dayNumber(date);
        return new Date(`${friday}T12:00:00Z`).getUTCDay() === 5 && gap >= 0 && gap < 7;
      }),
    );
    expect(endOfWeek("2026-12-05" as IsoDate)).toBe("2026-12-11"); // a Saturday's is the next week's
  });
});

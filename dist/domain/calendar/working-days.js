// The working-day calendar of one authority, and the two counting rules every
// deadline in this project uses:
//
// - "N working days after D" is the N-th working day strictly after D. D is
//   day 0 whether or not it is itself a working day.
// - "N calendar days after D" is D + N, moved forward to the next working day
//   when it lands on a non-working day.
//
// A working day is Monday to Friday, not an England & Wales bank holiday and
// not one of the authority's closure days. Each year is laid out once (an
// array of its working days and, per day, how many working days precede it),
// so an addition is an index lookup rather than a walk through the days.
import { assertYearCovered, bankHolidays, CalendarRangeError, daysInYear } from "./bank-holidays.js";
import { dayNumber, firstDayOfYear, fromDayNumber, isWeekend, yearOf } from "./dates.js";
export { CalendarRangeError };
export class WorkingDayCalendar {
    years = new Map();
    closures;
    constructor(closures = []) {
        this.closures = new Map(closures.map((c) => [dayNumber(c.date), c.name ?? "Authority closure day"]));
    }
    isWorkingDay(date) {
        const day = dayNumber(date);
        const y = this.layout(yearOf(day), date);
        const i = day - y.start;
        return y.atOrBefore[i] !== (i === 0 ? 0 : y.atOrBefore[i - 1]);
    }
    /** The N-th working day strictly after `from` (N ≥ 0; N = 0 gives `from`). */
    addWorkingDays(from, n) {
        if (!Number.isInteger(n) || n < 0)
            throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
        if (n === 0)
            return from;
        const day = dayNumber(from);
        let year = yearOf(day);
        let y = this.layout(year, from);
        let target = y.atOrBefore[day - y.start] + n - 1; // index into y.working
        while (target >= y.working.length) {
            target -= y.working.length;
            year += 1;
            y = this.layout(year, `${n} working days after ${from}`);
        }
        return fromDayNumber(y.working[target]);
    }
    /** D + N calendar days, moved forward to the next working day if need be. */
    addCalendarDays(from, n) {
        if (!Number.isInteger(n) || n < 0)
            throw new RangeError(`calendar days must be a whole number ≥ 0, got ${n}`);
        return this.onOrNextWorkingDay(fromDayNumber(dayNumber(from) + n));
    }
    onOrNextWorkingDay(date) {
        return this.isWorkingDay(date) ? date : this.addWorkingDays(date, 1);
    }
    /** The N-th working day strictly before `from` (used for "2 working days before the deadline"). */
    subtractWorkingDays(from, n) {
        if (!Number.isInteger(n) || n < 0)
            throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
        if (n === 0)
            return from;
        const day = dayNumber(from);
        let year = yearOf(day);
        let y = this.layout(year, from);
        const i = day - y.start;
        // working days strictly before `from` in this year
        let target = (i === 0 ? 0 : y.atOrBefore[i - 1]) - n;
        while (target < 0) {
            year -= 1;
            y = this.layout(year, `${n} working days before ${from}`);
            target += y.working.length;
        }
        return fromDayNumber(y.working[target]);
    }
    /** Working days in (from, to]: how many of them lie after `from` up to and including `to`. Negative if to < from. */
    workingDaysBetween(from, to) {
        const a = dayNumber(from);
        const b = dayNumber(to);
        if (b < a)
            return -this.workingDaysBetween(to, from);
        return this.countBetween(a, b);
    }
    /** Weekday bank holidays and closure days of one year, by date. */
    nonWorkingDays(year) {
        assertYearCovered(year, `year ${year}`);
        const out = new Map();
        for (const h of bankHolidays(year))
            out.set(dayNumber(h.date), { date: h.date, name: h.name, kind: "bank_holiday" });
        for (const [day, name] of this.closures) {
            if (yearOf(day) === year && !isWeekend(day) && !out.has(day)) {
                out.set(day, { date: fromDayNumber(day), name, kind: "closure" });
            }
        }
        return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d);
    }
    // Working days in (a, b] for a ≤ b, walking only the years between them.
    countBetween(a, b) {
        const ya = yearOf(a);
        const yb = yearOf(b);
        const la = this.layout(ya, fromDayNumber(a));
        const lb = ya === yb ? la : this.layout(yb, fromDayNumber(b));
        if (ya === yb)
            return lb.atOrBefore[b - lb.start] - la.atOrBefore[a - la.start];
        let count = la.working.length - la.atOrBefore[a - la.start];
        for (let yr = ya + 1; yr < yb; yr++)
            count += this.layout(yr, String(yr)).working.length;
        return count + lb.atOrBefore[b - lb.start];
    }
    layout(year, what) {
        const cached = this.years.get(year);
        if (cached)
            return cached;
        assertYearCovered(year, what);
        const start = firstDayOfYear(year);
        const length = daysInYear(year);
        const off = new Set(bankHolidays(year).map((h) => dayNumber(h.date)));
        const atOrBefore = new Int32Array(length);
        const working = [];
        for (let i = 0; i < length; i++) {
            const day = start + i;
            if (!isWeekend(day) && !off.has(day) && !this.closures.has(day))
                working.push(day);
            atOrBefore[i] = working.length;
        }
        const built = { start, working: Int32Array.from(working), atOrBefore };
        this.years.set(year, built);
        return built;
    }
}
//# sourceMappingURL=working-days.js.map
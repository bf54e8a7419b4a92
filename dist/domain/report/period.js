// A report's period: a calendar month ("2027-01") or quarter ("2027-Q1"), in
// the authority's local dates. A report for a period is due at opening time on
// the first working day after it ends.
import { addDays, MONTHS, parseIsoDate } from "../calendar/dates.js";
import { openingTime } from "../procedure/deadlines.js";
export class PeriodError extends Error {
    name = "PeriodError";
}
const pad = (n) => String(n).padStart(2, "0");
function lastDayOfMonth(year, month) {
    return addDays(parseIsoDate(`${month === 12 ? year + 1 : year}-${pad(month === 12 ? 1 : month + 1)}-01`), -1);
}
function build(year, firstMonth, count, id, every) {
    if (year < 2000 || year > 2049)
        throw new PeriodError(`${id}: reports cover 2000 to 2049`);
    const months = Array.from({ length: count }, (_, i) => `${year}-${pad(firstMonth + i)}`);
    return { id, every, from: parseIsoDate(`${months[0]}-01`), to: lastDayOfMonth(year, firstMonth + count - 1), months };
}
/** "2027-01" (a month) or "2027-Q1" (a quarter: January to March). */
export function parsePeriod(text) {
    const t = text.trim();
    const q = /^(\d{4})-Q([1-4])$/i.exec(t);
    if (q)
        return build(Number(q[1]), (Number(q[2]) - 1) * 3 + 1, 3, `${q[1]}-Q${q[2]}`, "quarter");
    const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(t);
    if (m)
        return build(Number(m[1]), Number(m[2]), 1, t, "month");
    throw new PeriodError(`"${text}" is not a period: use a month such as 2027-01 or a quarter such as 2027-Q1`);
}
/** The period of the given kind that contains `date`. */
export function periodContaining(date, every) {
    const [y, m] = date.split("-").map(Number);
    return every === "month" ? parsePeriod(`${y}-${pad(m)}`) : parsePeriod(`${y}-Q${Math.ceil(m / 3)}`);
}
export function previousPeriod(p) {
    return periodContaining(addDays(p.from, -1), p.every);
}
/** The same period a year earlier. */
export function samePeriodLastYear(p) {
    const year = Number(p.id.slice(0, 4)) - 1;
    return parsePeriod(`${year}${p.id.slice(4)}`);
}
/** "January 2027", "January to March 2027" */
export function periodName(p) {
    const name = (month) => MONTHS[Number(month.slice(5)) - 1];
    const year = p.id.slice(0, 4);
    return p.months.length === 1 ? `${name(p.months[0])} ${year}` : `${name(p.months[0])} to ${name(p.months.at(-1))} ${year}`;
}
/** "Jan 2027" */
export function shortMonth(month) {
    return `${MONTHS[Number(month.slice(5)) - 1].slice(0, 3)} ${month.slice(0, 4)}`;
}
/** Opening time on the first working day after the period ends. */
export function reportDueAt(a, p) {
    return openingTime(a, a.calendar.onOrNextWorkingDay(addDays(p.to, 1)));
}
/** The month ("2027-01") a local date falls in. */
export function monthOf(date) {
    return date.slice(0, 7);
}
//# sourceMappingURL=period.js.map
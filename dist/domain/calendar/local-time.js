// Instants (UTC) versus the authority's local wall clock (Europe/London).
// Deadlines are "close of business on a local date"; across the clock changes
// 17:00 is 16:00Z in summer and 17:00Z in winter, and an event at 23:30Z in
// summer happens on the next local date.
import { DateTime, IANAZone } from "luxon";
import { parseIsoDate } from "./dates.js";
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
export class InvalidTimeError extends Error {
    name = "InvalidTimeError";
}
export function isTimeOfDay(text) {
    return HH_MM.test(text);
}
export function isTimeZone(zone) {
    return IANAZone.isValidZone(zone);
}
// Asking luxon (Intl) for a zone's offset costs tens of microseconds, and the
// planner asks many times per dispute. Offsets only change at clock changes,
// which fall on a quarter hour in every zone, so one answer per zone and
// quarter hour is exact; so is the local date, which changes only at local
// midnight, itself on a quarter hour.
const QUARTER_HOUR = 900_000;
const quarters = new Map();
function quarterOf(instant, zone) {
    let byQuarter = quarters.get(zone);
    if (!byQuarter)
        quarters.set(zone, (byQuarter = new Map()));
    const q = Math.floor(instant.getTime() / QUARTER_HOUR);
    let hit = byQuarter.get(q);
    if (!hit) {
        const dt = DateTime.fromJSDate(instant, { zone });
        if (!dt.isValid)
            throw new InvalidTimeError(`cannot place ${instant.toISOString()} in ${zone}`);
        const offset = dt.offset;
        const date = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 10);
        hit = { offset, date };
        if (byQuarter.size > 50_000)
            byQuarter.clear();
        byQuarter.set(q, hit);
    }
    return hit;
}
/** The local date on which `instant` falls in `zone`. */
export function localDate(instant, zone) {
    return quarterOf(instant, zone).date;
}
/** The local wall-clock time "HH:MM" of `instant` in `zone`. */
export function localTime(instant, zone) {
    const minutes = Math.floor(instant.getTime() / 60_000) + quarterOf(instant, zone).offset;
    const ofDay = ((minutes % 1440) + 1440) % 1440;
    const h = Math.floor(ofDay / 60);
    const m = ofDay % 60;
    return `${h < 10 ? "0" : ""}${h}:${m < 10 ? "0" : ""}${m}`;
}
/**
 * The instant at which a local date reaches a local time ("17:00") in `zone`.
 * None of our times fall in the skipped or repeated hour (01:00–02:00 local),
 * but if one did luxon moves it forward, which is the safe side for a deadline.
 */
export function instantAt(date, time, zone) {
    const key = `${date}T${time}|${zone}`;
    let ms = instants.get(key);
    if (ms === undefined) {
        const m = HH_MM.exec(time);
        if (!m)
            throw new InvalidTimeError(`time "${time}" is not in the form HH:MM`);
        const dt = DateTime.fromISO(date, { zone }).set({ hour: Number(m[1]), minute: Number(m[2]) });
        if (!dt.isValid)
            throw new InvalidTimeError(`cannot place ${date} ${time} in ${zone}`);
        ms = dt.toMillis();
        if (instants.size > 50_000)
            instants.clear();
        instants.set(key, ms);
    }
    return new Date(ms);
}
const instants = new Map();
/** Parses an ISO 8601 instant; an offset or Z is required so that no local guess is made. */
export function parseInstant(text, what = "instant") {
    if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
        throw new InvalidTimeError(`${what} "${text}" must be an ISO 8601 instant with a time zone (e.g. 2026-11-23T09:30:00Z)`);
    }
    const dt = DateTime.fromISO(text, { setZone: true });
    if (!dt.isValid)
        throw new InvalidTimeError(`${what} "${text}" is not a valid ISO 8601 instant`);
    return dt.toJSDate();
}
export { parseIsoDate };
//# sourceMappingURL=local-time.js.map
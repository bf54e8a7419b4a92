// Instants (UTC) versus the authority's local wall clock (Europe/London).
// Deadlines are "close of business on a local date"; across the clock changes
// 17:00 is 16:00Z in summer and 17:00Z in winter, and an event at 23:30Z in
// summer happens on the next local date.
import { DateTime, IANAZone } from "luxon";
import { type IsoDate, parseIsoDate } from "./dates.ts";

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export class InvalidTimeError extends Error {
  override name = "InvalidTimeError";
}

export function isTimeOfDay(text: string): boolean {
  return HH_MM.test(text);
}

export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

// Asking luxon (Intl) for a zone's offset costs tens of microseconds, and the
// planner asks many times per dispute. Offsets only change at clock changes,
// which fall on a quarter hour in every zone, so one answer per zone and
// quarter hour is exact.
const QUARTER_HOUR = 900_000;
const offsets = new Map<string, number>();

/** Minutes to add to UTC to get local time in `zone` at `instant`. */
function offsetMinutes(instant: Date, zone: string): number {
  const key = `${zone}|${Math.floor(instant.getTime() / QUARTER_HOUR)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const dt = DateTime.fromJSDate(instant, { zone });
    if (!dt.isValid) throw new InvalidTimeError(`cannot place ${instant.toISOString()} in ${zone}`);
    offset = dt.offset;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The local date on which `instant` falls in `zone`. */
export function localDate(instant: Date, zone: string): IsoDate {
  return new Date(instant.getTime() + offsetMinutes(instant, zone) * 60_000).toISOString().slice(0, 10) as IsoDate;
}

/** The local wall-clock time "HH:MM" of `instant` in `zone`. */
export function localTime(instant: Date, zone: string): string {
  return new Date(instant.getTime() + offsetMinutes(instant, zone) * 60_000).toISOString().slice(11, 16);
}

/**
 * The instant at which a local date reaches a local time ("17:00") in `zone`.
 * None of our times fall in the skipped or repeated hour (01:00–02:00 local),
 * but if one did luxon moves it forward, which is the safe side for a deadline.
 */
export function instantAt(date: IsoDate, time: string, zone: string): Date {
  const key = `${date}T${time}|${zone}`;
  let ms = instants.get(key);
  if (ms === undefined) {
    const m = HH_MM.exec(time);
    if (!m) throw new InvalidTimeError(`time "${time}" is not in the form HH:MM`);
    const dt = DateTime.fromISO(date, { zone }).set({ hour: Number(m[1]), minute: Number(m[2]) });
    if (!dt.isValid) throw new InvalidTimeError(`cannot place ${date} ${time} in ${zone}`);
    ms = dt.toMillis();
    if (instants.size > 50_000) instants.clear();
    instants.set(key, ms);
  }
  return new Date(ms);
}

const instants = new Map<string, number>();

/** Parses an ISO 8601 instant; an offset or Z is required so that no local guess is made. */
export function parseInstant(text: string, what = "instant"): Date {
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    throw new InvalidTimeError(`${what} "${text}" must be an ISO 8601 instant with a time zone (e.g. 2026-11-23T09:30:00Z)`);
  }
  const dt = DateTime.fromISO(text, { setZone: true });
  if (!dt.isValid) throw new InvalidTimeError(`${what} "${text}" is not a valid ISO 8601 instant`);
  return dt.toJSDate();
}

export { parseIsoDate };

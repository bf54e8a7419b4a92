// DRP_NOW starts the clock at an instant and lets it run. Started again with the
// same DRP_NOW, the clock would run backwards past steps already recorded: the
// next step would be refused as out of order and emails would be planned for a
// past that has happened. So the app refuses to start on such a clock.
import { max } from "drizzle-orm";
import { disputeEvents, reviewEvents } from "../db/schema.js";
/**
 * The date of the latest step recorded, on a dispute or a review (undefined for an
 * empty database). A step's date, not when it was written: the next step is
 * refused if dated before it. (`drp demo`'s steps are dated just before its clock,
 * so the app started on the same DRP_NOW is not refused.)
 */
export async function latestRecorded(db) {
    const [d] = await db.select({ at: max(disputeEvents.at) }).from(disputeEvents);
    const [r] = await db.select({ at: max(reviewEvents.at) }).from(reviewEvents);
    const times = [d?.at, r?.at].filter((x) => x instanceof Date);
    return times.length ? new Date(Math.max(...times.map((t) => t.getTime()))) : undefined;
}
export class ClockBehindRecord extends Error {
    name = "ClockBehindRecord";
}
/** "3 days 4 hours", "12 minutes": how far behind, to the minute. */
export function howLong(ms) {
    const minutes = Math.ceil(ms / 60_000);
    const parts = [
        [Math.floor(minutes / 1440), "day"],
        [Math.floor((minutes % 1440) / 60), "hour"],
        [minutes % 60, "minute"],
    ];
    const said = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}${n === 1 ? "" : "s"}`);
    return said.slice(0, 2).join(" ") || "less than a minute";
}
/** Refuses a DRP_NOW clock that starts before what the database already records. */
export async function refuseClockBehindRecord(db, now, setBy = process.env.DRP_NOW) {
    if (!setBy)
        return;
    const latest = await latestRecorded(db);
    if (!latest || now.getTime() >= latest.getTime())
        return;
    throw new ClockBehindRecord(`DRP_NOW=${setBy} is ${howLong(latest.getTime() - now.getTime())} before the latest step recorded (${latest.toISOString()}): the clock would run backwards. Start without DRP_NOW, or with an instant after ${latest.toISOString()}.`);
}
//# sourceMappingURL=clock-check.js.map
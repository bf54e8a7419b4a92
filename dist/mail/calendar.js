// The iCalendar part of an email (RFC 5545/5546, through ical-generator):
// METHOD:REQUEST adds or moves the event, METHOD:CANCEL removes it, matched by
// UID with a higher SEQUENCE. Sent as nodemailer's icalEvent, which Outlook
// and Gmail show as an event with "add to calendar".
import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
export function icsFor(i) {
    const cancel = i.event.method === "cancel";
    const cal = ical({
        prodId: "//drp-monitor//dispute deadlines//EN",
        method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    });
    const e = cal.createEvent({
        id: i.event.uid,
        sequence: i.event.sequence,
        stamp: i.stamp,
        start: i.event.start,
        end: i.event.end,
        summary: i.event.summary,
        description: i.event.description,
        organizer: i.organizer,
        status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
    for (const a of i.attendees)
        e.createAttendee({ name: a.name, email: a.email, rsvp: false });
    return { method: i.event.method, content: cal.toString() };
}
/** "Name <address>" or a bare address, as MAIL_FROM is written. */
export function parseAddress(from) {
    const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
    return m ? { name: m[1].trim() || m[2], email: m[2] } : { name: from.trim(), email: from.trim() };
}
//# sourceMappingURL=calendar.js.map
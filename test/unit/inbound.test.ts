// Classifying what comes back to the bounce mailbox: real-world shapes of
// delivery reports (Exchange Online, Gmail, Postfix) and automatic replies,
// parsed by mailparser; return dates read from English phrases.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, dayNumber, type IsoDate, longDate, MONTHS, parseIsoDate, weekday } from "../../src/domain/calendar/dates.ts";
import { classify } from "../../src/domain/inbound/classify.ts";
import { parseDeliveryStatus, severityOf, statusMeaning } from "../../src/domain/inbound/delivery-status.ts";
import { readReturnDate } from "../../src/domain/inbound/return-date.ts";
import { parseInbound } from "../../src/mail/inbound/parse.ts";
import { tokenOf, verpAddress } from "../../src/mail/verp.ts";
import { fixture, fixtureNames } from "../support/inbound.ts";

const BOUNCE = "drp-bounces@council.example";
const TOKEN = "0123456789abcdef0123";
const fill = { verp: verpAddress(BOUNCE, TOKEN), rcpt: "sam.leaver@partner.example", msgid: "<drp.abc123@council.example>" };
const received = parseIsoDate("2026-12-07");

async function classified(name: string) {
  const m = await parseInbound(fixture(name, fill));
  return classify(m, received, (a) => tokenOf(BOUNCE, a));
}

describe("delivery reports, as the big mail systems write them", () => {
  it.each([
    ["exchange-online-ndr.eml", "5.1.10"],
    ["gmail-dsn.eml", "5.1.1"],
    ["postfix-dsn.eml", "5.1.1"],
  ])("%s: a hard bounce for the email's own address and addressee (%s)", async (name, status) => {
    const c = await classified(name);
    expect(c.kind).toBe("delivery_report");
    if (c.kind !== "delivery_report") return;
    expect(c.token).toBe(TOKEN);
    expect(c.recipients).toHaveLength(1);
    expect(c.recipients[0]).toMatchObject({ address: fill.rcpt, action: "failed", status });
    expect(severityOf(c.recipients[0]!)).toBe("hard");
  });

  it("Postfix's delay notice: a soft bounce", async () => {
    const c = await classified("postfix-delayed.eml");
    expect(c.kind).toBe("delivery_report");
    if (c.kind !== "delivery_report") return;
    expect(c.recipients[0]).toMatchObject({ action: "delayed", status: "4.4.1" });
    expect(severityOf(c.recipients[0]!)).toBe("soft");
  });

  it("reads folded fields, several recipients, and a code only in the diagnostic", () => {
    const r = parseDeliveryStatus(
      [
        "Reporting-MTA: dns; mx.example",
        "",
        "Final-Recipient: rfc822; A@Example.org",
        "Action: failed",
        "Status: 5.0.0",
        "Diagnostic-Code: smtp; 550 5.2.2",
        "  mailbox full",
        "",
        "Original-Recipient: rfc822;b@example.org",
        "Action: delayed",
        "Diagnostic-Code: smtp; 452 4.2.2 over quota",
        "",
        "Final-Recipient: rfc822; c@example.org",
        "Action: delivered",
        "Status: 2.0.0",
      ].join("\r\n"),
    );
    expect(r).toEqual([
      { address: "a@example.org", action: "failed", status: "5.0.0", diagnostic: "smtp; 550 5.2.2 mailbox full" },
      { address: "b@example.org", action: "delayed", status: "4.2.2", diagnostic: "smtp; 452 4.2.2 over quota" },
      { address: "c@example.org", action: "delivered", status: "2.0.0" },
    ]);
    expect(r.map(severityOf)).toEqual(["hard", "soft", "none"]);
    expect(statusMeaning("5.1.10")).toMatch(/not found/);
    expect(statusMeaning("5.2.2")).toMatch(/full/);
    expect(statusMeaning("9.9.9")).toMatch(/no reason/);
  });
});

describe("automatic replies", () => {
  it("Exchange Online's: its headers, its subject, and the return date with no year", async () => {
    const c = await classified("exchange-auto-reply.eml");
    expect(c).toMatchObject({
      kind: "auto_reply",
      token: TOKEN,
      away: true,
      returnDate: { date: "2027-01-04", kind: "until", phrase: "until Monday 4 January" },
    });
    if (c.kind === "auto_reply") expect(c.replyTo).toContain(fill.msgid);
  });

  it("Gmail's vacation reply: RFC 3834, and a day-first date", async () => {
    const c = await classified("gmail-vacation.eml");
    expect(c).toMatchObject({
      kind: "auto_reply",
      token: TOKEN,
      away: true,
      returnDate: { date: "2027-01-04", kind: "back", phrase: "back on 04/01/2027" },
    });
  });

  it("a person writing back is neither, whatever dates it mentions", async () => {
    expect((await classified("person-reply.eml")).kind).toBe("other");
  });

  it("every fixture is classified, and only the delivery reports and replies are filed", async () => {
    const kinds = Object.fromEntries(await Promise.all(fixtureNames().map(async (n) => [n, (await classified(n)).kind])));
    expect(Object.values(kinds).filter((k) => k === "other")).toHaveLength(1);
    expect(Object.keys(kinds)).toHaveLength(7);
  });

  it("an address on another mailbox, or another local part, carries no token", async () => {
    const m = await parseInbound(fixture("postfix-dsn.eml", { ...fill, verp: `someone+${TOKEN}@council.example` }));
    expect(classify(m, received, (a) => tokenOf(BOUNCE, a))).toMatchObject({ kind: "delivery_report", token: undefined });
  });
});

describe("return dates in English", () => {
  const on = (s: string) => parseIsoDate(s);
  it.each([
    ["I am out of the office until Monday 4 January.", "2026-12-21", "2027-01-04"],
    ["Back on 04/01/2027", "2026-12-21", "2027-01-04"],
    ["I'm away, returning on the 4th of January 2027.", "2026-12-21", "2027-01-04"],
    ["I will be back in the office on January 4th, 2027", "2026-12-21", "2027-01-04"],
    ["On leave till Fri 11 Dec", "2026-12-07", "2026-12-11"],
    ["Out until 4.1.27 inclusive", "2026-12-21", "2027-01-04"],
    ["I return to work on 2027-01-04", "2026-12-21", "2027-01-04"],
    // a weekday that fits neither year is a slip: the next such date stands
    ["back on Monday 3 January", "2026-12-21", "2027-01-03"],
    ["in the office again on Tuesday 8 December", "2026-12-07", "2026-12-08"],
    ["I will be back on January 4.", "2026-12-21", "2027-01-04"],
    ["I will be out from 21 December until 4 January", "2026-12-18", "2027-01-04"],
    // an out-of-office left on after its date: the date just past, not next year's
    ["On leave until Monday 4 January", "2027-01-06", "2027-01-04"],
  ])("%s (received %s) → %s", (text, recv, want) => {
    expect(readReturnDate(text, on(recv))?.date).toBe(want);
  });

  it.each([
    ["I am on maternity leave until June 2027.", "2026-12-21"],
    ["I'm in a meeting until 12.05 today", "2026-12-21"],
    ["I am on leave. Please contact the duty manager.", "2026-12-21"],
    ["Your email of 4 January has been received.", "2026-12-21"],
    ["until 31/02/2027", "2026-12-21"],
    ["back on 13/13/2027", "2026-12-21"],
    // a date long past is a misreading, not a return
    ["back on 04/01/2020", "2026-12-21"],
  ])("no return date in %s", (text, recv) => {
    expect(readReturnDate(text, on(recv))).toBeUndefined();
  });

  it("reads back any date within the year ahead, written as people write it", () => {
    const WD = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 350 }),
        fc.constantFrom("until", "back on", "returning on", "back in the office on"),
        fc.constantFrom("long", "slash", "us", "iso"),
        (start, ahead, lead, form) => {
          const recv = addDays(parseIsoDate("2026-01-01"), start);
          const d = addDays(recv, ahead);
          const [y, m, day] = [d.slice(0, 4), Number(d.slice(5, 7)), Number(d.slice(8, 10))];
          const wd = WD[weekday(dayNumber(d))];
          const phrase =
            form === "long"
              ? `${wd} ${day} ${MONTHS[m - 1]}`
              : form === "slash"
                ? `${String(day).padStart(2, "0")}/${String(m).padStart(2, "0")}/${y}`
                : form === "us"
                  ? `${MONTHS[m - 1]} ${day}, ${y}`
                  : d;
          const r = readReturnDate(`Thank you for your email. I am away ${lead} ${phrase}.`, recv);
          expect(r?.date, `${lead} ${phrase} from ${recv}`).toBe(d as IsoDate);
          expect(longDate(r!.date)).toContain(String(day));
        },
      ),
      { numRuns: 400 },
    );
  });
});

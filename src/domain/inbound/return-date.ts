// The date an automatic reply says its sender is back, read from English
// phrases where it can be: "until Monday 4 January", "back on 04/01/2027",
// "returning on the 4th of January 2027", "return to the office on January 4".
// Dates are day-first (British). A date with no year is the next one on or
// after the day the reply came; a weekday that does not fit it is taken for a
// slip (the date stands). Nothing is guessed from a date that no
// "until / back / return" phrase leads to: none is better than a wrong one.
import { addDays, dayNumber, type IsoDate, isIsoDate, MONTHS, weekday } from "../calendar/dates.ts";

export interface ReturnDate {
  date: IsoDate;
  /** "until": the last day away ("until Monday 4 January"); "back": the first day back ("back on 04/01/2027") */
  kind: "until" | "back";
  /** the words it was read from, e.g. "until Monday 4 January" */
  phrase: string;
}

const WEEKDAY = "(?:(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\\.?,?\\s+)?";
const MONTH = "(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?";
// a day is not the start of a year ("until June 2027" names no day)
const DAY = "(\\d{1,2})(?:st|nd|rd|th)?(?!\\d)";
const YEAR = "(?:,?\\s+(\\d{4})\\b)?";
const LEAD =
  "\\b(?:until|till|til|back(?:\\s+in(?:\\s+the\\s+office)?|\\s+at\\s+work|\\s+to\\s+work)?(?:\\s+on)?|return(?:ing|s)?(?:\\s+to\\s+(?:the\\s+)?(?:office|work))?(?:\\s+on)?|in\\s+the\\s+office\\s+(?:again\\s+)?on)\\s+(?:the\\s+)?";

// each form: the phrase, with groups read by its `read`
const FORMS: { re: RegExp; read: (m: RegExpExecArray) => { wd?: string; d: number; mo: number; y?: number } }[] = [
  {
    // "until Monday 4th of January 2027"
    re: new RegExp(`${LEAD}${WEEKDAY}(?:the\\s+)?${DAY}(?:\\s+of)?\\s+${MONTH}${YEAR}`, "i"),
    read: (m) => ({ wd: m[1], d: Number(m[2]), mo: monthOf(m[3]!), y: m[4] ? Number(m[4]) : undefined }),
  },
  {
    // "back on Monday, January 4, 2027"
    re: new RegExp(`${LEAD}${WEEKDAY}${MONTH}\\s+${DAY}${YEAR}`, "i"),
    read: (m) => ({ wd: m[1], d: Number(m[3]), mo: monthOf(m[2]!), y: m[4] ? Number(m[4]) : undefined }),
  },
  {
    // "back on 04/01/2027", "until 4/1", "until 4.1.27" (with dots, only with a year: "until 12.05" is a time)
    re: new RegExp(`${LEAD}${WEEKDAY}(\\d{1,2})(?:[/-](\\d{1,2})(?:[/-](\\d{2}|\\d{4}))?|\\.(\\d{1,2})\\.(\\d{2}|\\d{4}))(?![\\d:])`, "i"),
    read: (m) => {
      const y = m[4] ?? m[6];
      return { wd: m[1], d: Number(m[2]), mo: Number(m[3] ?? m[5]), y: y ? (y.length === 2 ? 2000 + Number(y) : Number(y)) : undefined };
    },
  },
  {
    // "returning 2027-01-04"
    re: new RegExp(`${LEAD}(\\d{4})-(\\d{2})-(\\d{2})\\b`, "i"),
    read: (m) => ({ d: Number(m[3]), mo: Number(m[2]), y: Number(m[1]) }),
  },
];

function monthOf(word: string): number {
  return MONTHS.findIndex((m) => m.slice(0, 3).toLowerCase() === word.slice(0, 3).toLowerCase()) + 1;
}

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function iso(y: number, mo: number, d: number): IsoDate | undefined {
  const s = `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  return isIsoDate(s) ? s : undefined;
}

/** The return date in `text`, read relative to the day the reply came; undefined where no phrase gives one. */
export function readReturnDate(text: string, receivedOn: IsoDate): ReturnDate | undefined {
  const flat = text.replace(/\s+/g, " ");
  let best: { at: number; r: ReturnDate } | undefined;
  for (const f of FORMS) {
    const m = f.re.exec(flat);
    if (!m) continue;
    const date = resolve(f.read(m), receivedOn);
    const kind = /^\s*(?:until|till|til)\b/i.test(m[0]) ? "until" : "back";
    // the earliest phrase in the text wins ("until 4 January; back on 5 January" is rare, but the first is what they said first)
    if (date && (!best || m.index < best.at)) best = { at: m.index, r: { date, kind, phrase: m[0].trim().replace(/[,.]$/, "") } };
  }
  return best?.r;
}

function resolve(p: { wd?: string; d: number; mo: number; y?: number }, receivedOn: IsoDate): IsoDate | undefined {
  if (p.mo < 1 || p.mo > 12) return undefined;
  const wanted = p.wd ? WEEKDAYS.indexOf(p.wd.slice(0, 3).toLowerCase()) : -1;
  const year = Number(receivedOn.slice(0, 4));
  const years = p.y !== undefined ? [p.y] : [year, year + 1];
  const candidates = years.map((y) => iso(y, p.mo, p.d)).filter((d): d is IsoDate => d !== undefined);
  // a return more than a year off, or long before the reply came, is a misreading
  const plausible = candidates.filter(
    (d) => dayNumber(d) >= dayNumber(addDays(receivedOn, -7)) && dayNumber(d) <= dayNumber(addDays(receivedOn, 366)),
  );
  // with no year: the next such date, or one of the last few days (an out-of-office left on after its date)
  const pool = p.y !== undefined ? plausible : plausible.filter((d) => dayNumber(d) <= dayNumber(addDays(receivedOn, 358)));
  // where two dates could be meant, the one on the weekday named
  return (wanted >= 0 ? pool.find((d) => weekday(dayNumber(d)) === wanted) : undefined) ?? pool[0];
}

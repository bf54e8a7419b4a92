// Structured logs (pino). Logs carry ids, codes and counts, never a child's
// reference, a summary or any other free text; the redaction below is a second
// line of defence, not the first.
import pino, { type Logger } from "pino";

export type { Logger };

const NEVER_LOGGED = [
  "summary",
  "childRef",
  "familyRef",
  "note",
  "outcome",
  "reason",
  "otherCategory",
  "requestedActions",
  "body",
  "concerning",
  "reference",
];

export function createLogger(opts: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const paths = NEVER_LOGGED.flatMap((k) => [k, `*.${k}`]);
  return pino(
    {
      level: opts.level ?? process.env.LOG_LEVEL ?? "info",
      redact: { paths, censor: "[withheld]" },
      base: { service: "drp-monitor" },
      // an operator reads the time, not epoch milliseconds
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  );
}

// One clock for all code. DRP_NOW=<ISO instant> starts it at that instant and
// lets it run on from there (demos, tests, support reproducing a case); with
// DRP_NOW_FROM=<ms since epoch>, from that wall time rather than from when the
// process made its clock, so that several processes share one clock exactly.
export interface Clock {
  now(): Date;
}

export function systemClock(start = process.env.DRP_NOW, from = process.env.DRP_NOW_FROM): Clock {
  if (!start) return { now: () => new Date() };
  const at = Date.parse(start);
  if (Number.isNaN(at)) throw new Error(`DRP_NOW "${start}" is not an ISO 8601 instant`);
  const offset = at - (from ? Number(from) : Date.now());
  return { now: () => new Date(Date.now() + offset) };
}

/** A clock that stands still until moved: for tests. */
export function fixedClock(start: Date | string): Clock & { set(to: Date | string): void; advance(ms: number): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (to) => void (t = new Date(to).getTime()),
    advance: (ms) => void (t += ms),
  };
}

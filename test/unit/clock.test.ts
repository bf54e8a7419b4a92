// DRP_NOW starts the clock at an instant; DRP_NOW_FROM says from which wall
// time, so that processes started seconds apart (DRP_WORKER_PROCESSES) share one clock.
import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";

const START = "2026-11-24T16:59:45Z";

describe("systemClock", () => {
  it("without DRP_NOW, the wall clock", () => {
    expect(Math.abs(systemClock(undefined).now().getTime() - Date.now())).toBeLessThan(50);
  });

  it("with DRP_NOW alone, that instant from when the clock is made, running on", async () => {
    const c = systemClock(START);
    expect(c.now().getTime() - Date.parse(START)).toBeLessThan(50);
    await new Promise((r) => setTimeout(r, 120));
    expect(c.now().getTime() - Date.parse(START)).toBeGreaterThanOrEqual(100);
  });

  it("with DRP_NOW_FROM, that instant at that wall time: a clock made later is already ahead by the gap", () => {
    const anchor = Date.now() - 5_000;
    const c = systemClock(START, String(anchor));
    const ahead = c.now().getTime() - Date.parse(START);
    expect(ahead).toBeGreaterThanOrEqual(5_000);
    expect(ahead).toBeLessThan(5_100);
  });

  it("two clocks made at different times from one DRP_NOW_FROM read the same", async () => {
    const anchor = String(Date.now());
    const a = systemClock(START, anchor);
    await new Promise((r) => setTimeout(r, 150));
    const b = systemClock(START, anchor);
    expect(Math.abs(a.now().getTime() - b.now().getTime())).toBeLessThan(5);
    // made without the anchor, the later clock would be 150 ms behind
    expect(a.now().getTime() - systemClock(START).now().getTime()).toBeGreaterThanOrEqual(140);
  });

  it("a DRP_NOW that is not an instant is refused by name", () => {
    expect(() => systemClock("next Tuesday")).toThrow(/DRP_NOW "next Tuesday" is not an ISO 8601 instant/);
  });
});

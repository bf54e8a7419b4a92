// Each email's own envelope sender on the bounce mailbox (VERP): it gives back
// the outbox row's token, and only an address made for this mailbox gives one.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bounceAddressFromEnv, tokenOf, verpAddress } from "../../src/mail/verp.ts";

const BOUNCES = "drp-bounces@council.example";

describe("VERP addresses", () => {
  it("give back the row's token, in any case", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{20}$/), (token) => {
        const address = verpAddress(BOUNCES, token);
        expect(address).toBe(`drp-bounces+${token}@council.example`);
        expect(tokenOf(BOUNCES, address)).toBe(token);
        expect(tokenOf(BOUNCES, address.toUpperCase())).toBe(token);
      }),
    );
  });

  it("read a token only from this mailbox's addresses, whatever the case or angle brackets", () => {
    const address = verpAddress(BOUNCES, "0123456789abcdef0123");
    expect(tokenOf(BOUNCES, `<${address}>`)).toBe("0123456789abcdef0123");
    expect(tokenOf(BOUNCES, address.replace("council.example", "elsewhere.example"))).toBeUndefined();
    expect(tokenOf(BOUNCES, address.replace("drp-bounces", "someone"))).toBeUndefined();
    expect(tokenOf(BOUNCES, BOUNCES)).toBeUndefined();
    expect(tokenOf(BOUNCES, "drp-bounces+not-a-token@council.example")).toBeUndefined();
  });

  it("BOUNCE_ADDRESS is a plain mailbox, or it says what it must be", () => {
    expect(bounceAddressFromEnv({})).toBeUndefined();
    expect(bounceAddressFromEnv({ BOUNCE_ADDRESS: BOUNCES })).toBe(BOUNCES);
    for (const bad of ["drp+x@council.example", "not an address", "drp@localhost"])
      expect(() => bounceAddressFromEnv({ BOUNCE_ADDRESS: bad }), bad).toThrow(/BOUNCE_ADDRESS must be a plain mailbox address/);
  });
});

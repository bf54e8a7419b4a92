// The outbox folder (no SMTP_URL): each email, with its working links, is its
// owner's alone on disk — the folder 700, every file 600 — whatever the umask.
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { folderMailer } from "../../src/mail/transport.ts";

describe("the outbox folder", () => {
  it("writes each email and its index for the owner only", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "drp-outbox-")), "outbox");
    const old = process.umask(0o022); // a usual umask: group and others could read
    try {
      const m = folderMailer(dir);
      await m.send({
        from: "drp@example.org",
        to: ["tm@example.org"],
        cc: [],
        replyTo: "ivy@example.org",
        subject: "OFFICIAL-SENSITIVE DRP BIR-2026-0001",
        html: '<p><a href="https://drp.example.org/act/abc">Record your response</a></p>',
        text: "Record your response: https://drp.example.org/act/abc",
        date: new Date("2026-11-24T10:00:00Z"),
        messageId: "<m1@example.org>",
        headers: { "X-DRP-Kind": "stage_raised" },
      });
      m.close();
    } finally {
      process.umask(old);
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith(".eml"))).toHaveLength(1);
    expect(files).toContain("index.html");
    for (const f of files) expect(`${f} ${(statSync(join(dir, f)).mode & 0o777).toString(8)}`).toBe(`${f} 600`);
  });
});

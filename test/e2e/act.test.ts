// Acting from the email, in a real browser: Debian's Chromium driven by
// playwright-core. A Birmingham dispute whose stage 1 ran out on Monday 16
// November: the IRO's prompt arrives at the SMTP sink with "Escalate to stage
// 2"; the link opens the app's page (axe-core finds no accessibility
// violation), the form is submitted, the page says what happens next, and the
// Head of Service's stage 2 email arrives. Scanners' GETs change nothing; a
// second submission, a tampered link and another authority's link are refused.
import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.ts";
import { linkKeys, sealLink } from "../../src/links/token.ts";
import { freePort } from "../../src/queue/redis.ts";
import { raiseDispute, takeStep } from "../../src/service/disputes.ts";
import type { RaiseInput } from "../../src/service/inputs.ts";
import { getDispute } from "../../src/service/read.ts";
import { until } from "../support/mail-sink.ts";
import { type Stack, startStack } from "../support/worker.ts";

const CHROMIUM = "/usr/bin/chromium";
const require = createRequire(import.meta.url);
const secret = Buffer.from("Qm4-vB8nT2xK7pL0wE5rY9uI3oA6sD1fG_hJcZ");
const keys = linkKeys(secret);
let s: Stack;
let app: FastifyInstance;
let browser: Browser;
let base = "";
let disputeId = "";
let escalate = "";
const ivy = { name: "Ivy Reviewer", email: "ivy.reviewer@example.org", role: "iro" as const };

const linkIn = (html: string, label: string) => {
  const m = new RegExp(`<a href="([^"]+)"[^>]*>${label}</a>`).exec(html);
  return m ? m[1]!.replaceAll("&amp;", "&") : "";
};

async function axeViolations(page: import("playwright-core").Page) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  return page.evaluate(async () => {
    const r = await (
      globalThis as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; help: string }[] }> } }
    ).axe.run({
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return r.violations.map((v) => `${v.id}: ${v.help}`);
  });
}

/** With DRP_SCREENSHOTS=<dir>, the README's pictures of the page, at 1000 and 390 px. */
async function shoot(page: import("playwright-core").Page, name: string) {
  const dir = process.env.DRP_SCREENSHOTS;
  if (!dir) return;
  for (const width of [1000, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${dir}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1000, height: 900 });
}

describe.skipIf(!existsSync(CHROMIUM))("acting from the email, in Chromium", () => {
  beforeAll(async () => {
    s = await startStack("2026-11-24T10:00:00Z");
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await buildApp(s.svc, { linkSecret: secret });
    await app.listen({ port, host: "127.0.0.1" });
    const d = await raiseDispute(s.svc, "birmingham", {
      procedure: "iro",
      childRef: "ECL-5",
      raisedBy: ivy,
      team: "cla-north",
      stage: 1,
      categories: ["other"],
      otherCategory: "Permanence",
      summary: "A concern that must never appear on a page",
      confirmed: ["explain_why_informal_failed", "consult_iro_service_ahos", "discuss_actions_with_team_manager"],
      at: new Date("2026-11-02T10:00:00Z"),
    } as RaiseInput);
    disputeId = d.dispute.id;
    await takeStep(s.svc, "birmingham", disputeId, { type: "response_recorded", at: new Date("2026-11-10T10:00:00Z") });
    await s.startWorker({ concurrency: 4, links: { publicUrl: base, keys, days: 14 } });
    await until(() => s.sink.received.some((m) => m.key.includes("escalation_prompt") && m.to.includes(ivy.email)), "the IRO's prompt");
    const prompt = s.sink.received.find((m) => m.key.includes("escalation_prompt") && m.to.includes(ivy.email))!;
    escalate = linkIn(prompt.html, "Escalate to stage 2");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await s?.stop();
  });

  it("puts the steps the procedure allows in the IRO's prompt, and none in a copy", () => {
    const prompt = s.sink.received.find((m) => m.key.includes("escalation_prompt") && m.to.includes(ivy.email))!;
    expect(escalate).toMatch(new RegExp(`^${base}/act/[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$`));
    // nothing in the link says whose it is or what it does
    for (const part of [ivy.email, "example.org", "birmingham", disputeId, "escalate"])
      expect(escalate.slice(base.length)).not.toContain(part);
    for (const label of ["Agree an extension", "Mark resolved", "Refer to Cafcass"]) expect(linkIn(prompt.html, label), label).not.toBe("");
    expect(prompt.text).toContain(`Escalate to stage 2: ${escalate}`);
    const copies = s.sink.received.filter((m) => m.key.endsWith("/qa_inbox"));
    expect(copies.length).toBeGreaterThan(0);
    for (const c of copies) expect(c.html).not.toContain("/act/");
    if (process.env.DRP_SCREENSHOTS) writeFileSync(`${process.env.DRP_SCREENSHOTS}/act-email.html`, prompt.html);
  });

  it("changes nothing when a link scanner fetches the link ten times", async () => {
    const before = await getDispute(s.svc, "birmingham", disputeId);
    for (let i = 0; i < 10; i++) {
      const r = await fetch(escalate);
      expect(r.status).toBe(200);
      expect(await r.text()).not.toContain("A concern that must never appear");
    }
    const after = await getDispute(s.svc, "birmingham", disputeId);
    expect(after.version).toBe(before.version);
    // (the worker may record emails it sends meanwhile; no step is added)
    const steps = (d: typeof before) => d.timeline.filter((e: { type: string }) => !e.type.startsWith("notification_"));
    expect(steps(after)).toEqual(steps(before));
  });

  it("escalates from the page: accessible, confirmed by the form, and the next stage's email arrives", async () => {
    // the pages forbid scripts (CSP); the test lets axe-core in
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 }, bypassCSP: true });
    await page.goto(escalate);
    await expect(page.locator("h1").textContent()).resolves.toBe("Escalate to stage 2");
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, "act-escalate");
    for (const box of await page.locator('input[name="confirmed"]').all()) await box.check();
    await page.getByRole("button", { name: "Escalate to stage 2" }).click();
    await page.waitForLoadState();
    expect(await page.locator(".govuk-panel__title").textContent()).toMatch(/Escalated/);
    expect(await page.locator("main").textContent()).toMatch(
      /The Case-holding Head of Service has been sent stage 2 and must respond by 5pm on Friday 27 November 2026\./,
    );
    expect(await axeViolations(page)).toEqual([]);
    await shoot(page, "act-escalate-done");
    await until(() => s.sink.received.some((m) => m.key.includes(":s2:") && m.key.includes("stage_raised")), "stage 2's email");
    const d = await getDispute(s.svc, "birmingham", disputeId);
    expect(d.stage).toBe(2);
    // (the log also records each email sent)
    expect(d.timeline.filter((e: { type: string }) => e.type === "escalated").at(-1)).toMatchObject({
      by: { name: "Ivy Reviewer", email: ivy.email },
    });
    // the link has done its work: opening it again says so, and a second submission is refused
    await page.goto(escalate);
    expect(await page.locator("h1").textContent()).toBe("This link has already been used");
    const again = await fetch(escalate, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "csrf=x",
    });
    expect(again.status).toBe(410);
    await page.close();
  });

  it("refuses a form not sent from the page it opened (no CSRF cookie), on a link that is otherwise good", async () => {
    // a fresh link for the dispute as it is now, as the next email would carry it
    const now = await getDispute(s.svc, "birmingham", disputeId);
    const iat = Math.floor(Date.now() / 1000);
    const resolve = `${base}/act/${await sealLink(keys, { v: 2, a: "birmingham", d: disputeId, r: "instigator", e: ivy.email, act: "resolve", ver: now.version, iat, exp: iat + 86_400 })}`;
    expect((await fetch(resolve)).status).toBe(200);
    const r = await fetch(resolve, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "csrf=forged",
    });
    expect(r.status).toBe(403);
    expect(await r.text()).toContain("Open the link from your email again");
    expect((await getDispute(s.svc, "birmingham", disputeId)).status).toBe("open");
  });

  it("refuses a tampered link and one for another authority's dispute, with a plain page", async () => {
    // one character of the sealed claims changed
    const parts = escalate.split(".");
    parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.at(-2) === "A" ? "B" : "A"}${parts[3]!.at(-1)}`;
    const tampered = parts.join(".");
    const t = await fetch(tampered);
    expect(t.status).toBe(400);
    expect(await t.text()).toContain("This link is not valid");
    const other = await sealLink(keys, {
      v: 2,
      a: "newham",
      d: disputeId,
      r: "instigator",
      e: ivy.email,
      act: "resolve",
      ver: 1,
      iat: Math.floor(Date.now() / 1000),
      exp: 4_000_000_000,
    });
    const o = await fetch(`${base}/act/${other}`);
    expect(o.status).toBe(404);
    expect(await o.text()).toContain("This dispute cannot be found");
  });
});

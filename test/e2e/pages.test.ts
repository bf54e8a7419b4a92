// The tracker's pages in a real browser (Debian's Chromium through
// playwright-core), on real PostgreSQL, Redis and an SMTP server: a signed-out
// browser is sent to the sign-in page; the link the worker emails signs it in;
// QA's list, a dispute's page, the IRO's raise form (with errors, then right),
// a step, the directory gaps and the accessibility statement; axe-core finds
// no WCAG 2.2 A or AA violation on any page, with or without errors.
import { existsSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.ts";
import { linkKeys } from "../../src/links/token.ts";
import { freePort } from "../../src/queue/redis.ts";
import { raiseDispute } from "../../src/service/disputes.ts";
import type { RaiseInput } from "../../src/service/inputs.ts";
import { raiseBody } from "../support/app.ts";
import { accessible } from "../support/axe.ts";
import { until } from "../support/mail-sink.ts";
import { type Stack, startStack } from "../support/worker.ts";

const CHROMIUM = "/usr/bin/chromium";
const secret = Buffer.from("Pg7-wC9mS3yL8qK1xF6tZ0vJ4nB2rD5hU_eAoW");
let s: Stack;
let app: FastifyInstance;
let browser: Browser;
let base = "";
const publicUrl = process.env.PUBLIC_URL;

/** Signs a new browser context in as `email`, through the emailed link; returns its page. */
async function signIn(email: string, authorityName: string): Promise<Page> {
  // the pages forbid scripts (CSP); the test lets axe-core in
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await page.goto(`${base}/`);
  expect(new URL(page.url()).pathname).toBe("/sign-in");
  const before = s.sink.received.length;
  await page.getByLabel("Your work email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.locator("h1").textContent()).resolves.toBe("Check your email");
  const mine = () => s.sink.received.slice(before).find((m) => m.to.includes(email) && m.subject.includes(authorityName));
  await until(() => Boolean(mine()), `the sign-in email to ${email}`, 20_000);
  const link = /http:\/\/\S+\/sign-in\/email\/\S+/.exec(mine()!.text)![0];
  await page.goto(link);
  expect(new URL(page.url()).pathname).toBe("/");
  return page;
}

describe.skipIf(!existsSync(CHROMIUM))("the tracker's pages, in Chromium", () => {
  beforeAll(async () => {
    s = await startStack("2026-11-24T10:00:00Z");
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    process.env.PUBLIC_URL = base; // where the sign-in links lead
    app = await buildApp(s.svc, { linkSecret: secret });
    await app.listen({ port, host: "127.0.0.1" });
    const raise = (over: Partial<RaiseInput>) =>
      // stage 1's ten working days ran out on 16 November
      raiseDispute(s.svc, "birmingham", raiseBody({ childRef: "ECL-7", at: new Date("2026-11-02T10:00:00Z"), ...over }) as RaiseInput);
    await raise({});
    await raise({ childRef: "ECL-8", team: "cla-south", at: new Date("2026-11-20T10:00:00Z") });
    // the worker seals the sign-in links with the app's secret, as one deployment's processes share it
    await s.startWorker({ concurrency: 4, links: { publicUrl: base, keys: linkKeys(secret), days: 14 } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-background-networking"] });
  }, 90_000);
  afterAll(async () => {
    if (publicUrl === undefined) delete process.env.PUBLIC_URL;
    else process.env.PUBLIC_URL = publicUrl;
    await browser?.close();
    await app?.close();
    await s?.stop();
  });

  it("asks a signed-out browser to sign in, shows an error for a bad address, and is accessible both ways", async () => {
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(`${base}/cases/BIR-2026-0001`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await accessible(page, "pages-sign-in");
    await page.getByLabel("Your work email address").fill("not an address");
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    expect(await page.title()).toMatch(/^Error: Sign in/);
    await expect(page.locator(".govuk-error-summary").textContent()).resolves.toContain("Enter an email address in the correct format");
    await accessible(page, "pages-sign-in-error");
  }, 60_000);

  it("signs QA in by the emailed link, and shows every open dispute, a dispute's page, the gaps and the statement", async () => {
    const page = await signIn("qa-inbox@birmingham.example.org", "Birmingham");
    await expect(page.locator("h1").textContent()).resolves.toBe("Outstanding disputes");
    const refs = await page.locator("table a[href^='/cases/']").allTextContents();
    expect(refs.sort()).toEqual(["BIR-2026-0001", "BIR-2026-0002"]);
    await expect(page.locator("main").textContent()).resolves.toMatch(/Overdue by \d+ working day/);
    await accessible(page, "pages-outstanding");
    await page.getByRole("link", { name: "BIR-2026-0001" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("BIR-2026-0001");
    await expect(page.locator("main").textContent()).resolves.toContain("Who has opened this dispute");
    await accessible(page, "pages-case");
    await page.goto(`${base}/gaps`);
    await accessible(page, "pages-gaps");
    await page.goto(`${base}/accessibility`);
    await accessible(page, "pages-accessibility");
    await page.goto(`${base}/reporting`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Reports");
    await accessible(page, "pages-reporting");
    // another authority's case, guessed: not found, the same as none
    const r = await page.goto(`${base}/cases/NEW-2026-0001`);
    expect(r?.status()).toBe(404);
  }, 90_000);

  it("lets the IRO raise a dispute, with errors first, and take a step, every page accessible", async () => {
    const page = await signIn("ivy.reviewer@example.org", "Birmingham");
    await page.goto(`${base}/raise`);
    await accessible(page, "pages-raise");
    await page.getByRole("button", { name: "Raise it" }).click();
    expect(await page.title()).toMatch(/^Error: /);
    await accessible(page, "pages-raise-errors");
    await page.getByLabel("The child's case reference").fill("ECL-9");
    await page.getByLabel("The child's team").selectOption("cla-north");
    await page.locator('input[name="stage"][value="1"]').check();
    for (const box of await page.locator('input[name="confirmed"]').all()) await box.check();
    await page.locator('input[name="categories"]').first().check();
    await page.getByLabel("The concern").fill("The permanence plan has drifted.");
    await page.getByRole("button", { name: "Raise it" }).click();
    await expect(page.locator(".govuk-panel__title").textContent()).resolves.toContain("Raised");
    const reference = (await page.locator(".govuk-panel strong").textContent())!.trim();
    expect(reference).toBe("BIR-2026-0003");
    await accessible(page, "pages-raised");
    await page.goto(`${base}/cases/BIR-2026-0001`);
    await page.getByRole("button", { name: "Agree an extension" }).click();
    await accessible(page, "pages-step");
    await page.getByLabel("Day").fill("31");
    await page.getByLabel("Month").fill("2");
    await page.getByLabel("Year").fill("2026");
    await page.getByRole("button", { name: "Agree an extension" }).click();
    expect(await page.title()).toMatch(/^Error: /);
    await accessible(page, "pages-step-error");
    // and taken: a real date, within Birmingham's 20 working days (§1.2), which end on Monday 30 November
    await page.getByLabel("Day").fill("27");
    await page.getByLabel("Month").fill("11");
    await page.getByLabel("Year").fill("2026");
    await page.getByRole("button", { name: "Agree an extension" }).click();
    await expect(page.locator(".govuk-panel__title").textContent()).resolves.toContain("Extension agreed");
    await accessible(page, "pages-step-done");
  }, 120_000);
  it("lets an IRO record a review, with errors first, then rate it from its page; QA sees its deadline on the list; every page accessible", async () => {
    const page = await signIn("ivy.reviewer@example.org", "Gloucestershire");
    await page.goto(`${base}/record-review`);
    await accessible(page, "pages-record-review");
    await page.getByRole("button", { name: "Record it" }).click();
    expect(await page.title()).toMatch(/^Error: /);
    await expect(page.locator(".govuk-error-summary").textContent()).resolves.toContain("Enter the date the review was held");
    await accessible(page, "pages-record-review-errors");
    await page.getByLabel("The child's case reference").fill("GLO-CHILD-3");
    await page.getByLabel("The child's team").selectOption("stroud-cla");
    await page.getByLabel("Day").fill("23");
    await page.getByLabel("Month").fill("11");
    await page.getByLabel("Year").fill("2026");
    await page.getByRole("button", { name: "Record it" }).click();
    await expect(page.locator(".govuk-panel__title").textContent()).resolves.toContain("Review recorded");
    const reference = (await page.locator(".govuk-panel strong").textContent())!.trim();
    expect(reference).toMatch(/^[A-Z]+-REV-2026-\d{4}$/);
    await expect(page.locator("main").textContent()).resolves.toContain("Thursday 26 November 2026");
    await accessible(page, "pages-review-recorded");
    await page.getByRole("link", { name: `See ${reference}` }).click();
    await page.getByRole("button", { name: "Record the rating" }).click();
    expect(await page.title()).toMatch(/^Error: /);
    await accessible(page, "pages-review-error");
    await page.getByLabel("Red").check();
    await page.getByRole("button", { name: "Record the rating" }).click();
    await expect(page.locator(".govuk-notification-banner").textContent()).resolves.toContain("Recorded: the rating");
    await accessible(page, "pages-review");
    const qa = await signIn("qa-inbox@gloucestershire.example.org", "Gloucestershire");
    await expect(qa.locator("#reviews + p + .drp-table-scroll").textContent()).resolves.toContain(reference);
    await accessible(qa, "pages-outstanding-reviews");
  }, 120_000);
});

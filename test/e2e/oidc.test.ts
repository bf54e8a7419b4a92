// Signing in with the authority's identity provider, in Chromium: a real
// OpenID provider (oidc-provider) on loopback, the app as its client with
// PKCE. QA signs in and sees the list; someone the provider knows but the
// directory does not is told so and sees nothing; a callback without the
// browser's round-trip cookie is refused.
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import type { FastifyInstance } from "fastify";
import Provider from "oidc-provider";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.ts";
import { freePort } from "../../src/queue/redis.ts";
import { raiseDispute } from "../../src/service/disputes.ts";
import type { RaiseInput } from "../../src/service/inputs.ts";
import { raiseBody } from "../support/app.ts";
import { accessible } from "../support/axe.ts";
import { type Stack, startStack } from "../support/worker.ts";

const CHROMIUM = "/usr/bin/chromium";
const secret = Buffer.from("Oi9-dC3mS7yL2qK5xF8tZ1vJ6nB4rD0hU_eAoX");
const saved = { ...process.env };
let s: Stack;
let app: FastifyInstance;
let idp: Server;
let browser: Browser;
let base = "";

describe.skipIf(!existsSync(CHROMIUM))("signing in with the identity provider (OpenID Connect), in Chromium", () => {
  beforeAll(async () => {
    s = await startStack("2026-11-24T10:00:00Z");
    const [appPort, idpPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${appPort}`;
    const issuer = `http://localhost:${idpPort}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: "drp-monitor",
          client_secret: "a-client-secret-for-the-test-only",
          redirect_uris: [`${base}/sign-in/callback`],
          grant_types: ["authorization_code"],
          response_types: ["code"],
        },
      ],
      pkce: { required: () => true },
      claims: { openid: ["sub"], email: ["email"], profile: ["name"] },
      // the login form's "login" is the account: its email
      findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, email: sub, name: sub }) }),
    });
    idp = provider.listen(idpPort);
    Object.assign(process.env, {
      PUBLIC_URL: base,
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: "drp-monitor",
      OIDC_CLIENT_SECRET: "a-client-secret-for-the-test-only",
    });
    app = await buildApp(s.svc, { linkSecret: secret });
    await app.listen({ port: appPort, host: "127.0.0.1" });
    await raiseDispute(s.svc, "birmingham", raiseBody({ childRef: "ECL-11" }) as RaiseInput);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-background-networking"] });
  }, 90_000);
  afterAll(async () => {
    for (const k of ["PUBLIC_URL", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"])
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    await browser?.close();
    await app?.close();
    idp?.close();
    await s?.stop();
  });

  /** Through the provider's own login and consent pages, back to the app. */
  async function viaProvider(login: string) {
    // the pages forbid scripts (CSP); the test lets axe-core in
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByRole("button", { name: "Sign in with your organisation account" }).click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("anything");
    await page.locator('button[type="submit"]').click();
    // the consent page, the first time a client asks
    const consent = page.locator('button[type="submit"]');
    if (await consent.isVisible().catch(() => false)) await consent.click();
    await page.waitForLoadState();
    return page;
  }

  it("signs in a person the directory holds, and shows them their list", async () => {
    const page = await viaProvider("qa-inbox@birmingham.example.org");
    expect(new URL(page.url()).pathname).toBe("/");
    await expect(page.locator("h1").textContent()).resolves.toBe("Outstanding disputes");
    expect(await page.locator("table a[href^='/cases/']").allTextContents()).toEqual(["BIR-2026-0001"]);
    await expect(page.locator("footer").textContent()).resolves.toContain("qa-inbox@birmingham.example.org");
  }, 60_000);

  it("tells someone the directory does not hold so, and shows them nothing", async () => {
    const page = await viaProvider("stranger@birmingham.example.org");
    await expect(page.locator("h1").textContent()).resolves.toBe("You are not in the directory");
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
  }, 60_000);

  it("asks someone in several authorities' directories which one, and signs them in to the one they choose", async () => {
    const page = await viaProvider("ivy.reviewer@example.org");
    await expect(page.locator("h1").textContent()).resolves.toContain("Which authority's disputes?");
    await accessible(page, "pages-sign-in-choose");
    await page.getByRole("button", { name: "Continue" }).click();
    expect(await page.title()).toMatch(/^Error: /);
    await accessible(page, "pages-sign-in-choose-error");
    await page.getByLabel("Gloucestershire County Council Children's Services").check();
    await page.getByRole("button", { name: "Continue" }).click();
    expect(new URL(page.url()).pathname).toBe("/");
    await expect(page.locator("header").first().textContent()).resolves.toContain("Gloucestershire");
    // the choice cannot be replayed: the sealed cookie is gone once used
    const csrf = (await page.locator('input[name="csrf"]').first().getAttribute("value"))!;
    const again = await page.request.post(`${base}/sign-in/choose`, { form: { csrf, authority: "birmingham" }, maxRedirects: 0 });
    expect(again.status()).toBe(400);
    expect(await again.text()).toContain("Sign-in did not finish");
  }, 60_000);

  it("refuses a callback that did not start in this browser", async () => {
    const r = await fetch(`${base}/sign-in/callback?code=forged&state=forged`, { redirect: "manual" });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain("Sign-in did not finish");
  });
});
